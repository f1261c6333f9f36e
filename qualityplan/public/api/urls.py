from rest_framework.routers import SimpleRouter

from qualityplan.public.api.views import PublicationViewSet

router = SimpleRouter()
router.register("public/publications", PublicationViewSet, basename="public-publication")
urlpatterns = router.urls
