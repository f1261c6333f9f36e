"""``GET /api/v1/``: the API root, listing every list endpoint of the apps' routers and the docs."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response


def _list_routes(modules: dict) -> list[tuple[str, str]]:
    """(app, prefix) of every list route (``<basename>-list``) in the apps' ``api/urls.py`` routers."""
    out = []
    for app, module in modules.items():
        for pattern in module.urlpatterns:
            route = str(pattern.pattern)
            if route.startswith("^"):  # router regex: ^prefix/$
                route = route[1:].rstrip("$")
            if (pattern.name or "").endswith("-list") and "<" not in route and "(" not in route:
                out.append((app, route))
    seen, unique = set(), []
    for app, route in out:
        if route not in seen:
            seen.add(route)
            unique.append((app, route))
    return unique


@extend_schema(responses=OpenApiTypes.OBJECT, summary="API root: the endpoints and the docs")
@api_view(["GET"])
@permission_classes([IsAuthenticated])  # like the schema and docs: signed-in users
def api_root(request: Request) -> Response:
    from qualityplan.api.urls import MODULES

    base = request.build_absolute_uri(reverse("api-root"))
    endpoints = {}
    for app, route in _list_routes(MODULES):
        endpoints.setdefault(app, {})[route.rstrip("/")] = base + route
    return Response(
        {
            "version": "v1",
            "authentication": ["session", "token"],
            "schema": request.build_absolute_uri(reverse("schema")),
            "docs": request.build_absolute_uri(reverse("api-docs")),
            "redoc": request.build_absolute_uri(reverse("api-redoc")),
            "endpoints": endpoints,
        }
    )
