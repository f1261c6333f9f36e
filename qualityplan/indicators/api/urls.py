from rest_framework.routers import SimpleRouter

from qualityplan.indicators.api import views

router = SimpleRouter()
router.register("indicators/indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicators/evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("indicators/observations", views.ComputedValueViewSet, basename="observation")
router.register("indicators/registry", views.RegistryItemViewSet, basename="registry-item")
router.register("indicators/submissions", views.SubmissionViewSet, basename="submission")
urlpatterns = router.urls
