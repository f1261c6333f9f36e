from rest_framework.routers import SimpleRouter

from qualityplan.ledger.api.views import PartViewSet, SummaryViewSet, TaskViewSet

router = SimpleRouter()
router.register("ledger/tasks", TaskViewSet, basename="ledger-task")
router.register("ledger/parts", PartViewSet, basename="ledger-part")
router.register("ledger/summaries", SummaryViewSet, basename="ledger-summary")
urlpatterns = router.urls
