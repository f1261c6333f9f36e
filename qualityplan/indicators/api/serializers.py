from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qualityplan.indicators.models import ComputedValue, Evaluation, Indicator, RegistryItem, ReportedValue, Submission
from qualityplan.indicators.periods import period_get


class IndicatorOutput(serializers.ModelSerializer):
    target_code = serializers.CharField(source="target.code", read_only=True)
    responsible_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "target_code", "method", "value_type", "period_type", "scope", "reporter_scope",
                  "responsible_units", "computation", "product_group", "registry_kind", "standard_edition", "cumulative"]  # fmt: skip


class EvaluationOutput(serializers.ModelSerializer):
    target_code = serializers.CharField(source="target.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Evaluation
        fields = ["id", "target_code", "unit_code", "year", "period", "as_of", "value", "target_value", "comparator",
                  "reading", "status", "explanation", "projection", "units_met", "units_total", "computed"]  # fmt: skip


class ComputedValueOutput(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ComputedValue
        fields = ["id", "indicator_code", "unit_code", "period", "period_start", "period_end", "value", "numerator",
                  "denominator", "ci_low", "ci_high", "rule_edition", "basis", "provenance"]  # fmt: skip


class ReportedValueOutput(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = ReportedValue
        fields = ["indicator_code", "value", "numerator", "denominator", "achieved", "comment"]


class SubmissionOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    values = ReportedValueOutput(many=True, read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = ["id", "unit_code", "year", "period", "period_type", "due_date", "status", "comment", "submitted_at",
                  "first_submitted_at", "reviewed_at", "return_reason", "on_time", "values"]  # fmt: skip


class SubmissionValuesInput(serializers.Serializer):
    values = serializers.DictField(child=serializers.DictField(), help_text="indicator code → {value, numerator, …}")
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SubmissionOpenInput(serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="2017, 2017H1, 2017Q3 or 2017-05")

    def validate_period(self, value: str) -> str:
        try:
            year = int(value[:4])
            if not 2000 <= year <= 2100:
                raise ValueError(value)
            return period_get(value).label
        except ValueError as exc:
            raise serializers.ValidationError(_("期间格式应为 2017、2017H1、2017Q3 或 2017-05")) from exc


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class RegistryItemOutput(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = RegistryItem
        fields = ["id", "kind", "name", "holder", "unit_code", "date", "certificate_no", "note"]
