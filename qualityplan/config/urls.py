from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("qualityplan.core.auth_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include("qualityplan.api.urls")),
    path("", include("qualityplan.core.urls")),
    path("orgs/", include("qualityplan.orgs.urls")),
    path("plans/", include("qualityplan.plans.urls")),
    path("notifications/", include("qualityplan.notifications.urls")),
    path("monitoring/", include("qualityplan.monitoring.urls")),
    path("indicators/", include("qualityplan.indicators.urls")),
    path("ledger/", include("qualityplan.ledger.urls")),
    path("supervision/", include("qualityplan.supervision.urls")),
    path("credit/", include("qualityplan.credit.urls")),
    path("risk/", include("qualityplan.risk.urls")),
    path("assessment/", include("qualityplan.assessment.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
