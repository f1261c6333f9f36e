"""The product's URLs plus ``/bench/ping/``: a bare Django JSON view (no database), the latency yardstick."""

from django.http import JsonResponse
from django.urls import include, path


def ping(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping/", ping), path("", include("qualityplan.config.urls"))]
