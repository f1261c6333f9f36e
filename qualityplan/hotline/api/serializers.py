from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from qualityplan.hotline.masking import caller_for
from qualityplan.hotline.models import OrderEvent, OrderNotice, WorkOrder


class OrderOutputSerializer(serializers.ModelSerializer):
    """Caller data as the requesting user may see it (masked unless the handling unit, the hotline or the office)."""

    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()
    caller_masked = serializers.SerializerMethodField()
    lead_unit_code = serializers.CharField(source="lead_unit.code", read_only=True, default=None, allow_null=True)
    region_code = serializers.CharField(source="region.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "number",
            "version",
            "received_at",
            "channel",
            "caller_name",
            "caller_phone",
            "caller_masked",
            "category",
            "subject",
            "enterprise_uscc",
            "enterprise_name",
            "region",
            "region_code",
            "title",
            "content",
            "status",
            "lead_unit",
            "lead_unit_code",
            "dispatched_at",
            "sign_deadline",
            "signed_at",
            "deadline",
            "original_deadline",
            "stage",
            "return_count",
            "redo_count",
            "extension_days",
            "extension_approved",
            "reply_text",
            "closed_at",
            "handling_hours",
            "satisfaction",
            "resolved",
            "merged_into",
        ]

    def _caller(self, obj):
        cache = self.context.setdefault("_callers", {})
        if obj.pk not in cache:
            cache[obj.pk] = caller_for(self.context["request"].user, obj)
        return cache[obj.pk]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_caller_name(self, obj):
        return self._caller(obj)["name"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_caller_phone(self, obj):
        return self._caller(obj)["phone"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_caller_masked(self, obj):
        return self._caller(obj)["masked"]


@extend_schema_serializer(component_name="HotlineOrderEvent")
class EventOutputSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = OrderEvent
        fields = ["action", "at", "from_status", "to_status", "user", "comment", "data", "created_at"]


@extend_schema_serializer(component_name="HotlineNotice")
class NoticeOutputSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)

    class Meta:
        model = OrderNotice
        fields = [
            "id",
            "order",
            "order_number",
            "kind",
            "stage",
            "number",
            "unit",
            "addressed_to",
            "issued_on",
            "deadline",
            "text",
        ]


class OrderInputSerializer(serializers.Serializer):
    """One order as the hotline platform pushes it (or an agent registers it). Values are validated by the service;
    labels (投诉, 产品质量 …) and codes are both accepted; ``region`` is a unit code or name."""

    number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    received_at = serializers.CharField()
    channel = serializers.CharField(required=False, allow_blank=True)
    caller_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    caller_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    category = serializers.CharField()
    subject = serializers.CharField()
    enterprise_uscc = serializers.CharField(required=False, allow_blank=True, max_length=18)
    enterprise_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    region = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()


@extend_schema_serializer(component_name="HotlineTransitionInput")
class TransitionInputSerializer(serializers.Serializer):
    action = serializers.CharField()
    version = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    cooperating_units = serializers.ListField(child=serializers.CharField(), required=False)
    into = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)
    basis = serializers.CharField(required=False, allow_blank=True)
    days = serializers.IntegerField(required=False)
    satisfaction = serializers.CharField(required=False, allow_blank=True)
    resolved = serializers.BooleanField(allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True)


class AttachmentInputSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    file = serializers.FileField()
