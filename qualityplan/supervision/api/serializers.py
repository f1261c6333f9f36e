from rest_framework import serializers

from qualityplan.supervision.choices import ItemSource
from qualityplan.supervision.models import ItemUnit, Notice, RectificationItem, SupervisionItem


class AssignmentOutputSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = ItemUnit
        fields = ["unit", "unit_code", "role"]


class RectificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationItem
        fields = ["id", "title", "unit", "status", "plan_text", "report_text", "verify_comment", "closed_on"]


class NoticeOutputSerializer(serializers.ModelSerializer):
    item_number = serializers.CharField(source="item.number", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "item",
            "item_number",
            "kind",
            "stage",
            "number",
            "unit",
            "addressed_to",
            "leader_name",
            "issued_on",
            "deadline",
            "text",
        ]


class ItemOutputSerializer(serializers.ModelSerializer):
    lead_unit_code = serializers.CharField(source="lead_unit.code", read_only=True)

    class Meta:
        model = SupervisionItem
        fields = [
            "id",
            "number",
            "year",
            "title",
            "source",
            "source_ref",
            "requirement",
            "lead_unit",
            "lead_unit_code",
            "deadline_workdays",
            "assigned_on",
            "deadline",
            "original_deadline",
            "stage",
            "status",
            "extension_until",
            "closed_on",
            "task",
        ]


class ItemDetailOutputSerializer(ItemOutputSerializer):
    assignments = AssignmentOutputSerializer(many=True, read_only=True)
    rectifications = RectificationOutputSerializer(many=True, read_only=True)
    notices = NoticeOutputSerializer(many=True, read_only=True)

    class Meta(ItemOutputSerializer.Meta):
        fields = [*ItemOutputSerializer.Meta.fields, "assignments", "rectifications", "notices"]


class ItemCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    source = serializers.ChoiceField(choices=ItemSource.choices)
    source_ref = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    requirement = serializers.CharField(max_length=5000)
    lead_unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    cooperating_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, default=list
    )
    deadline_workdays = serializers.IntegerField(min_value=1, max_value=250, default=15)


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40)
    comment = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    until = serializers.DateField(required=False)
    text = serializers.CharField(max_length=200000, required=False, allow_blank=True)
    workdays = serializers.IntegerField(required=False, min_value=1, max_value=250)
    file = serializers.FileField(required=False)


class RectificationCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    unit = serializers.IntegerField(max_value=2**31 - 1, required=False)
