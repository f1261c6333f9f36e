from rest_framework import serializers

from qualityplan.credit.choices import Domain, EventKind, RecallKind
from qualityplan.credit.models import CreditEvent, Enterprise, RepairApplication


class EnterpriseOutputSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", default=None)

    class Meta:
        model = Enterprise
        fields = ["id", "uscc", "uscc_valid", "uscc_error", "name", "region", "industry"]


class EventOutputSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    uscc = serializers.CharField(source="enterprise.uscc")
    unit = serializers.CharField(source="unit.name", default=None)

    class Meta:
        model = CreditEvent
        fields = [
            "id", "enterprise", "uscc", "kind", "date", "published_on", "decision_no", "penalties", "fine_yuan",
            "lower_amount", "restrict_years", "domain", "recall_kind", "note", "unit", "sampling_record",
            "received_on", "recheck_status", "starts_on", "last_day", "months", "repair_from", "ended_on",
            "supervision_item", "version",
        ]  # fmt: skip


class PublicEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CreditEvent
        fields = ["kind", "decision_no", "date", "penalties", "fine_yuan", "starts_on", "last_day"]


class EventCreateInputSerializer(serializers.Serializer):
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    enterprise = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=[c for c in EventKind.choices if c[0] not in (EventKind.SAMPLE_FAIL, EventKind.REPAIR)]
    )
    date = serializers.DateField()
    published_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_no = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    penalties = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)
    fine_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None, min_value=0
    )
    lower_amount = serializers.BooleanField(required=False, allow_null=True, default=None)
    restrict_years = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=99)
    domain = serializers.ChoiceField(choices=Domain.choices, default=Domain.OTHER)
    recall_kind = serializers.ChoiceField(choices=RecallKind.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RepairOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RepairApplication
        fields = [
            "id",
            "event",
            "unit",
            "applicant",
            "received_on",
            "deadline",
            "status",
            "decided_on",
            "decision_note",
            "version",
        ]


class DecideInputSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    decided_on = serializers.DateField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(min_value=1)


class StatusQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    uscc = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
