from rest_framework.routers import SimpleRouter

from qualityplan.plans.api import views

router = SimpleRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("targets", views.TargetViewSet, basename="target")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
urlpatterns = router.urls
