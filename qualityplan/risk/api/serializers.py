from rest_framework import serializers

from qualityplan.orgs.models import Unit
from qualityplan.risk.choices import REVIEW_STAGES, DisposalKind, InfoGrade, SourceType
from qualityplan.risk.models import Disposal, Review, Risk


class RiskOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", default=None, allow_null=True)
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Risk
        fields = [
            "id", "number", "title", "source_type", "source_ref", "product_category", "product_name", "region",
            "unit", "uscc", "enterprise_name", "enterprise", "description", "reporter", "received_on", "stage",
            "probability", "severity", "score", "level", "info_grade", "signal", "closed_on", "close_result",
            "version",
        ]  # fmt: skip


class ReviewOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "risk", "stage", "expert", "opinion", "probability", "severity", "score", "level",
                  "reviewed_on"]  # fmt: skip


class DisposalOutputSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code")
    risk_number = serializers.CharField(source="risk.number")

    class Meta:
        model = Disposal
        fields = ["id", "risk", "risk_number", "kind", "owner", "instruction", "assigned_on", "due_on", "status",
                  "result", "done_on", "planned_samples", "supervision_item", "version"]  # fmt: skip


class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Unit.objects.all(), **kwargs)


class RiskCreateInputSerializer(serializers.Serializer):
    source_type = serializers.ChoiceField(choices=SourceType.choices)
    source_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    product_category = serializers.CharField(max_length=100)
    product_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    region = UnitCodeField(required=False, allow_null=True, default=None)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    enterprise_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000)
    reporter = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(required=False, default=None)


class ReviewInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[s.value for s in REVIEW_STAGES])
    probability = serializers.IntegerField(min_value=1, max_value=4)
    severity = serializers.IntegerField(min_value=1, max_value=4)
    opinion = serializers.CharField(max_length=5000)
    expert = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    info_grade = serializers.ChoiceField(choices=InfoGrade.choices, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="optional: the version the change is based on"
    )


class DisposalInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DisposalKind.choices)
    owner = UnitCodeField()
    instruction = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    planned_samples = serializers.IntegerField(min_value=1, max_value=100000, required=False, allow_null=True,
                                               default=None)  # fmt: skip


class ResultInputSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="optional: the version the change is based on"
    )


class SignalQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period = serializers.RegexField(r"^\d{4}(-(0[1-9]|1[0-2])|Q[1-4])$", required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["period"] and int(attrs["period"][:4]) != attrs["year"]:
            raise serializers.ValidationError({"period": "period must lie in year"})
        return attrs


class SignalOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    key = serializers.CharField(max_length=400)


class LevelRuleSerializer(serializers.ModelSerializer):
    class Meta:
        from qualityplan.risk.models import LevelRule

        model = LevelRule
        fields = ["id", "level", "min_score", "colour", "disposal_workdays", "version"]
        read_only_fields = ["id", "level", "colour"]


class LevelRuleInputSerializer(serializers.Serializer):
    min_score = serializers.IntegerField(min_value=1, max_value=16)
    disposal_workdays = serializers.IntegerField(min_value=0, max_value=60)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="optional: the version the change is based on"
    )


class SignalOutputSerializer(serializers.Serializer):
    """One statistical signal (``risk.detection.Signal``): the numbers behind it and the key that opens a risk."""

    category = serializers.CharField()
    unit = serializers.CharField()
    unit_code = serializers.CharField()
    period = serializers.CharField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.FloatField()
    province_rate = serializers.FloatField()
    limit = serializers.FloatField()
    z = serializers.FloatField(allow_null=True)
    rule = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    key = serializers.CharField()


def inline_linked():
    from drf_spectacular.utils import inline_serializer

    return inline_serializer("RiskSamplesLinked", {"linked": serializers.IntegerField()})


class AutoOpenRuleSerializer(serializers.ModelSerializer):
    class Meta:
        from qualityplan.risk.models import AutoOpenRule

        model = AutoOpenRule
        fields = ["enabled", "open_pchart", "open_run", "open_cluster", "min_z", "min_failed", "version"]
        read_only_fields = fields


class AutoOpenRuleInputSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    open_pchart = serializers.BooleanField()
    open_run = serializers.BooleanField()
    open_cluster = serializers.BooleanField()
    min_z = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, max_value=50)
    min_failed = serializers.IntegerField(min_value=1, max_value=100000)
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="optional: the version the change is based on"
    )
