from rest_framework import viewsets

from qualityplan.orgs.api.serializers import UnitGroupOutputSerializer, UnitOutputSerializer
from qualityplan.orgs.models import Unit, UnitGroup


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units: provincial departments, the 19 cities/counties (GB/T 2260 codes) and Yangpu. Public list."""

    serializer_class = UnitOutputSerializer
    filterset_fields = ["kind", "code", "gb_code"]
    lookup_field = "code"

    def get_queryset(self):
        return Unit.objects.restrict(self.request.user).order_by("sort_order")


class UnitGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitGroupOutputSerializer
    filterset_fields = ["code"]

    def get_queryset(self):
        return UnitGroup.objects.restrict(self.request.user).prefetch_related("members")
