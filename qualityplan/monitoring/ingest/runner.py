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

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from qualityplan.core.audit import log_bulk
from qualityplan.monitoring.choices import ImportKind, ImportStatus
from qualityplan.monitoring.ingest.air import load_air
from qualityplan.monitoring.ingest.columns import ALIASES
from qualityplan.monitoring.ingest.noise import load_noise
from qualityplan.monitoring.ingest.parser import gc_paused
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.sampling import load_sampling
from qualityplan.monitoring.ingest.sea import load_sea
from qualityplan.monitoring.ingest.station import load_station
from qualityplan.monitoring.ingest.water import load_water
from qualityplan.monitoring.models import ImportBatch
from qualityplan.monitoring.tables import ImportFailed, RowError, Table, file_sha256, read_table

Loader = Callable[[Table, ImportBatch, Progress], tuple[int, int]]


@dataclass(frozen=True)
class KindSpec:
    loader: Loader
    aliases: dict[str, str] = field(default_factory=dict)  # header spellings of this kind only


KINDS: dict[str, KindSpec] = {
    ImportKind.AIR: KindSpec(load_air),
    ImportKind.WATER: KindSpec(load_water),
    ImportKind.SEA: KindSpec(load_sea),
    ImportKind.NOISE: KindSpec(load_noise),
    ImportKind.SAMPLING: KindSpec(load_sampling),
    ImportKind.STATION: KindSpec(load_station),
}


def register_kind(kind: str, loader: Loader, *, aliases: dict[str, str] | None = None) -> None:
    """Add a record kind owned by a higher app (called from its ``AppConfig.ready``)."""
    KINDS[kind] = KindSpec(loader, dict(aliases or {}))


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


def import_run(*, batch: ImportBatch, data: bytes | None = None) -> ImportBatch:
    """Run one batch: duplicate check, parse + validate everything, write in one transaction."""
    if data is None:
        with batch.file.open("rb") as fh:
            data = fh.read()
    progress = Progress(batch)
    done = ImportBatch.objects.filter(kind=batch.kind, sha256=batch.sha256, status=ImportStatus.DONE).first()
    if done is not None:
        batch.status = ImportStatus.DUPLICATE
        batch.message = f"identical file already imported as batch #{done.pk} on {done.finished_at:%Y-%m-%d %H:%M}"
        batch.finished_at = timezone.now()
        batch.save()
        return batch
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.save(update_fields=["status", "started_at", "updated_at"])
    try:
        aliases = ALIASES | KINDS[batch.kind].aliases
        with gc_paused():
            table = read_table(data, batch.file_name, aliases)
        batch.total_rows = table.n
        progress.update(0, table.n, "validate", force=True)
        with transaction.atomic(), gc_paused():
            created, skipped = KINDS[batch.kind].loader(table, batch, progress)
            batch.processed_rows = table.n
            # The file's text cells (up to millions of small strings) are no longer needed: free them on a helper
            # thread while the database runs the commit (deferred foreign-key checks; waiting on it releases the
            # GIL). Joined below, so the import does not return before they are freed.
            cells, table.columns = table.columns, {}
            freeing = threading.Thread(target=cells.clear, name="import-free-cells")
            freeing.start()
            batch.created_rows = created
            batch.skipped_rows = skipped
            batch.status = ImportStatus.DONE
            batch.finished_at = timezone.now()
            batch.save()
            log_bulk(
                type(batch),
                action="create",
                summary={"batch": batch.pk, "kind": batch.kind, "file": batch.file_name, "created": created},
            )
        freeing.join()
    except ImportFailed as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            errors=[e.as_dict() for e in exc.errors],
            message=exc.message[:2000],
            total_rows=batch.total_rows,
            finished_at=timezone.now(),
        )
        batch.refresh_from_db()
    finally:
        progress.clear()
    return batch


def import_file(*, kind: str, name: str, data: bytes, user=None) -> ImportBatch:
    """Create and run a batch in-process (CLI, tests, demo)."""
    batch = import_batch_create(kind=kind, name=name, data=data, user=user)
    return import_run(batch=batch, data=data)
