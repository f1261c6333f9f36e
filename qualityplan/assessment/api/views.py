from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qualityplan.assessment import selectors, services
from qualityplan.assessment.api import serializers as s
from qualityplan.assessment.models import ItemScore, Scheme, UnitAssessment
from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.permissions import AuthenticatedScoped
from qualityplan.orgs.models import Unit


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Scoring schemes (YAML). Office: ``POST`` creates, ``POST {id}/version/`` versions, ``POST validate/`` checks."""

    serializer_class = s.SchemeOutputSerializer
    permission_classes = [AuthenticatedScoped]

    def get_queryset(self):
        return selectors.scheme_list(user=self.request.user)

    @extend_schema(request=s.SchemeInputSerializer, responses=s.SchemeOutputSerializer)
    def create(self, request):
        data = _valid(s.SchemeInputSerializer, request)
        return Response(s.SchemeOutputSerializer(services.scheme_create(user=request.user, **data)).data, status=201)

    @extend_schema(request=s.SchemeInputSerializer, responses=s.SchemeOutputSerializer)
    @action(detail=True, methods=["post"])
    def version(self, request, pk=None):
        data = _valid(s.SchemeInputSerializer, request)
        new = services.scheme_new_version(user=request.user, scheme=self.get_object(), **data)
        return Response(s.SchemeOutputSerializer(new).data, status=201)

    @extend_schema(request=s.SchemeInputSerializer)
    @action(detail=False, methods=["post"])
    def validate(self, request):
        data = _valid(s.SchemeInputSerializer, request)
        scheme = services.scheme_validate(text=data["text"])
        return Response({"valid": True, "items": len(scheme.leaves()), "total": str(scheme.total)})


def _valid(serializer_class, request) -> dict:
    ser = serializer_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment rounds. Office: open, transition (``to``), score, record a veto."""

    serializer_class = s.RoundOutputSerializer
    permission_classes = [AuthenticatedScoped]

    def get_queryset(self):
        return selectors.round_list(user=self.request.user)

    @extend_schema(request=s.RoundOpenInputSerializer, responses=s.RoundOutputSerializer)
    def create(self, request):
        data = _valid(s.RoundOpenInputSerializer, request)
        scheme = get_object_or_404(Scheme, pk=data.pop("scheme"))
        return Response(
            s.RoundOutputSerializer(services.round_open(user=request.user, scheme=scheme, **data)).data, status=201
        )

    @extend_schema(request=s.TransitionInputSerializer, responses=s.RoundOutputSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        data = _valid(s.TransitionInputSerializer, request)
        rnd = services.round_transition(user=request.user, rnd=self.get_object(), to=data["to"])
        return Response(s.RoundOutputSerializer(rnd).data)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "RoundScoreResult",
            {
                "units": serializers.IntegerField(),
                "items": serializers.IntegerField(),
                "changed": serializers.IntegerField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        services._require_office(request.user)
        return Response(services.round_score(rnd=self.get_object()))

    @extend_schema(request=s.VetoInputSerializer)
    @action(detail=True, methods=["post"])
    def veto(self, request, pk=None):
        data = _valid(s.VetoInputSerializer, request)
        unit = get_object_or_404(Unit, code=data.pop("unit"))
        ev = services.veto_record(user=request.user, rnd=self.get_object(), unit=unit, **data)
        return Response({"id": ev.id}, status=201)


class UnitAssessmentViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Per-unit results in the user's scope (``?round=<id>``); detail has the point-by-point explanation."""

    serializer_class = s.UnitAssessmentOutputSerializer
    permission_classes = [AuthenticatedScoped]

    def get_queryset(self):
        qs = (
            UnitAssessment.objects.restrict(self.request.user)
            .select_related("unit", "round")
            .order_by("round", "rank", "unit__sort_order")
        )
        if self.request.query_params.get("round"):
            qs = qs.filter(round_id=self.request.query_params["round"])
        return qs

    def retrieve(self, request, *args, **kwargs):
        ua = self.get_object()
        data = s.UnitAssessmentOutputSerializer(ua).data
        data["explanation"] = s.LineSerializer(selectors.explanation(ua=ua), many=True).data
        sens = selectors.sensitivity(ua=ua)
        data["sensitivity"] = {
            "lost": [{"code": it.code, "title": it.title, "lost": str(d)} for it, d in sens.lost],
            "next_grade": list(map(str, sens.next_grade)) if sens.next_grade else None,
            "lifting_items": [it.code for it in sens.lifting_items],
        }
        last = selectors.previous(ua=ua)
        data["last_year"] = s.UnitAssessmentOutputSerializer(last).data if last else None
        return Response(data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        ua = services.unit_submit(user=request.user, ua=self.get_object())
        return Response(s.UnitAssessmentOutputSerializer(ua).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        ua = services.unit_verify(user=request.user, ua=self.get_object())
        return Response(s.UnitAssessmentOutputSerializer(ua).data)


class ItemScoreViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Item scores in the user's scope (``?round=&unit=<code>``); ``self-score`` (unit) and ``verify`` (office)."""

    serializer_class = s.ItemScoreOutputSerializer
    permission_classes = [AuthenticatedScoped]

    def get_queryset(self):
        qs = (
            ItemScore.objects.restrict(self.request.user)
            .select_related("assessment__unit")
            .order_by("assessment", "order")
        )
        params = self.request.query_params
        if params.get("round"):
            qs = qs.filter(assessment__round_id=params["round"])
        if params.get("unit"):
            qs = qs.filter(assessment__unit__code=params["unit"])
        return qs

    @extend_schema(request=s.SelfScoreInputSerializer, responses=s.ItemScoreOutputSerializer)
    @action(detail=True, methods=["post"], url_path="self-score")
    def self_score(self, request, pk=None):
        data = _valid(s.SelfScoreInputSerializer, request)
        item = services.item_self_score(user=request.user, item=self.get_object(), **data)
        return Response(s.ItemScoreOutputSerializer(item).data)

    @extend_schema(request=s.VerifyInputSerializer, responses=s.ItemScoreOutputSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = _valid(s.VerifyInputSerializer, request)
        item = services.item_verify(user=request.user, item=self.get_object(), **data)
        return Response(s.ItemScoreOutputSerializer(item).data)
