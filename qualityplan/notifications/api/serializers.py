from rest_framework import serializers

from qualityplan.notifications.models import Notification


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "unit", "read_at", "created_at"]
