"""One exception handler: services raise ApplicationError / ValidationError; clients get 400 with details."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from qualityplan.core.exceptions import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApplicationError):
        response = drf_exception_handler(
            exceptions.ValidationError({"message": exc.message, "extra": exc.extra}), context
        )
        if response is not None:
            response.data = {"message": exc.message, "extra": exc.extra}
            response.status_code = getattr(exc, "status_code", response.status_code)  # Conflict: 409
        return response
    return drf_exception_handler(exc, context)
