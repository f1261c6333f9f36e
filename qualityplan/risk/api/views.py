"""Risk API: risks (intake, 研判, disposal tasks, closing), disposal tasks (results), statistical signals (scan, open
a risk from one), the matrix bands, the automatic-opening threshold. Policies and services are the ones the web pages use; every write checks its
policy before it reads the body, and details carry ``ETag: "<version>"`` (a stale ``If-Match`` gets 412)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.params import query_text
from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.risk import policies, selectors, services
from qualityplan.risk.api import serializers as s
from qualityplan.risk.choices import Level, Stage
from qualityplan.risk.detection import scan, signal_find


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied  # before validation: a user who may not act learns nothing about the input rules


class RiskViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Risks in the user's scope (``?stage=``, ``?level=``, ``?q=``); POST registers one."""

    permission_classes = [AuthenticatedWriter]
    serializer_class = s.RiskOutputSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.risk_list(
            user=self.request.user,
            stage=query_text(p, "stage", max_length=10, choices=Stage.values),
            level=query_text(p, "level", max_length=4, choices=Level.values),
            q=query_text(p, "q", max_length=100),
        )

    def create(self, request):
        _require(policies.can_create_risk(request.user))
        data = s.RiskCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        risk = services.risk_create(user=request.user, **data.validated_data)
        return Response(s.RiskOutputSerializer(risk).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.ReviewOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.ReviewInputSerializer, responses={201: s.ReviewOutputSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def reviews(self, request, pk=None):
        risk = self.get_object()
        if request.method == "GET":
            return Response(s.ReviewOutputSerializer(risk.reviews.all(), many=True).data)
        _require(policies.can_review(request.user, risk))
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.risk_review(user=request.user, risk=risk, **data.validated_data)
        return Response(s.ReviewOutputSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=s.DisposalOutputSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.DisposalInputSerializer, responses={201: s.DisposalOutputSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def disposals(self, request, pk=None):
        risk = self.get_object()
        if request.method == "GET":
            return Response(s.DisposalOutputSerializer(risk.disposals.select_related("owner", "risk"), many=True).data)
        _require(policies.can_assign_disposal(request.user, risk))
        data = s.DisposalInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.disposal_create(user=request.user, risk=risk, **data.validated_data)
        return Response(s.DisposalOutputSerializer(d).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ResultInputSerializer, responses=s.RiskOutputSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        risk = self.get_object()
        _require(policies.can_close_risk(request.user, risk))
        data = s.ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        risk = services.risk_close(user=request.user, risk=risk, **data.validated_data)
        return Response(s.RiskOutputSerializer(risk).data)

    @extend_schema(request=None, responses=s.inline_linked())
    @action(detail=True, methods=["post"], url_path="collect-samples")
    def collect_samples(self, request, pk=None):
        risk = self.get_object()
        _require(policies.can_collect_samples(request.user, risk))
        return Response({"linked": services.risk_collect_samples(user=request.user, risk=risk)})


class DisposalViewSet(VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disposal tasks in the user's scope (``?overdue=1``); ``/{id}/complete/`` reports the result."""

    permission_classes = [AuthenticatedWriter]
    serializer_class = s.DisposalOutputSerializer

    def get_queryset(self):
        return selectors.disposal_list(user=self.request.user, overdue=self.request.query_params.get("overdue") == "1")

    @extend_schema(request=s.ResultInputSerializer, responses=s.DisposalOutputSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        disposal = self.get_object()
        _require(policies.can_complete_disposal(request.user, disposal))
        data = s.ResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.disposal_complete(user=request.user, disposal=disposal, **data.validated_data)
        return Response(s.DisposalOutputSerializer(d).data)


class SignalApi(APIView):
    """GET ``?year=2017[&period=2017Q3]``: the signals; POST ``{year, key}``: open a risk from one (office)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[s.SignalQuerySerializer], responses=s.SignalOutputSerializer(many=True))
    def get(self, request):
        _require(policies.can_view_signals(request.user))
        q = s.SignalQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        signals = scan(year=q.validated_data["year"], period=q.validated_data["period"] or None)
        return Response([x.as_dict() for x in signals])

    @extend_schema(request=s.SignalOpenSerializer, responses={201: s.RiskOutputSerializer})
    def post(self, request):
        _require(policies.can_open_from_signal(request.user))
        data = s.SignalOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signal = signal_find(key=data.validated_data["key"], year=data.validated_data["year"])
        if signal is None:
            raise ValidationError({"key": "no such signal in that period (rescan)"})
        risk = services.risk_from_signal(user=request.user, signal=signal.as_dict())
        return Response(s.RiskOutputSerializer(risk).data, status=status.HTTP_201_CREATED)


class LevelRuleViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The matrix bands and disposal deadlines (data); POST ``/{id}/edit/`` (office)."""

    permission_classes = [AuthenticatedWriter]
    serializer_class = s.LevelRuleSerializer

    def get_queryset(self):
        from qualityplan.core.querysets import VIEW
        from qualityplan.risk.models import LevelRule

        return LevelRule.objects.restrict(self.request.user, VIEW).order_by("-min_score")

    @extend_schema(request=s.LevelRuleInputSerializer, responses=s.LevelRuleSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        rule = self.get_object()
        _require(policies.can_edit_levels(request.user))
        data = s.LevelRuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = services.level_rule_update(user=request.user, rule=rule, **data.validated_data)
        return Response(s.LevelRuleSerializer(rule).data)


class AutoOpenRuleApi(APIView):
    """GET: the office's automatic-opening threshold (``ETag: "<version>"``); POST: replace it (office; a stale
    ``If-Match`` gets 412, a stale ``version`` in the body 400 naming ``version``, before anything changes)."""

    permission_classes = [IsAuthenticated]

    def _answer(self, rule):
        response = Response(s.AutoOpenRuleSerializer(rule).data)
        response["ETag"] = f'"{rule.version}"'
        return response

    @extend_schema(responses=s.AutoOpenRuleSerializer)
    def get(self, request):
        return self._answer(selectors.auto_open_rule(user=request.user))

    @extend_schema(request=s.AutoOpenRuleInputSerializer, responses=s.AutoOpenRuleSerializer)
    def post(self, request):
        from qualityplan.core.concurrency import PreconditionFailed, _matches, etag_for
        from qualityplan.risk.autoopen import auto_open_rule_update

        _require(policies.can_edit_auto_open(request.user))
        header = request.headers.get("If-Match")
        if header is not None and not _matches(header, etag_for(selectors.auto_open_rule(user=request.user))):
            raise PreconditionFailed()
        data = s.AutoOpenRuleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(auto_open_rule_update(user=request.user, **data.validated_data))
