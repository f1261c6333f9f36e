from django.urls import path
from rest_framework.routers import SimpleRouter

from qualityplan.risk.api.views import AutoOpenRuleApi, DisposalViewSet, LevelRuleViewSet, RiskViewSet, SignalApi

router = SimpleRouter()
router.register("risk/risks", RiskViewSet, basename="risk-risk")
router.register("risk/disposals", DisposalViewSet, basename="risk-disposal")
router.register("risk/levels", LevelRuleViewSet, basename="risk-level")
urlpatterns = [
    path("risk/signals/", SignalApi.as_view(), name="risk-signals"),
    path("risk/auto-open/", AutoOpenRuleApi.as_view(), name="risk-auto-open"),
    *router.urls,
]
