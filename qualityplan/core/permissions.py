"""API permission: reads follow the model's data scope; writes need the office or the owning unit."""

from rest_framework import permissions

from qualityplan.core import policies
from qualityplan.core.querysets import CHANGE


class ScopedPermission(permissions.BasePermission):
    """Safe methods: allowed, the viewset's queryset is already ``restrict``-ed (anonymous sees public rows).

    Unsafe methods: authenticated users whose ``restrict(user, "change")`` includes the object.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return policies.can_write_api(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return type(obj).objects.restrict(request.user, CHANGE).filter(pk=obj.pk).exists()


class AuthenticatedScoped(ScopedPermission):
    """Like ScopedPermission, but anonymous users are refused even for reads."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return policies.is_signed_in(request.user)
        return policies.can_write_api(request.user)


class AuthenticatedWriter(permissions.BasePermission):
    """Signed-in users read (the viewset's queryset is ``restrict``-ed); only office and reporters write —
    viewer and inspector never write or import through the API (``core.policies.can_write_api``)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return policies.is_signed_in(request.user)
        return policies.can_write_api(request.user)
