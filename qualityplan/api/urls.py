"""``/api/v1/``: each app contributes ``<app>/api/urls.py`` (a router's ``urlpatterns``)."""

from django.urls import include, path

from qualityplan.api.root import api_root

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
    "risk",
    "assessment",
    "public",
]

# each app's api.urls module (include() imports it); the API root lists their routes
MODULES = {app: include(f"qualityplan.{app}.api.urls")[0] for app in APPS}

urlpatterns = [
    path("", api_root, name="api-root"),
    *[path("", include(module)) for module in MODULES.values()],
]
