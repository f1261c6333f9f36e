"""Change logging for every :class:`~qualityplan.core.models.BaseModel` subclass, users and sign-ins.

The before-state is the row as it was loaded (``BaseModel.from_db``), so logging costs no extra query.
Set-based updates (``bulk_update``, ``QuerySet.update``) bypass signals; services that use them call
:func:`log_changes` with one entry per changed row; set-based loads (``bulk_create`` in importers) record one
summary entry (:func:`log_bulk`).

The log is a hash chain: entry ``n`` stores ``hash = sha256(canonical JSON of its fields + hash of entry n-1)``
and ``seq = n``. Appends take a lock (a transaction-level advisory lock on PostgreSQL; SQLite serialises writers)
and retry on a ``seq`` collision, so concurrent appends cannot fork the chain. :func:`verify_chain` reports the
first broken link: an edited row (its hash no longer matches its content), a deleted row (a gap in ``seq`` or a
``prev_hash`` that does not match) or an inserted row.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from qualityplan.core import clock
from qualityplan.core.middleware import get_current_request, get_current_user

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_410_202_617  # any constant: the advisory lock serialising appends to the change log


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


def snapshot(instance, skip=SKIP_FIELDS) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.attname] = _json_value(getattr(instance, field.attname))
    return _redact(instance, data)


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return None
    return _redact(instance, {k: _json_value(v) for k, v in loaded.items() if k not in SKIP_FIELDS})


def _plain(value):
    """The value as it reads back from a JSON column (so the hash of a stored row can be recomputed)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


# --- the chain -----------------------------------------------------------------------------------------------


