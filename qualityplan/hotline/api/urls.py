from django.urls import path
from rest_framework.routers import SimpleRouter

from qualityplan.hotline.api.views import KpiView, NoticeViewSet, OrderViewSet, PushView

router = SimpleRouter()
router.register("hotline/orders", OrderViewSet, basename="hotline-order")
router.register("hotline/notices", NoticeViewSet, basename="hotline-notice")
urlpatterns = [
    path("hotline/push/", PushView.as_view(), name="hotline-push"),
    path("hotline/kpi/", KpiView.as_view(), name="hotline-kpi"),
    *router.urls,
]
