from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.querysets import CHANGE
from qualityplan.plans import services
from qualityplan.plans.api import serializers as s
from qualityplan.plans.filtersets import MeasureFilterSet, PlanFilterSet, TargetFilterSet
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Target
from qualityplan.plans.selectors import plan_list


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Annual plans. Anonymous users see published plans only."""

    serializer_class = s.PlanOutputSerializer
    filterset_class = PlanFilterSet

    def get_queryset(self):
        return plan_list(user=self.request.user).order_by("-year", "-version")


class TargetViewSet(VersionedViewSetMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Targets of the plans; filter by ``year``, ``group``, ``scope``, ``unit`` (id), ``q``. Office may PATCH."""

    filterset_class = TargetFilterSet

    def get_queryset(self):
        action = CHANGE if self.request.method not in ("GET", "HEAD", "OPTIONS") else "view"
        return (
            Target.objects.restrict(self.request.user, action)
            .select_related("plan", "measure")
            .order_by("plan", "order")
        )

    def get_serializer_class(self):
        return s.TargetInputSerializer if self.action in ("update", "partial_update") else s.TargetOutputSerializer

    def _edit(self, request, *, partial: bool):
        # the policy first (403; 409 while the plan is published), then If-Match (428/412), then the input (400)
        target = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        services.target_edit_check(user=request.user, target=target)
        target = self.get_object()
        serializer = s.TargetInputSerializer(target, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        target = services.target_update(user=request.user, target=target, data=dict(serializer.validated_data))
        return Response(s.TargetOutputSerializer(target).data)

    @extend_schema(request=s.TargetInputSerializer, responses=s.TargetOutputSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self._edit(request, partial=True)

    @extend_schema(request=s.TargetInputSerializer, responses=s.TargetOutputSerializer)
    def update(self, request, *args, **kwargs):
        return self._edit(request, partial=False)


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """Measures with lead and cooperating units as written and as resolved; filter by ``unit`` and ``role``."""

    serializer_class = s.MeasureOutputSerializer
    filterset_class = MeasureFilterSet

    def get_queryset(self):
        return (
            Measure.objects.restrict(self.request.user)
            .prefetch_related(
                Prefetch(
                    "responsibilities",
                    queryset=MeasureUnit.objects.select_related("unit", "group").order_by("-role", "position"),
                )
            )
            .order_by("plan", "order")
        )


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.DeadlineOutputSerializer
    filterset_fields = ["plan", "date"]

    def get_queryset(self):
        return Deadline.objects.restrict(self.request.user).order_by("plan", "date", "order")
