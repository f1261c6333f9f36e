from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from qualityplan.notifications.api.serializers import NotificationOutputSerializer
from qualityplan.notifications.selectors import notification_inbox, notification_unread_count
from qualityplan.notifications.services import notification_mark_all_read, notification_mark_read


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The requesting user's inbox; ``?unread=1`` for unread only."""

    serializer_class = NotificationOutputSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return notification_inbox(user=self.request.user, unread_only=self.request.query_params.get("unread") == "1")

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object(), user=request.user)
        return Response(NotificationOutputSerializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("MarkedCount", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": notification_mark_all_read(user=request.user)})

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": notification_unread_count(user=request.user)})
