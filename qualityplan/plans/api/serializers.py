from rest_framework import serializers

from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan, Target


class PlanOutputSerializer(serializers.ModelSerializer):
    n_targets = serializers.IntegerField(read_only=True)
    n_measures = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "year", "version", "title", "issuer", "date", "status", "n_targets", "n_measures"]


class TargetOutputSerializer(serializers.ModelSerializer):
    plan_year = serializers.IntegerField(source="plan.year", read_only=True)
    measure_number = serializers.CharField(source="measure.number", read_only=True, default=None, allow_null=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True)
    value_max = serializers.DecimalField(max_digits=14, decimal_places=4, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Target
        fields = [
            "id", "plan", "plan_year", "code", "text", "indicator", "comparator", "value", "value_max", "unit", "where",
            "group", "scope", "measure", "measure_number", "baseline_year", "baseline_value", "note", "uncertain",
        ]  # fmt: skip


class TargetInputSerializer(serializers.ModelSerializer):
    """Office edits of a target's classification and baseline (the clause text stays as written)."""

    class Meta:
        model = Target
        fields = ["group", "scope", "baseline_year", "baseline_value", "note", "uncertain"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = MeasureUnit
        fields = ["role", "written", "unit", "group", "position"]


class MeasureOutputSerializer(serializers.ModelSerializer):
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    lead_units = serializers.SerializerMethodField()
    cooperating_units = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "number",
            "title",
            "text",
            "label",
            "note",
            "lead_units",
            "cooperating_units",
            "responsibilities",
        ]

    def get_lead_units(self, obj) -> list[str]:
        return [r.written for r in obj.responsibilities.all() if r.role == "lead"]

    def get_cooperating_units(self, obj) -> list[str]:
        return [r.written for r in obj.responsibilities.all() if r.role == "cooperating"]


class DeadlineOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "plan", "date", "what", "where", "original", "uncertain", "note"]
