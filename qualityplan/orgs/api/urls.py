from rest_framework.routers import SimpleRouter

from qualityplan.orgs.api import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("unit-groups", views.UnitGroupViewSet, basename="unitgroup")
urlpatterns = router.urls
