from rest_framework import serializers

from qualityplan.ledger.choices import TaskStatus
from qualityplan.ledger.models import Milestone, ProgressUpdate, Summary, Task, TaskPart


class MilestoneOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "reached_on"]


class PartOutputSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = TaskPart
        fields = ["id", "task", "unit", "unit_code", "description", "deadline", "status", "last_update_on"]


class TaskOutputSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    measure_number = serializers.CharField(source="measure.number", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "measure",
            "measure_number",
            "unit",
            "unit_code",
            "title",
            "owner_name",
            "owner_phone",
            "deadline",
            "expected_output",
            "status",
            "cancel_reason",
            "last_update_on",
            "overdue_since",
        ]


class TaskDetailOutputSerializer(TaskOutputSerializer):
    milestones = MilestoneOutputSerializer(many=True, read_only=True)
    parts = PartOutputSerializer(many=True, read_only=True)

    class Meta(TaskOutputSerializer.Meta):
        fields = [*TaskOutputSerializer.Meta.fields, "milestones", "parts"]


class TaskCreateInputSerializer(serializers.Serializer):
    measure = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    unit = serializers.IntegerField(max_value=2**31 - 1, required=False)
    title = serializers.CharField(max_length=300)
    owner_name = serializers.CharField(max_length=50)
    owner_phone = serializers.CharField(max_length=30, required=False, default="")
    deadline = serializers.DateField()
    expected_output = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    milestones = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    parts = serializers.ListField(child=serializers.DictField(), required=False, default=list)


class TaskUpdateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    owner_name = serializers.CharField(max_length=50, required=False)
    owner_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False)
    expected_output = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ProgressInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    narrative = serializers.CharField(max_length=5000)
    reason = serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)
    part = serializers.IntegerField(max_value=2**31 - 1, required=False, allow_null=True)
    milestone = serializers.IntegerField(max_value=2**31 - 1, required=False, allow_null=True)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ProgressOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "task", "part", "unit", "status", "milestone", "narrative", "reason", "reported_on"]


class SummaryOutputSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Summary
        fields = [
            "id",
            "plan",
            "unit",
            "unit_code",
            "kind",
            "due_date",
            "status",
            "text",
            "next_year_plan",
            "submitted_at",
            "returned_reason",
            "returned_at",
            "return_count",
        ]


class SummarySubmitInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200000, required=False, default="", allow_blank=True)
    next_year_plan = serializers.CharField(required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False)


class SummaryReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
