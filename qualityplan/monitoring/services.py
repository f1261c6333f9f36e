"""Writes of the monitoring app: submit an import, withdraw or replace a batch, reap dead batches.

Every function checks its policy (:mod:`qualityplan.monitoring.policies`) itself, so the web view, the API and
the CLI get the same answer; rule violations raise the one :class:`ApplicationError`, refused permissions
:class:`PermissionDenied`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from qualityplan.core import clock
from qualityplan.core.audit import log_bulk
from qualityplan.core.exceptions import ApplicationError
from qualityplan.monitoring import policies
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest import corrections
from qualityplan.monitoring.ingest.progress import worker_alive
from qualityplan.monitoring.ingest.runner import import_batch_create
from qualityplan.monitoring.models import ImportBatch, ImportProgress

MAX_REASON = 2000


def import_batch_submit(*, user, kind: str, name: str, data, replaces: ImportBatch | None = None,
                        reason: str = "", store_file: bool = True) -> ImportBatch:  # fmt: skip
    """Register an uploaded file (the caller queues the run after commit); ``data``: an upload, a path or bytes.

    ``replaces``: a corrected file for that batch (withdraw-and-reload in one transaction when it runs).
    """
    if not policies.can_import(user, kind):
        raise PermissionDenied(f"{user} may not import {kind} files")
    if replaces is not None:
        _check_correction(user, replaces, reason)
        if replaces.kind != kind:
            raise ApplicationError("a corrected file must be of the same kind", {"field": "kind"})
    batch = import_batch_create(kind=kind, name=name, data=data, user=user, store_file=store_file)
    if replaces is not None:
        batch.replaces = replaces
        batch.correction_reason = reason.strip()
        batch.corrected_by = user if getattr(user, "is_authenticated", False) else None
        batch.corrected_at = clock.now()
        batch.save(update_fields=["replaces", "correction_reason", "corrected_by", "corrected_at", "updated_at"])
    return batch


def _check_correction(user, batch: ImportBatch, reason: str) -> None:
    if not corrections.correctable(batch.kind):
        raise ApplicationError(f"{batch.get_kind_display()} batches cannot be corrected", {"field": "kind"})
    if user is not None and not policies.can_correct_batch(user, batch):
        if batch.status != ImportStatus.DONE:
            raise ApplicationError(f"batch #{batch.pk} is {batch.get_status_display()}", {"field": "status"})
        raise PermissionDenied("only the office or the unit that imported a batch may correct it")
    if user is None and batch.status != ImportStatus.DONE:
        raise ApplicationError(f"batch #{batch.pk} is {batch.get_status_display()}", {"field": "status"})
    if not reason.strip():
        raise ApplicationError("a reason is required", {"field": "reason"})
    if len(reason) > MAX_REASON:
        raise ApplicationError(f"the reason is longer than {MAX_REASON} characters", {"field": "reason"})


def import_batch_withdraw(*, user, batch: ImportBatch, reason: str, version: int | None = None) -> ImportBatch:
    """Withdraw a done batch: its rows are removed, derived values and evaluations recomputed; audited.

    ``version``: the batch version the user saw (optimistic locking: a concurrent correction wins, this fails).
    """
    _check_correction(user, batch, reason)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.DONE or (version is not None and locked.version != version):
            raise ApplicationError(f"batch #{batch.pk} was changed meanwhile; reload the page", {"field": "version"})
        snap = corrections.withdraw(locked)
        locked.status = ImportStatus.WITHDRAWN
        locked.correction_reason = reason.strip()
        locked.corrected_by = user if getattr(user, "is_authenticated", False) else None
        locked.corrected_at = clock.now()
        locked.changes = {"added": 0, "removed": len(snap.rows), "changed": 0}
        locked.version += 1
        locked.save()  # audited (ChangeLog) with the acting user
    return locked


def import_batches_reap(*, timeout_minutes: float | None = None) -> list[int]:
    """Mark running batches whose worker died as failed and remove their progress; returns their ids.

    Dead: the worker process is gone (same host), or — for a worker on another host, or none recorded — no
    heartbeat for ``IMPORT_HEARTBEAT_TIMEOUT`` minutes.  A worker alive on this host is never reaped.
    """
    minutes = timeout_minutes if timeout_minutes is not None else float(settings.IMPORT_HEARTBEAT_TIMEOUT)
    limit = clock.now() - dt.timedelta(minutes=minutes)
    progress = {p.batch_id: p for p in ImportProgress.objects.all()}
    reaped = []
    for batch in ImportBatch.objects.filter(status=ImportStatus.RUNNING):
        p = progress.get(batch.pk)
        alive = worker_alive(p.worker) if p is not None else None
        if alive is True:
            continue
        last = p.heartbeat_at if p is not None else batch.started_at or batch.updated_at
        if alive is False or last is None or last < limit:
            why = "its worker process ended" if alive is False else f"no heartbeat since {last:%Y-%m-%d %H:%M:%S}"
            n = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED,
                message=f"the import stopped: {why}; nothing was written — import the file again",
                finished_at=clock.now(),
            )
            if n:
                reaped.append(batch.pk)
    if reaped:
        ImportProgress.objects.filter(batch_id__in=reaped).delete()
        log_bulk(ImportBatch, action="update", summary={"reaped": reaped})
    return reaped
