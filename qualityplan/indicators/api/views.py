import hashlib

from django.core.cache import cache
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qualityplan.core.concurrency import VersionedViewSetMixin
from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.indicators import selectors, services
from qualityplan.indicators.api import serializers as s
from qualityplan.indicators.models import ComputedValue, Indicator, RegistryItem, Submission


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.IndicatorOutput
    filterset_fields = ["method", "period_type", "scope"]

    def get_queryset(self):
        return (
            Indicator.objects.restrict(self.request.user).select_related("target").prefetch_related("responsible_units")
        )


API_CACHE_SECONDS = 600  # a safety net only: the key changes with every evaluation run
EVALUATION_OUTPUT_FIELDS = (
    "id", "year", "period", "as_of", "value", "target_value", "comparator", "reading", "status", "explanation",
    "projection", "units_met", "units_total", "computed", "target__code", "unit__code",
)  # fmt: skip


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Attainment per target × unit × period (``unit_code`` null = the province)."""

    serializer_class = s.EvaluationOutput
    permission_classes = [AuthenticatedWriter]
    filterset_fields = ["period", "status", "unit", "target"]

    def _year(self) -> int:
        year = self.request.query_params.get("year", "")
        return int(year) if year.isdigit() else 2017

    def get_queryset(self):
        qs = selectors.evaluations_visible(user=self.request.user, year=self._year())
        if self.request.query_params.get("province"):
            qs = qs.filter(unit__isnull=True)
        # only what EvaluationOutput reads: no indicator join, target and unit reduced to their codes
        return (
            qs.select_related(None)
            .select_related("target", "unit")
            .only(*EVALUATION_OUTPUT_FIELDS)
            .order_by("period", "target__order", "unit__sort_order", "id")
        )

    def list(self, request, *args, **kwargs):
        """The page as served before, cached per URL (host and query string) × data scope under the year's
        evaluation stamp, so a new evaluation run is visible at once."""
        if request.method != "GET":
            return super().list(request, *args, **kwargs)
        stamps = selectors.evaluation_stamps()  # first: the page read below is at least as new as this stamp
        year = self._year()
        key = "qp:indicators:api-evaluations:" + hashlib.sha1(
            repr((1, request.build_absolute_uri(), selectors.evaluation_scope(request.user), stamps.get(year),
                  selectors.reference_stamp(year))).encode()
        ).hexdigest()  # fmt: skip
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, response.data, API_CACHE_SECONDS)
            return response
        return Response(data)


class ComputedValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Observations: computed values with provenance (records filter and rule edition)."""

    serializer_class = s.ComputedValueOutput
    filterset_fields = ["indicator", "unit", "period"]

    def get_queryset(self):
        return ComputedValue.objects.restrict(self.request.user).select_related("indicator", "unit").order_by("id")


class RegistryItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RegistryItemOutput
    filterset_fields = ["kind", "unit"]

    def get_queryset(self):
        return RegistryItem.objects.restrict(self.request.user).select_related("unit").order_by("id")


class SubmissionViewSet(
    VersionedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Unit data sets: open, save values, submit; the office approves, returns (with reason) or reopens."""

    serializer_class = s.SubmissionOutput
    permission_classes = [AuthenticatedWriter]
    filterset_fields = ["year", "period", "status", "unit"]

    def get_queryset(self):
        return (
            Submission.objects.restrict(self.request.user).select_related("unit").prefetch_related("values__indicator")
        )

    @staticmethod
    def _reason(request) -> str:
        data = s.ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["reason"]

    def _out(self, sub):
        return Response(s.SubmissionOutput(self.get_queryset().get(pk=sub.pk)).data)

    @extend_schema(request=s.SubmissionOpenInput, responses={201: s.SubmissionOutput})
    @action(detail=False, methods=["post"])
    def open(self, request):
        data = s.SubmissionOpenInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.unit_id:
            return Response({"message": "user has no unit"}, status=status.HTTP_400_BAD_REQUEST)
        sub = services.submission_get_or_create(unit=request.user.unit, period=data.validated_data["period"])
        return Response(s.SubmissionOutput(self.get_queryset().get(pk=sub.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SubmissionValuesInput, responses=s.SubmissionOutput)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        data = s.SubmissionValuesInput(data=request.data)
        data.is_valid(raise_exception=True)
        sub = services.submission_save(submission=self.get_object(), user=request.user, values=data.validated_data["values"],
                                       comment=data.validated_data.get("comment"))  # fmt: skip
        return self._out(sub)

    @extend_schema(request=None, responses=s.SubmissionOutput)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._out(services.submission_submit(submission=self.get_object(), user=request.user))

    @extend_schema(request=None, responses=s.SubmissionOutput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._out(services.submission_approve(submission=self.get_object(), user=request.user))

    @extend_schema(request=s.ReasonInput, responses=s.SubmissionOutput)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        reason = self._reason(request)
        return self._out(services.submission_return(submission=self.get_object(), user=request.user, reason=reason))

    @extend_schema(request=s.ReasonInput, responses=s.SubmissionOutput)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        reason = self._reason(request)
        return self._out(services.submission_reopen(submission=self.get_object(), user=request.user, reason=reason))
