"""督查督办 API: items (立项, transitions via ``POST .../transition/``), rectification items, notices."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.orgs.models import Unit
from qualityplan.supervision import selectors, services, workflow
from qualityplan.supervision.api import serializers as s
from qualityplan.supervision.models import RectificationItem


class ItemViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Items where the user's unit is 主办 or 协办 (office: all). Filters: status, source, year, unit, q."""

    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.item_list(
            user=self.request.user, filters={k: params.get(k) for k in ("status", "source", "year", "unit", "q")}
        )

    def get_serializer_class(self):
        return s.ItemDetailOutputSerializer if self.action == "retrieve" else s.ItemOutputSerializer

    def create(self, request):
        data = s.ItemCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        item = services.item_create(
            user=request.user,
            title=d["title"],
            source=d["source"],
            source_ref=d["source_ref"],
            requirement=d["requirement"],
            lead_unit=get_object_or_404(Unit, pk=d["lead_unit"]),
            cooperating_units=list(Unit.objects.filter(pk__in=d["cooperating_units"])),
            deadline_workdays=d["deadline_workdays"],
        )
        return Response(s.ItemDetailOutputSerializer(item).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """``{"action": "assign" | "accept" | ..., ...inputs}``; a transition not allowed gives 400."""
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        item = services.item_transition(user=request.user, item=self.get_object(), action=d.pop("action"), data=d)
        return Response(s.ItemDetailOutputSerializer(item).data)

    @extend_schema(
        responses=inline_serializer(
            "AvailableAction",
            {
                "action": serializers.CharField(),
                "label": serializers.CharField(),
                "requires": serializers.ListField(child=serializers.CharField()),
            },
            many=True,
        )
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def actions(self, request, pk=None):
        item = self.get_object()
        actors = services.item_actors(user=request.user, item=item)
        return Response(
            [
                {"action": a, "label": t.label, "requires": list(t.requires)}
                for a, t in workflow.available(workflow.ITEM, item.status, actors)
            ]
        )

    @action(detail=True, methods=["post"])
    def rectifications(self, request, pk=None):
        item = self.get_object()
        data = s.RectificationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = get_object_or_404(Unit, pk=data.validated_data["unit"]) if data.validated_data.get("unit") else None
        rect = services.rectification_add(user=request.user, item=item, title=data.validated_data["title"], unit=unit)
        return Response(s.RectificationOutputSerializer(rect).data, status=status.HTTP_201_CREATED)


class RectificationViewSet(VersionedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.RectificationOutputSerializer
    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        return RectificationItem.objects.filter(item_id__in=selectors.item_list(user=self.request.user).values("id"))

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        rect = services.rectification_transition(
            user=request.user, rectification=self.get_object(), action=d.pop("action"), data=d
        )
        return Response(s.RectificationOutputSerializer(rect).data)


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NoticeOutputSerializer
    permission_classes = [AuthenticatedWriter]

    def get_queryset(self):
        return selectors.notice_list(user=self.request.user, filters={"kind": self.request.query_params.get("kind")})
