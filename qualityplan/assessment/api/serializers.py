from rest_framework import serializers

from qualityplan.assessment.models import ItemScore, Round, Scheme, UnitAssessment


class SchemeOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scheme
        fields = ["id", "code", "year", "version", "title", "total", "note", "text", "created_at"]


class SchemeInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200000)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class RoundOutputSerializer(serializers.ModelSerializer):
    scheme = serializers.StringRelatedField()
    scheme_id = serializers.IntegerField()

    class Meta:
        model = Round
        fields = [
            "id",
            "year",
            "title",
            "status",
            "scheme",
            "scheme_id",
            "as_of",
            "self_deadline",
            "scored_at",
            "closed_at",
        ]


class RoundOpenInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    scheme = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    as_of = serializers.DateField(required=False)
    self_deadline = serializers.DateField(required=False)


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=40)


class ItemScoreOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="assessment.unit.code")
    round = serializers.IntegerField(source="assessment.round_id")

    class Meta:
        model = ItemScore
        fields = [
            "id", "round", "unit", "code", "title", "max_points", "rule_type", "bonus", "auto_points", "auto_status",
            "auto_explanation", "auto_refs", "auto_value", "self_points", "self_note", "verified_points",
            "verify_reason", "points",
        ]  # fmt: skip


class SelfScoreInputSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class VerifyInputSerializer(serializers.Serializer):
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class UnitAssessmentOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    round = serializers.IntegerField(source="round_id")

    class Meta:
        model = UnitAssessment
        fields = [
            "id", "round", "unit", "unit_name", "status", "score", "base_score", "bonus_score", "grade", "rank",
            "vetoed", "submitted_at", "verified_at",
        ]  # fmt: skip


class LineSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    how = serializers.CharField()
    refs = serializers.ListField(child=serializers.DictField())
    kind = serializers.CharField()


class VetoInputSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="unit code")
    code = serializers.CharField(max_length=30)
    occurred_on = serializers.DateField()
    description = serializers.CharField(max_length=1000)
