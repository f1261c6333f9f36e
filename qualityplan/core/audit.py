"""Change logging for every :class:`~qualityplan.core.models.BaseModel` subclass.

The before-state is the row as it was loaded (``BaseModel.from_db``), so logging costs no extra query.
Set-based bulk loads (``bulk_create``) bypass signals by design; importers record one summary entry
instead (see ``log_bulk``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save

from qualityplan.core.middleware import get_current_user


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):  # hasattr(value, "url") raises ValueError on an empty FieldFile
        return value.name or None
    return value


SKIP_FIELDS = {"created_at", "updated_at"}
REDACTED = "[已屏蔽]"


def _redact(instance, data: dict) -> dict:
    """Personal data a model lists in ``audit_redact`` never reaches the log: only that it was set or changed."""
    for name in getattr(instance, "audit_redact", ()):
        if data.get(name):
            data[name] = REDACTED
    return data


def snapshot(instance) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIP_FIELDS:
            continue
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return _redact(instance, data)


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    return _redact(instance, {k: _json_value(v) for k, v in loaded.items() if k not in SKIP_FIELDS})


def _write(instance, action: str, before, after) -> None:
    from qualityplan.core.models import ChangeLog

    user = get_current_user()
    ChangeLog.objects.create(
        user=user,
        user_name=getattr(user, "username", "") if user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(instance.__class__),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw or not getattr(sender, "audited", False):
        return
    after = snapshot(instance)
    if created:
        _write(instance, "create", None, after)
    else:
        before = _loaded_snapshot(instance)
        if before is not None and all(before.get(k) == v for k, v in after.items()):
            return  # saved without a change
        _write(instance, "update", before, after)
    instance._loaded_values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _on_delete(sender, instance, **kwargs):
    if not getattr(sender, "audited", False):
        return
    _write(instance, "delete", snapshot(instance), None)


def log_bulk(model, *, action: str, summary: dict) -> None:
    """Record one audit entry for a set-based operation (imports), naming what it did."""
    from qualityplan.core.models import ChangeLog

    user = get_current_user()
    ChangeLog.objects.create(
        user=user,
        user_name=getattr(user, "username", "") if user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id="*",
        object_repr=str(summary.get("title", model._meta.verbose_name))[:300],
        before=None,
        after=summary,
    )


def connect_signals() -> None:
    from qualityplan.core.models import BaseModel

    def _subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from _subclasses(sub)

    for model in _subclasses(BaseModel):
        if model._meta.abstract or model._meta.proxy:
            continue
        post_save.connect(_on_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"audit-delete-{model._meta.label}")
