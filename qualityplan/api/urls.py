"""``/api/v1/``: each app contributes ``<app>/api/urls.py`` (a router's ``urlpatterns``)."""

from django.urls import include, path

from qualityplan.api.root import api_root

APPS = ["orgs", "plans", "notifications", "monitoring", "indicators", "ledger", "supervision", "assessment"]

urlpatterns = [
    path("", api_root, name="api-root"),
    *[path("", include(f"qualityplan.{app}.api.urls")) for app in APPS],
]
