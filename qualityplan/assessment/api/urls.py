from rest_framework.routers import SimpleRouter

from qualityplan.assessment.api import views

router = SimpleRouter()
router.register("assessment/schemes", views.SchemeViewSet, basename="assessment-scheme")
router.register("assessment/rounds", views.RoundViewSet, basename="assessment-round")
router.register("assessment/results", views.UnitAssessmentViewSet, basename="assessment-result")
router.register("assessment/items", views.ItemScoreViewSet, basename="assessment-item")
urlpatterns = router.urls
