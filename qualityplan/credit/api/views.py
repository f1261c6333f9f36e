"""Credit API: the archive (signed in), entry by the owning department, repair decisions, status as of a date,
and the public query (no sign-in, rate-limited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityplan.core import clock
from qualityplan.core.params import query_text
from qualityplan.credit import policies, selectors, services
from qualityplan.credit.api import serializers as s
from qualityplan.credit.forms import PublicQueryForm
from qualityplan.credit.ratelimit import public_rate, public_rate_limited


class EnterpriseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enterprises of the archive (``?q=`` name or USCC); ``/{id}/events/`` the timeline; ``/{id}/status/?as_of=``."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.EnterpriseOutputSerializer

    def get_queryset(self):
        return selectors.enterprise_list(
            user=self.request.user, q=query_text(self.request.query_params, "q", max_length=100)
        )

    @extend_schema(responses=s.EventOutputSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        ent = self.get_object()
        qs = selectors.enterprise_timeline(user=request.user, enterprise=ent)
        return Response(s.EventOutputSerializer(qs, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE, required=False)],
        responses=inline_serializer(
            "EnterpriseCreditStatus",
            {
                "class": serializers.CharField(),
                "reasons": serializers.ListField(child=serializers.CharField()),
                "blacklisted": serializers.BooleanField(),
                "blacklist_until": serializers.DateField(allow_null=True),
                "early_removal_from": serializers.DateField(allow_null=True),
                "abnormal": serializers.BooleanField(),
                "sampling": inline_serializer(
                    "SamplingSuggestion",
                    {"ratio": serializers.FloatField(allow_null=True), "text": serializers.CharField()},
                ),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def status(self, request, pk=None):
        ent = self.get_object()
        q = s.StatusQuerySerializer(data={"as_of": request.query_params.get("as_of") or clock.today()})
        q.is_valid(raise_exception=True)
        return Response(selectors.enterprise_status(user=request.user, enterprise=ent, as_of=q.validated_data["as_of"]))


class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.EventOutputSerializer

    def get_queryset(self):
        from qualityplan.core.querysets import VIEW
        from qualityplan.credit.models import CreditEvent

        return CreditEvent.objects.restrict(self.request.user, VIEW).select_related("enterprise", "unit")

    def create(self, request):
        if not policies.can_enter_event(request.user, unit=request.user.unit):
            raise PermissionDenied  # before validation: a non-writer learns nothing about the input rules
        data = s.EventCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        with transaction.atomic():
            ent = services.enterprise_get_or_create(uscc=d.pop("uscc"), name=d.pop("enterprise"), on=d["date"])
            ev = services.event_create(user=request.user, enterprise=ent, **d)
        return Response(s.EventOutputSerializer(ev).data, status=status.HTTP_201_CREATED)


class RepairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.RepairOutputSerializer

    def get_queryset(self):
        return selectors.repair_list(user=self.request.user, status=self.request.query_params.get("status") or None)

    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self.get_object()
        if not policies.can_decide_repair(request.user, app):
            raise PermissionDenied
        data = s.DecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        app = services.repair_decide(user=request.user, application=app, **data.validated_data)
        return Response(s.RepairOutputSerializer(app).data)


class StatusApi(APIView):
    """``GET ?as_of=YYYY-MM-DD&uscc=CODE``: the ``credit status`` of one enterprise (the CLI gives all)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[s.StatusQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        q = s.StatusQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        if not q.validated_data["uscc"]:
            return Response({"uscc": ["This field is required."]}, status=status.HTTP_400_BAD_REQUEST)
        rows = list(
            selectors.status_rows(user=request.user, as_of=q.validated_data["as_of"], uscc=q.validated_data["uscc"])
        )
        if not rows:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return Response(rows[0])


class PublicQueryApi(APIView):
    """``GET ?q=`` (no sign-in): enterprises by name or USCC with only what is in publicity today."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(parameters=[OpenApiParameter("q", str, required=True)], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if public_rate_limited(request):
            raise Throttled(wait=public_rate()[1])
        form = PublicQueryForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors.get_json_data(), status=status.HTTP_400_BAD_REQUEST)
        results = selectors.public_search(q=form.cleaned_data["q"], as_of=clock.today())
        return Response(
            {
                "as_of": clock.today(),
                "results": [
                    {
                        "uscc": r["enterprise"].uscc,
                        "name": r["enterprise"].name,
                        "items": s.PublicEventSerializer(r["items"], many=True).data,
                    }
                    for r in results
                ],
            }
        )
