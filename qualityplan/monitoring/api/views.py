from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from qualityplan.core.permissions import AuthenticatedWriter
from qualityplan.monitoring.api import serializers as s
from qualityplan.monitoring.importers import import_batch_create
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
        upload = data.validated_data["file"]
        batch = import_batch_create(kind=data.validated_data["kind"], name=upload.name, data=upload.read(),
                                    user=request.user, store_file=True)  # fmt: skip
        transaction.on_commit(lambda: import_batch_task(batch.pk))
        return Response(s.ImportBatchOutput(batch).data, status=status.HTTP_202_ACCEPTED)


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
