"""12345 API: orders (list/detail with masked caller data, intake, transitions, attachments), the push endpoint for
the hotline platform, notices and KPIs. Errors are HTTP 400 naming the field (``ApplicationError``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityplan.core.exceptions import ApplicationError
from qualityplan.hotline import kpi, policies, selectors, services, workflow
from qualityplan.hotline.api import serializers as s

MAX_PUSH = 1000


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders the user may see. Filters: status, category, subject, unit, open, q."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.OrderOutputSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.order_list(
            user=self.request.user,
            filters={k: params.get(k) for k in ("status", "category", "subject", "unit", "open", "q")},
        )

    @extend_schema(request=s.OrderInputSerializer, responses={201: s.OrderOutputSerializer})
    def create(self, request):
        if not policies.can_intake(request.user):
            raise PermissionDenied
        data = s.OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_create(user=request.user, data=dict(data.validated_data))
        return Response(self.get_serializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransitionInputSerializer, responses=s.OrderOutputSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """``{"action": "dispatch" | "sign" | ..., "version": N, ...inputs}``; stale version or bad step → 400."""
        order = self.get_object()
        if not policies.actors(request.user, order):
            raise PermissionDenied  # before validation: someone who can take no step here is refused outright
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = {k: v for k, v in data.validated_data.items() if v is not None or k == "resolved"}
        name, version = d.pop("action"), d.pop("version")
        order = services.order_transition(user=request.user, order=order, action=name, version=version, data=d)
        return Response(self.get_serializer(order).data)

    @extend_schema(
        responses=inline_serializer(
            "OrderAction",
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
        order = self.get_object()
        return Response(
            [
                {"action": a, "label": str(t.label), "requires": list(t.requires)}
                for a, t in workflow.available(order.status, policies.actors(request.user, order))
            ]
        )

    @extend_schema(responses=s.EventOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        return Response(s.EventOutputSerializer(self.get_object().events.select_related("user"), many=True).data)

    @extend_schema(responses=s.OrderOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicates(self, request, pk=None):
        order = self.get_object()
        if not policies.can_intake(request.user):
            raise PermissionDenied
        qs = selectors.order_duplicates(user=request.user, order=order)[:20]
        return Response(self.get_serializer(qs, many=True).data)

    @extend_schema(
        request=s.AttachmentInputSerializer,
        responses={
            201: inline_serializer(
                "OrderAttachment",
                {"id": serializers.IntegerField(), "name": serializers.CharField(), "url": serializers.CharField()},
            )
        },
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        order = self.get_object()
        if not policies.can_attach(request.user, order):
            raise PermissionDenied
        data = s.AttachmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        att = services.attachment_add(
            user=request.user,
            order=order,
            upload=data.validated_data["file"],
            version=data.validated_data["version"],
        )
        return Response({"id": att.pk, "name": att.name, "url": f"/hotline/attachments/{att.pk}/"}, status=201)


class PushView(APIView):
    """``POST /api/v1/hotline/push/``: the hotline platform pushes one order (an object) or many (a list, at most
    1000). All or nothing: any invalid order → 400 with ``errors`` per index and field; nothing is created."""

    permission_classes = [IsAuthenticated]
    json_list_allowed = True

    def post(self, request):
        if not policies.can_intake(request.user):
            raise PermissionDenied
        items = request.data if isinstance(request.data, list) else [request.data]
        if not items or len(items) > MAX_PUSH:
            raise ValidationError({"detail": f"1..{MAX_PUSH} orders per push"})
        errors, clean = {}, []
        for i, item in enumerate(items):
            ser = s.OrderInputSerializer(data=item)
            if not ser.is_valid():
                errors[str(i)] = ser.errors
            else:
                clean.append(dict(ser.validated_data))
        if errors:
            raise ValidationError({"errors": errors})
        created = []
        try:
            with transaction.atomic():
                for i, data in enumerate(clean):
                    try:
                        created.append(services.order_create(user=request.user, data=data))
                    except ApplicationError as exc:
                        exc.extra["index"] = i
                        raise
        except ApplicationError as exc:
            raise ValidationError(
                {"errors": {str(exc.extra["index"]): {exc.extra.get("field", "detail"): [exc.message]}}}
            ) from None
        return Response(
            {"created": [{"id": o.pk, "number": o.number} for o in created]}, status=status.HTTP_201_CREATED
        )


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NoticeOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.notice_list(user=self.request.user, filters={"kind": self.request.query_params.get("kind")})


class KpiView(APIView):
    """``GET /api/v1/hotline/kpi/?from=D&to=D&by=unit|region``: KPIs of the orders the user may see."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        try:
            start = dt.date.fromisoformat(request.query_params.get("from", ""))
            end = dt.date.fromisoformat(request.query_params.get("to", ""))
        except ValueError:
            raise ValidationError({"from": ["YYYY-MM-DD"], "to": ["YYYY-MM-DD"]}) from None
        if end < start:
            raise ValidationError({"to": ["before from"]})
        by = request.query_params.get("by", "unit")
        if by not in ("unit", "region"):
            raise ValidationError({"by": ["unit | region"]})
        rows = kpi.kpi_for_user(user=request.user, date_from=start, date_to=end, by=by)
        return Response({"from": start, "to": end, "by": by, "rows": [r.as_dict() for r in rows]})
