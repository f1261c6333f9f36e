"""``/api/v1/``: each app contributes ``<app>/api/urls.py`` (a router's ``urlpatterns``)."""

from django.urls import include, path

APPS = [
    "orgs",
    "plans",
    "notifications",
    "monitoring",
    "indicators",
    "ledger",
    "supervision",
    "credit",
    "hotline",
    "assessment",
    "public",
]

urlpatterns = [path("", include(f"qualityplan.{app}.api.urls")) for app in APPS]
