from rest_framework.routers import SimpleRouter

from qualityplan.supervision.api.views import ItemViewSet, NoticeViewSet, RectificationViewSet

router = SimpleRouter()
router.register("supervision/items", ItemViewSet, basename="supervision-item")
router.register("supervision/rectifications", RectificationViewSet, basename="supervision-rectification")
router.register("supervision/notices", NoticeViewSet, basename="supervision-notice")
urlpatterns = router.urls
