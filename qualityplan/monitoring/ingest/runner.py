"""The batch runner: register a file, run it all-or-nothing, record the outcome.

Flow of :func:`import_run`:

1. the file hash is looked up: a file already imported successfully for the same kind adds nothing
   (the batch is marked ``duplicate``);
2. every column is parsed and validated for the whole file; *all* row errors are collected and name
   the file, the spreadsheet row and the field — any error rejects the file and writes nothing;
3. the rows are written in one transaction, set-based (see :mod:`~qualityplan.monitoring.ingest.writers`);
   natural keys make overlapping files idempotent too (existing rows are kept, counted as skipped);
4. derived values are refreshed (air: station-day and city-day values through ``qualityplan.standards``).

Record kinds are registered in :data:`KINDS`; apps above monitoring (indicators: registry items) add their own
kind with :func:`register_kind` from their ``AppConfig.ready`` — monitoring never imports them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from qualityplan.core import clock
from qualityplan.core.audit import log_bulk
from qualityplan.core.middleware import acting_as, get_current_user
from qualityplan.monitoring.choices import ImportKind, ImportStatus
from qualityplan.monitoring.ingest import corrections
from qualityplan.monitoring.ingest.air import load_air
from qualityplan.monitoring.ingest.columns import DICTIONARY, KindColumns
from qualityplan.monitoring.ingest.noise import load_noise
from qualityplan.monitoring.ingest.parser import gc_paused
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.sampling import load_sampling
from qualityplan.monitoring.ingest.sea import load_sea
from qualityplan.monitoring.ingest.station import load_station
from qualityplan.monitoring.ingest.water import load_water
from qualityplan.monitoring.models import ImportBatch
from qualityplan.monitoring.policies import import_row_scope
from qualityplan.monitoring.tables import ImportFailed, RowError, Table, file_sha256, read_table

log = logging.getLogger(__name__)
Loader = Callable[[Table, ImportBatch, Progress], tuple[int, int]]


@dataclass(frozen=True)
class KindSpec:
    loader: Loader
    columns: KindColumns


KINDS: dict[str, KindSpec] = {
    ImportKind.AIR: KindSpec(load_air, DICTIONARY[ImportKind.AIR]),
    ImportKind.WATER: KindSpec(load_water, DICTIONARY[ImportKind.WATER]),
    ImportKind.SEA: KindSpec(load_sea, DICTIONARY[ImportKind.SEA]),
    ImportKind.NOISE: KindSpec(load_noise, DICTIONARY[ImportKind.NOISE]),
    ImportKind.SAMPLING: KindSpec(load_sampling, DICTIONARY[ImportKind.SAMPLING]),
    ImportKind.STATION: KindSpec(load_station, DICTIONARY[ImportKind.STATION]),
}


def register_kind(kind: str, loader: Loader, columns: KindColumns) -> None:
    """Add a record kind owned by a higher app (called from its ``AppConfig.ready``)."""
    KINDS[kind] = KindSpec(loader, columns)
    DICTIONARY[kind] = columns


def import_batch_create(*, kind: str, name: str, data: bytes, user=None, store_file: bool = False) -> ImportBatch:
    """Register a file for import (the upload page stores it and queues :func:`import_run`)."""
    from django.core.files.base import ContentFile

    if kind not in KINDS:
        raise ImportFailed([RowError(name, 0, "kind", f"unknown import kind {kind!r}")])
    batch = ImportBatch(
        kind=kind,
        file_name=name[:255],
        sha256=file_sha256(data),
        user=user if user is not None and user.is_authenticated else None,
        unit=getattr(user, "unit", None),
    )
    if store_file:
        batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    return batch


def import_run(*, batch: ImportBatch, data: bytes | None = None, on_progress=None) -> ImportBatch:
    """Run one batch: duplicate check, parse + validate everything, write in one transaction.

    Never leaves the batch running: a rejected file, and any other exception, end it as ``failed`` with the
    message (the exception is logged with its traceback).  A batch that ``replaces`` an earlier one removes that
    batch's rows in the same transaction and records what changed (:mod:`.corrections`).
    ``on_progress(processed, total, stage)`` is called on every progress step (the CLI progress bar).
    """
    progress = Progress(batch, on_update=on_progress)
    with acting_as(batch.user or get_current_user()):  # audit entries name the uploader, also in a worker
        return _run(batch, data, progress)


def _run(batch: ImportBatch, data: bytes | None, progress: Progress) -> ImportBatch:
    try:
        if data is None:
            with batch.file.open("rb") as fh:
                data = fh.read()
        done = ImportBatch.objects.filter(kind=batch.kind, sha256=batch.sha256, status=ImportStatus.DONE).first()
        if done is not None:
            batch.status = ImportStatus.DUPLICATE
            batch.message = f"identical file already imported as batch #{done.pk} on {done.finished_at:%Y-%m-%d %H:%M}"
            batch.finished_at = clock.now()
            batch.save()
            return batch
        batch.status = ImportStatus.RUNNING
        batch.started_at = clock.now()
        batch.errors, batch.message = [], ""  # a retried batch starts clean
        batch.save(update_fields=["status", "started_at", "errors", "message", "updated_at"])
        progress.start()
        spec = KINDS[batch.kind]
        with gc_paused():
            table = read_table(data, batch.file_name, spec.columns)
        del data
        table.scope = import_row_scope(batch.user, batch.kind)
        batch.total_rows = table.n
        progress.update(0, table.n, "validate", force=True)
        progress.in_transaction = True
        with transaction.atomic(), gc_paused():
            old = corrections.replace_begin(batch)
            created, skipped = spec.loader(table, batch, progress)
            batch.processed_rows = table.n
            # The file's text cells (up to millions of small strings) are no longer needed: free them on a helper
            # thread while the database runs the commit (deferred foreign-key checks; waiting on it releases the
            # GIL). Joined below, so the import does not return before they are freed.
            cells, table.columns = table.columns, {}
            freeing = threading.Thread(target=cells.clear, name="import-free-cells")
            freeing.start()
            if old is not None:
                corrections.replace_finish(batch, old)
            batch.created_rows = created
            batch.skipped_rows = skipped
            batch.status = ImportStatus.DONE
            batch.finished_at = clock.now()
            batch.save()
            log_bulk(
                type(batch),
                action="create",
                summary={"batch": batch.pk, "kind": batch.kind, "file": batch.file_name, "created": created,
                         **({"replaces": batch.replaces_id} if batch.replaces_id else {})},
            )  # fmt: skip
        progress.in_transaction = False
        freeing.join()
        corrections.announce(batch, old)
    except ImportFailed as exc:
        _fail(batch, exc.message, [e.as_dict() for e in exc.errors])
    except Exception as exc:  # never leave a batch running: the message is stored, the traceback logged
        log.exception("import batch #%s failed", batch.pk)
        _fail(batch, f"internal error: {exc.__class__.__name__}: {exc}", [])
    finally:
        progress.clear()
    return batch


def _fail(batch: ImportBatch, message: str, errors: list[dict]) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED,
        errors=errors,
        message=message[:2000],
        total_rows=batch.total_rows,
        finished_at=clock.now(),
    )
    batch.refresh_from_db()


def import_file(*, kind: str, name: str, data: bytes, user=None, on_progress=None) -> ImportBatch:
    """Create and run a batch in-process (CLI, tests, demo)."""
    batch = import_batch_create(kind=kind, name=name, data=data, user=user)
    return import_run(batch=batch, data=data, on_progress=on_progress)
