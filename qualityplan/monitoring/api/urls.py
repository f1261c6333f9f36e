from rest_framework.routers import SimpleRouter

from qualityplan.monitoring.api import views

router = SimpleRouter()
router.register("monitoring/stations", views.StationViewSet, basename="station")
router.register("monitoring/imports", views.ImportBatchViewSet, basename="import-batch")
router.register("monitoring/sampling-records", views.SamplingRecordViewSet, basename="sampling-record")
router.register("monitoring/air-daily", views.AirDailyViewSet, basename="air-daily")
urlpatterns = router.urls
