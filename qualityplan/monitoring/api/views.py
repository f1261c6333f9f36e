from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.monitoring import services
from qualityplan.monitoring.api import serializers as s
from qualityplan.monitoring.models import AirDaily, ImportBatch, SamplingRecord, Station
from qualityplan.monitoring.tasks import import_batch_task


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.StationOutput
    filterset_fields = ["kind", "unit"]

    def get_queryset(self):
        return Station.objects.restrict(self.request.user).select_related("unit")


class ImportBatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Import batches; POST a file (multipart: kind, file) to queue an import, then poll the batch."""

    serializer_class = s.ImportBatchOutput
    permission_classes = [AuthenticatedWriter]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return ImportBatch.objects.restrict(self.request.user)

    @extend_schema(request=s.ImportBatchInput, responses={202: s.ImportBatchOutput})
    def create(self, request, *args, **kwargs):
        data = s.ImportBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        upload = v["file"]
        replaces = None
        if v.get("replaces"):
            replaces = ImportBatch.objects.restrict(request.user).filter(pk=v["replaces"]).first()
            if replaces is None:
                raise ValidationError({"replaces": "no such batch"})
        batch = services.import_batch_submit(user=request.user, kind=v["kind"], name=upload.name, data=upload,
                                             replaces=replaces, reason=v.get("reason", ""))  # fmt: skip
        transaction.on_commit(lambda: import_batch_task(batch.pk))
        return Response(s.ImportBatchOutput(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=s.ImportWithdrawInput, responses={200: s.ImportBatchOutput})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def withdraw(self, request, pk=None):
        data = s.ImportWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.import_batch_withdraw(user=request.user, batch=self.get_object(),
                                               reason=data.validated_data["reason"],
                                               version=data.validated_data.get("version"))  # fmt: skip
        return Response(s.ImportBatchOutput(batch).data)


class SamplingRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SamplingRecordOutput
    filterset_fields = ["unit", "product_group", "sample_type", "result"]

    def get_queryset(self):
        return (
            SamplingRecord.objects.restrict(self.request.user).select_related("unit").order_by("-sampling_date", "id")
        )


class AirDailyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.AirDailyOutput
    filterset_fields = ["unit", "station", "date"]

    def get_queryset(self):
        return AirDaily.objects.restrict(self.request.user).order_by("-date", "id")
