"""Writes for the inbox: bulk delivery (inbox + e-mail) and read marks."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.notifications.models import Notification


@dataclass
class Message:
    """One message for one recipient (``user``); ``email`` overrides the user's address when given."""

    user_id: int
    title: str
    body: str = ""
    url: str = ""
    kind: str = "info"
    unit_id: int | None = None
    email: str = ""


def notifications_deliver(*, messages: list[Message], send_email: bool = True) -> int:
    """Put every message in its recipient's inbox (one ``bulk_create``) and e-mail those with an address.

    E-mail goes through Django's mail framework (console backend by default, SMTP via settings) on one
    connection. Returns the number of inbox rows created.
    """
    if not messages:
        return 0
    rows = [
        Notification(
            recipient_id=m.user_id,
            unit_id=m.unit_id,
            kind=m.kind,
            title=m.title[:200],
            body=m.body,
            url=m.url,
            emailed=bool(send_email and m.email),
        )
        for m in messages
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    if send_email:
        mails = [
            EmailMessage(subject=m.title, body=m.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[m.email])
            for m in messages
            if m.email
        ]
        if mails:
            get_connection(fail_silently=True).send_messages(mails)
    return len(rows)


def messages_for_units(*, unit_ids, title: str, body: str, url: str, kind: str, unit_for_scope: int | None = None):
    """Helper for callers that address units: one :class:`Message` per active user of each unit (1 query)."""
    from qualityplan.orgs.models import User

    users = User.objects.filter(unit_id__in=list(unit_ids), is_active=True).values_list("id", "unit_id", "email")
    return [
        Message(user_id=uid, unit_id=unit_for_scope or unit_id, title=title, body=body, url=url, kind=kind, email=email)
        for uid, unit_id, email in users
    ]


def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.recipient_id != user.id:
        raise ApplicationError(_("只能标记本人的消息。"), {"notification": notification.pk})
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())
