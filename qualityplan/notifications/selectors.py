"""Reads for the inbox: always the requesting user's own messages."""

from __future__ import annotations

from django.db.models import QuerySet

from qualityplan.notifications.models import Notification


def notification_inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user) if user.is_authenticated else Notification.objects.none()
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
