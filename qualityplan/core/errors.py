"""Error pages in Chinese in the site layout: the project's own 403/404/500 handlers, and a middleware that shows
the same 403/404 pages under DEBUG instead of Django's English technical pages (which also list every URL).

500 under DEBUG keeps Django's traceback page on purpose: that is what a developer running ``make run`` needs.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import Resolver404, resolve


def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {"request_path": request.path}, request))


def permission_denied(request, exception=None):
    return HttpResponseForbidden(loader.render_to_string("403.html", {}, request))


def server_error(request):
    # rendered without the request: context processors may need the database that just failed
    return HttpResponseServerError(loader.render_to_string("500.html"))


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class ErrorPagesMiddleware:
    """Under DEBUG, answer unknown URLs and views raising Http404/PermissionDenied with the project's pages.

    Without DEBUG Django already calls the handlers above (``handler403``/``handler404`` in the URLconf), so this
    middleware does nothing there. API paths keep DRF's JSON errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not _is_api(request):
            try:
                resolve(request.path_info)
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or _is_api(request):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None