def entry_hash(fields: dict, prev_hash: str) -> str:
    """sha256 over the canonical JSON of an entry's fields followed by the previous entry's hash."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256((canonical + prev_hash).encode("utf-8")).hexdigest()


def _hashed_fields(entry, ct_key: str) -> dict:
    time = entry.time.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return {
        "seq": entry.seq,
        "time": time,
        "user_id": entry.user_id,
        "user_name": entry.user_name,
        "unit_id": entry.unit_id,
        "unit_name": entry.unit_name,
        "action": entry.action,
        "content_type": ct_key,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
    }


def _ct_key(content_type_id: int) -> str:
    ct = ContentType.objects.get_for_id(content_type_id)
    return f"{ct.app_label}.{ct.model}"


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def append(entries: list) -> None:
    """Number, chain and insert unsaved ``ChangeLog`` objects (in order), safe under concurrent appends."""
    from qualityplan.core.models import ChangeLog

    if not entries:
        return
    for entry in entries:
        entry.time = entry.time or clock.now()
        entry.before = _plain(entry.before)
        entry.after = _plain(entry.after)
    for attempt in range(20):
        try:
            with transaction.atomic():
                _lock()
                last = ChangeLog.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
                seq, prev = last if last else (0, GENESIS)
                for entry in entries:
                    seq += 1
                    entry.pk = None
                    entry.seq = seq
                    entry.prev_hash = prev
                    entry.hash = entry_hash(_hashed_fields(entry, _ct_key(entry.content_type_id)), prev)
                    prev = entry.hash
                ChangeLog.objects.bulk_create(entries)
            return
        except IntegrityError:  # another writer took the same seq between our read and our insert
            if attempt == 19:
                raise


@dataclass
class Broken:
    seq: int | None
    pk: int
    reason: str

    def __str__(self) -> str:
        return f"entry id={self.pk} seq={self.seq}: {self.reason}"


def verify_chain() -> tuple[int, Broken | None]:
    """Walk the log in ``seq`` order; return (entries checked, the first broken link or None)."""
    from qualityplan.core.models import ChangeLog

    prev_seq, prev_hash, checked = 0, GENESIS, 0
    unchained = ChangeLog.objects.filter(seq__isnull=True).order_by("id").first()
    if unchained is not None:
        return 0, Broken(None, unchained.pk, "entry outside the chain (no sequence number): inserted")
    for entry in ChangeLog.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != prev_seq + 1:
            return checked, Broken(
                entry.seq, entry.pk, f"sequence jumps from {prev_seq} to {entry.seq}: entries deleted"
            )
        if entry.prev_hash != prev_hash:
            return checked, Broken(entry.seq, entry.pk, "previous-hash link does not match: entry inserted or replaced")
        if entry.hash != entry_hash(_hashed_fields(entry, _ct_key(entry.content_type_id)), entry.prev_hash):
            return checked, Broken(entry.seq, entry.pk, "content does not match its hash: entry edited")
        prev_seq, prev_hash, checked = entry.seq, entry.hash, checked + 1
    return checked, None


# --- writing entries ---------------------------------------------------------------------------------------------


def _actor(user=None) -> dict:
    user = user if user is not None else get_current_user()
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "user_name": "system", "unit_id": None, "unit_name": ""}
    unit = getattr(user, "unit", None)
    return {
        "user": user,
        "user_name": user.get_username(),
        "unit_id": getattr(user, "unit_id", None),
        "unit_name": str(getattr(unit, "name", "") or "")[:100],
    }


def _entry(model_or_instance, *, action, object_id, object_repr, before, after, actor=None):
    from qualityplan.core.models import ChangeLog

    model = model_or_instance if isinstance(model_or_instance, type) else model_or_instance._meta.model
    return ChangeLog(
        **(actor or _actor()),
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:300],
        before=before,
        after=after,
    )


def _write(instance, action: str, before, after) -> None:
    append([_entry(instance, action=action, object_id=instance.pk, object_repr=instance, before=before, after=after)])


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
    append(
        [
            _entry(
                model,
                action=action,
                object_id="*",
                object_repr=summary.get("title", model._meta.verbose_name),
                before=None,
                after=summary,
            )
        ]
    )


def log_changes(model, changes) -> None:
    """One ``update`` entry per row changed by a set-based update.

    ``changes`` yields ``(pk, repr, before, after)`` with ``before``/``after`` dicts of the changed fields.
    """
    actor = _actor()
    entries = [
        _entry(model, action="update", object_id=pk, object_repr=rep, before=before, after=after, actor=actor)
        for pk, rep, before, after in changes
        if _plain(before) != _plain(after)
    ]
    append(entries)


def log_bulk_update(objs, fields: list[str], before_of: dict) -> None:
    """Log a ``bulk_update`` of ``objs``: ``before_of[pk]`` holds the values of ``fields`` before the change."""
    objs = list(objs)
    if not objs:
        return
    log_changes(
        type(objs[0]),
        ((o.pk, o, dict(zip(fields, before_of[o.pk], strict=True)), {f: getattr(o, f) for f in fields}) for o in objs),
    )


# --- users, permissions and sign-ins -------------------------------------------------------------------------------

USER_SKIP = {"password", "last_login", "date_joined"}


def _on_user_pre_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = snapshot(old, USER_SKIP) if old is not None else None
    instance._audit_old_password = old.password if old is not None else None


def _on_user_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance, USER_SKIP)
    before = getattr(instance, "_audit_before", None)
    if not created and getattr(instance, "_audit_old_password", None) != instance.password:
        before = {**(before or {}), "password": "(old)"}
        after["password"] = "(changed)"
    if created:
        _write(instance, "create", None, after)
    elif before is not None and before != after:
        _write(instance, "update", before, after)


def _on_user_delete(sender, instance, **kwargs):
    _write(instance, "delete", snapshot(instance, USER_SKIP), None)


def _on_m2m(sender, instance, action, model, pk_set, reverse=False, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    field = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        sender._meta.model_name,
    )
    names = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or [])) if pk_set else []
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _write(instance, "update", None, {field: {verb: names}})


def _client_ip(request) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def _session_event(action: str, request, user) -> None:
    if user is None:
        return
    after = {"ip": _client_ip(request)}
    name = user.get_username()
    append(
        [_entry(user, action=action, object_id=user.pk, object_repr=name, before=None, after=after, actor=_actor(user))]
    )


def _on_login(sender, request, user, **kwargs):
    _session_event("login", request, user)


def _on_logout(sender, request, user, **kwargs):
    _session_event("logout", request, user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    actor = {"user": None, "user_name": username, "unit_id": None, "unit_name": ""}
    append(
        [
            _entry(
                get_user_model(),
                action="login_failed",
                object_id="-",
                object_repr=username,
                before=None,
                after={"ip": _client_ip(request or get_current_request())},
                actor=actor,
            )
        ]
    )


def connect_signals() -> None:
    from django.contrib.auth.models import Group

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
    user_model = get_user_model()
    pre_save.connect(_on_user_pre_save, sender=user_model, dispatch_uid="audit-user-pre-save")
    post_save.connect(_on_user_save, sender=user_model, dispatch_uid="audit-user-save")
    post_delete.connect(_on_user_delete, sender=user_model, dispatch_uid="audit-user-delete")
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"audit-m2m-{through._meta.label}")
    user_logged_in.connect(_on_login, dispatch_uid="audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit-login-failed")
