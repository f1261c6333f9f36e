"""API permission: reads follow the model's data scope; writes need the office or the owning unit."""

from rest_framework import permissions

from qualityplan.core.querysets import CHANGE


class ScopedPermission(permissions.BasePermission):
    """Safe methods: allowed, the viewset's queryset is already ``restrict``-ed (anonymous sees public rows).

    Unsafe methods: authenticated users whose ``restrict(user, "change")`` includes the object.
    """

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return type(obj).objects.restrict(request.user, CHANGE).filter(pk=obj.pk).exists()


class AuthenticatedScoped(ScopedPermission):
    """Like ScopedPermission, but anonymous users are refused even for reads."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)
