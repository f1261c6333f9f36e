from rest_framework import serializers

from qualityplan.monitoring.choices import ImportKind
from qualityplan.monitoring.models import AirDaily, ImportBatch, SamplingRecord, Station


class StationOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Station
        fields = ["id", "code", "name", "kind", "unit", "unit_code", "water_body", "river", "assessed", "noise_zone"]


class ImportBatchOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "file_name", "sha256", "status", "total_rows", "processed_rows", "created_rows",
                  "skipped_rows", "percent", "errors", "message", "created_at", "started_at", "finished_at",
                  "replaces", "correction_reason", "changes", "version"]  # fmt: skip


class ImportBatchInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()
    replaces = serializers.IntegerField(required=False, min_value=1, help_text="batch corrected by this file")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ImportWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    version = serializers.IntegerField(required=False, min_value=0)


class SamplingRecordOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = SamplingRecord
        fields = ["id", "sample_no", "enterprise", "uscc", "uscc_valid", "unit_code", "product_category", "product_group",
                  "product_name", "sampling_date", "result", "failing_items", "sample_type", "announcement"]  # fmt: skip


class AirDailyOutput(serializers.ModelSerializer):
    class Meta:
        model = AirDaily
        fields = ["id", "unit", "station", "date", "so2", "no2", "pm10", "pm25", "co", "o3_8h", "aqi", "level",
                  "primary_pollutants", "valid", "standard"]  # fmt: skip
