"""Writes of the public app: publish (freeze a snapshot), withdraw, publicity activities, reminders."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.public import kinds, policies
from qualityplan.public.cache import stamp_reset
from qualityplan.public.models import Activity, Publication


def _require(allowed: bool) -> None:
    if not allowed:
        raise ApplicationError(_("只有省质量强省办可以发布或撤回公开内容。"), {"field": "user"})


def publication_publish(*, user, kind: str, key: str) -> Publication:
    """Freeze ``kind``/``key`` into a new snapshot with a new random slug; the live one of the same item (if any)
    is withdrawn in the same transaction (a refresh never leaves two versions, nor a moment with none)."""
    _require(policies.can_publish(user))
    k = kinds.get(kind)
    key = str(key or "").strip()
    if not key or len(key) > 100:
        raise ApplicationError(_("条目无效"), {"field": "key"})
    data = k.build(key, user)
    now = clock.now()
    with acting_as(user), transaction.atomic():
        stamp_reset()  # this request and tests; again after commit (a concurrent request may re-cache the old one)
        transaction.on_commit(stamp_reset)
        for old in Publication.objects.select_for_update().filter(kind=kind, key=key, withdrawn_at__isnull=True):
            old.withdrawn_at = now
            old.save(update_fields=["withdrawn_at", "updated_at"])
        return Publication.objects.create(
            kind=kind,
            key=key,
            title=str(data.get("title") or key)[:300],
            data=data,
            published_at=now,
            published_by=user if getattr(user, "pk", None) else None,
        )


def publication_withdraw(*, user, publication: Publication) -> Publication:
    """Take an item off the portal and open data at once (its slug is never reused)."""
    _require(policies.can_publish(user))
    if publication.withdrawn_at is None:
        publication.withdrawn_at = clock.now()
        with acting_as(user):
            publication.save(update_fields=["withdrawn_at", "updated_at"])
        stamp_reset()  # this request and tests; again after commit (a concurrent request may re-cache the old one)
        transaction.on_commit(stamp_reset)
    return publication


ACTIVITY_FIELDS = ("title", "theme", "starts_on", "ends_on", "organiser", "place", "measure", "description", "public")


def activity_save(*, user, data: dict, activity: Activity | None = None) -> Activity:
    if not policies.can_manage_activity(user):
        raise ApplicationError(_("只有省质量强省办可以登记宣传活动。"), {"field": "user"})
    activity = activity or Activity()
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    if activity.ends_on and activity.ends_on < activity.starts_on:
        raise ApplicationError(_("结束日期不能早于开始日期"), {"field": "ends_on"})
    with acting_as(user):
        activity.save()
    stamp_reset()  # this request and tests; again after commit (a concurrent request may re-cache the old one)
    transaction.on_commit(stamp_reset)
    return activity
