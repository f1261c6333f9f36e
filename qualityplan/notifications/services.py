"""Writes for the inbox: bulk delivery (inbox + e-mail) and read marks."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.notifications import policies
from qualityplan.notifications.models import Notification, NotificationPreference


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
    prefs = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(user_id__in={m.user_id for m in messages if m.email})
    }

    def mail_now(m: Message) -> bool:
        pref = prefs.get(m.user_id)
        return bool(send_email and m.email) and (pref is None or (pref.wants_email(m.kind) and not pref.daily_digest))

    rows = [
        Notification(
            recipient_id=m.user_id,
            unit_id=m.unit_id,
            kind=m.kind,
            title=m.title[:200],
            body=m.body,
            url=m.url,
            emailed=mail_now(m),
        )
        for m in messages
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    if send_email:
        mails = [
            EmailMessage(subject=m.title, body=m.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[m.email])
            for m in messages
            if mail_now(m)
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


def notify_units(*, unit_ids, title: str, body: str = "", url: str = "", kind: str = "info") -> int:
    """Tell every active user of the given units (inbox, and e-mail per their preferences)."""
    return notifications_deliver(
        messages=messages_for_units(unit_ids=unit_ids, title=title, body=body, url=url, kind=kind)
    )


def notify_office(*, title: str, body: str = "", url: str = "", kind: str = "info", unit_id: int | None = None) -> int:
    """Tell every active office user (领导小组办公室) about a hand-over to the office; ``unit_id`` is the sender."""
    from qualityplan.orgs.models import User
    from qualityplan.orgs.roles import Role

    users = User.objects.filter(role=Role.OFFICE, is_active=True).values_list("id", "email")
    return notifications_deliver(
        messages=[
            Message(user_id=uid, unit_id=unit_id, title=title, body=body, url=url, kind=kind, email=email)
            for uid, email in users
        ]
    )


def notifications_send_digest(*, now=None) -> int:
    """Daily job: one e-mail per user who chose the digest, listing the messages not yet e-mailed.

    Idempotent: the listed messages are marked as e-mailed. Returns the number of e-mails sent.
    """
    from qualityplan.orgs.models import User

    now = now or clock.now()
    prefs = NotificationPreference.objects.filter(daily_digest=True, email_enabled=True).select_related("user")
    mails, sent_ids = [], []
    for pref in prefs:
        user: User = pref.user
        if not (user.is_active and user.email):
            continue
        pending = [
            n
            for n in Notification.objects.filter(recipient=user, emailed=False, created_at__lte=now).order_by(
                "created_at"
            )
            if pref.wants_email(n.kind)
        ]
        if not pending:
            continue
        lines = [_("您有 %(n)s 条新消息：") % {"n": len(pending)}, ""]
        for n in pending:
            lines.append(f"[{n.get_kind_display()}] {n.title}")
            if n.url:
                lines.append(f"    {n.url}")
        subject = _("每日消息汇总（%(date)s）") % {"date": timezone.localtime(now).date().isoformat()}
        mails.append(
            EmailMessage(
                subject=subject, body="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
            )
        )
        sent_ids.extend(n.pk for n in pending)
    if mails:
        get_connection(fail_silently=True).send_messages(mails)
        Notification.objects.filter(pk__in=sent_ids).update(emailed=True)
    return len(mails)


def preference_update(*, user, email_enabled: bool, daily_digest: bool, email_muted_kinds: list[str]):
    """Save the user's own delivery preferences (audited)."""
    from qualityplan.notifications.choices import NotificationKind

    if not policies.can_change_preferences(user, user):
        raise ApplicationError(_("请先登录。"), {"user": None})
    unknown = [k for k in email_muted_kinds if k not in NotificationKind.values]
    if unknown:
        raise ApplicationError(
            _("消息类型：未知的类型 %(kinds)s。") % {"kinds": "、".join(unknown)}, {"field": "email_muted_kinds"}
        )
    pref, _created = NotificationPreference.objects.get_or_create(user=user)
    pref.email_enabled = email_enabled
    pref.daily_digest = daily_digest
    pref.email_muted_kinds = sorted(set(email_muted_kinds))
    pref.save()
    return pref


def notification_mark_read(*, notification: Notification, user) -> Notification:
    if notification.recipient_id != user.id:
        raise ApplicationError(_("只能标记本人的消息。"), {"notification": notification.pk})
    if notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())
