from django.urls import path
from rest_framework.routers import SimpleRouter

from qualityplan.credit.api.views import EnterpriseViewSet, EventViewSet, PublicQueryApi, RepairViewSet, StatusApi

router = SimpleRouter()
router.register("credit/enterprises", EnterpriseViewSet, basename="credit-enterprise")
router.register("credit/events", EventViewSet, basename="credit-event")
router.register("credit/repairs", RepairViewSet, basename="credit-repair")
urlpatterns = [
    path("credit/status/", StatusApi.as_view(), name="credit-status"),
    path("credit/public/", PublicQueryApi.as_view(), name="credit-public"),
    *router.urls,
]
