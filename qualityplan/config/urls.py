from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated

from qualityplan.api.authentication import ApiTokenAuthentication
from qualityplan.core import errors
from qualityplan.hotline import documents as hotline_documents
from qualityplan.orgs import urls as orgs_urls
from qualityplan.plans import unit_views
from qualityplan.public import urls as public_urls

# The schema and its docs are for signed-in users only: 401 (schema) / the login page (docs) for anyone else.
_SIGNED_IN = {"authentication_classes": [ApiTokenAuthentication, SessionAuthentication],
              "permission_classes": [IsAuthenticated]}  # fmt: skip

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("qualityplan.core.auth_urls")),
    path("api/schema/", SpectacularAPIView.as_view(**_SIGNED_IN), name="schema"),
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("api/redoc/", login_required(RedirectView.as_view(pattern_name="api-docs")), name="api-redoc"),  # one UI
    path("api/v1/", include("qualityplan.api.urls")),
    path("", include("qualityplan.portal.urls")),
    path("", include("qualityplan.core.urls")),
    # the orgs namespace plus the unit page, which shows plan data and so lives in plans (ADR 0005)
    path(
        "orgs/", include(([*orgs_urls.urlpatterns, path("<str:code>/", unit_views.unit_detail, name="unit")], "orgs"))
    ),
    path("plans/", include("qualityplan.plans.urls")),
    path("notifications/", include("qualityplan.notifications.urls")),
    path("monitoring/", include("qualityplan.monitoring.urls")),
    path("indicators/", include("qualityplan.indicators.urls")),
    path("ledger/", include("qualityplan.ledger.urls")),
    path("supervision/", include("qualityplan.supervision.urls")),
    path("credit/", include("qualityplan.credit.urls")),
    path("hotline/", include("qualityplan.hotline.urls")),
    path("hotline/circular.docx", hotline_documents.circular_view, name="hotline-circular"),
    path("risk/", include("qualityplan.risk.urls")),
    path("assessment/", include("qualityplan.assessment.urls")),
    path("public/", include(public_urls.portal)),
    path("open-data/", include(public_urls.open_data)),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
