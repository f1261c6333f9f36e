"""Reads of core data: the change log (office only)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qualityplan.core.models import ChangeLog


def _require_office(user) -> None:
    if not (user and user.is_authenticated and getattr(user, "is_office", False)):
        raise PermissionDenied


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def changelog_list(*, user, filters: dict):
    """Log entries, newest first, filtered by user name, the actor's unit, object type, action and date range."""
    _require_office(user)
    qs = ChangeLog.objects.select_related("content_type").order_by("-seq", "-id")
    if filters.get("user"):
        qs = qs.filter(user_name__iexact=filters["user"].strip())
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"].pk)
    if filters.get("object_type"):
        qs = qs.filter(content_type=filters["object_type"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("date_from"):
        qs = qs.filter(time__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(time__lt=_day_start(filters["date_to"] + dt.timedelta(days=1)))
    return qs


def object_history(*, user, app_label: str, model: str, pk: str):
    _require_office(user)
    return ChangeLog.objects.filter(
        content_type__app_label=app_label, content_type__model=model.lower(), object_id=str(pk)
    ).order_by("-seq", "-id")


def changes_since(*, instance, version: int) -> list[dict]:
    """What changed on ``instance`` after ``version`` (for a stale form): who, when, field, before, after."""
    entries = ChangeLog.objects.filter(
        content_type__app_label=instance._meta.app_label,
        content_type__model=instance._meta.model_name,
        object_id=str(instance.pk),
        action="update",
    ).order_by("seq", "id")
    out = []
    for e in entries:
        if (e.after or {}).get("version", 0) <= version:
            continue
        for name, before, after in e.changed_fields:
            if name != "version":
                out.append({"user": e.user_name, "time": e.time, "field": name, "before": before, "after": after})
    return out
