"""The batch runner: register a file, run it all-or-nothing, record the outcome.

Flow of :func:`import_run`:

1. the file hash is looked up: a file already imported successfully for the same kind adds nothing
   (the batch is marked ``duplicate``);
2. the file is read in chunks of ``IMPORT_CHUNK_ROWS`` rows (:class:`~qualityplan.monitoring.tables.TableReader`;
   an upload is read from the private storage, a copy in ``IMPORT_TMP_DIR`` when the storage has no local path),
   never whole into memory; every column is parsed and validated; *all* row errors are collected and name the
   file, the spreadsheet row and the field — any error rejects the file and writes nothing;
3. the rows are written in one transaction, set-based (see :mod:`~qualityplan.monitoring.ingest.writers`); every
   record kind is streamed (air by its own loader, the others through :func:`chunked`): each chunk is checked and
   written inside that transaction while no error has been found, later chunks are only checked, and any error
   rolls everything back; in-file duplicates are found across chunks; natural keys make overlapping files
   idempotent too (existing rows are kept, counted as skipped); the station register is read whole (it is small
   and its rows refer to each other);
4. derived values are refreshed (air: station-day and city-day values through ``qualityplan.standards``, a window
   of days at a time).

Record kinds are registered in :data:`KINDS`; apps above monitoring (indicators: registry items) add their own
kind with :func:`register_kind` from their ``AppConfig.ready`` — monitoring never imports them.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
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
from qualityplan.monitoring.ingest.sampling import finish_sampling, load_sampling
from qualityplan.monitoring.ingest.sea import load_sea
from qualityplan.monitoring.ingest.station import load_station
from qualityplan.monitoring.ingest.water import load_water
from qualityplan.monitoring.models import ImportBatch
from qualityplan.monitoring.policies import import_row_scope
from qualityplan.monitoring.tables import ImportFailed, RowError, Table, TableReader, file_sha256, tmp_dir

log = logging.getLogger(__name__)
Loader = Callable[[Table, ImportBatch, Progress], tuple[int, int]]


@dataclass(frozen=True)
class KindSpec:
    loader: Loader
    columns: KindColumns
    streaming: bool = False  # the loader takes the TableReader (chunks) instead of the whole Table


class _ChunkProgress:
    """Progress of one chunk's writes reported as progress through the whole file."""

    def __init__(self, progress: Progress, reader: TableReader, offset: int, n: int):
        self.progress, self.reader, self.offset, self.n = progress, reader, offset, n

    def update(self, processed: int, total: int, stage: str, force: bool = False) -> None:
        done = self.offset + (round(self.n * min(processed, total) / total) if total else 0)
        self.progress.update(done, max(self.reader.total_estimate(), done), stage, force=force)


def chunked(loader: Loader, finish: Callable[[ImportBatch], None] | None = None) -> Loader:
    """A streaming loader made of a per-table ``loader``: memory is one chunk (``IMPORT_CHUNK_ROWS`` rows) plus the
    file's duplicate keys.

    Each chunk is checked and written while no chunk has been refused; after a refusal the later chunks are still
    checked (``Table.validate_only``), so every bad row of the file is reported, and :class:`ImportFailed` at the
    end rolls back what the earlier chunks wrote.  A header error (row 1: a required column is missing) is the same
    in every chunk and ends the run at once.  ``finish(batch)`` runs once after the last chunk.
    """

    def load(reader: TableReader, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
        errors: list[RowError] = []
        created = skipped = 0
        for table in reader.chunks():
            table.validate_only = bool(errors)
            offset = reader.read - table.n
            progress.update(offset, reader.total_estimate(), "validate")
            try:
                with gc_paused():
                    c, s = loader(table, batch, _ChunkProgress(progress, reader, offset, table.n))
            except ImportFailed as exc:
                if all(e.row <= 1 for e in exc.errors):
                    raise
                errors.extend(exc.errors)
                continue
            created, skipped = created + c, skipped + s
        if errors:
            raise ImportFailed(errors)
        if finish is not None:
            finish(batch)
        return created, skipped

    load.__name__ = load.__qualname__ = f"chunked_{loader.__name__}"
    load.__doc__ = loader.__doc__
    return load


KINDS: dict[str, KindSpec] = {
    ImportKind.AIR: KindSpec(load_air, DICTIONARY[ImportKind.AIR], streaming=True),
    ImportKind.WATER: KindSpec(chunked(load_water), DICTIONARY[ImportKind.WATER], streaming=True),
    ImportKind.SEA: KindSpec(chunked(load_sea), DICTIONARY[ImportKind.SEA], streaming=True),
    ImportKind.NOISE: KindSpec(chunked(load_noise), DICTIONARY[ImportKind.NOISE], streaming=True),
    ImportKind.SAMPLING: KindSpec(
        chunked(load_sampling, finish_sampling), DICTIONARY[ImportKind.SAMPLING], streaming=True
    ),
    ImportKind.STATION: KindSpec(load_station, DICTIONARY[ImportKind.STATION]),
}


def register_kind(
    kind: str, loader: Loader, columns: KindColumns, finish: Callable[[ImportBatch], None] | None = None
) -> None:
    """Add a record kind owned by a higher app (called from its ``AppConfig.ready``); its per-table ``loader`` is
    streamed through :func:`chunked`."""
    KINDS[kind] = KindSpec(chunked(loader, finish), columns, streaming=True)
    DICTIONARY[kind] = columns


def import_batch_create(*, kind: str, name: str, data, user=None, store_file: bool = False) -> ImportBatch:
    """Register a file for import (the upload page stores it and queues :func:`import_run`).

    ``data``: bytes, a path, or a file object (an upload): hashed and stored block by block, never read whole.
    """
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
        if isinstance(data, (bytes, bytearray)):
            batch.file.save(name, ContentFile(data), save=False)
        elif isinstance(data, (str, os.PathLike)):
            with open(data, "rb") as fh:
                batch.file.save(name, File(fh), save=False)
        else:
            data.seek(0)
            batch.file.save(name, data if isinstance(data, File) else File(data), save=False)
    batch.save()
    return batch


def _local_path(field_file) -> str | None:
    try:
        return field_file.path
    except NotImplementedError:  # a storage without local files (S3)
        return None


@contextmanager
def _stored_source(batch: ImportBatch):
    """A local path of the batch's stored file: the storage's own path, or a temporary copy (S3) that is removed."""
    path = _local_path(batch.file)
    if path is not None and os.path.isfile(path):
        yield Path(path)
        return
    fd, tmp = tempfile.mkstemp(prefix=f"import-{batch.pk}-", suffix=Path(batch.file_name).suffix, dir=tmp_dir())
    try:
        with os.fdopen(fd, "wb") as out, batch.file.open("rb") as fh:
            shutil.copyfileobj(fh, out, 1 << 20)
        yield Path(tmp)
    finally:
        os.unlink(tmp)


def import_run(*, batch: ImportBatch, data=None, on_progress=None) -> ImportBatch:
    """Run one batch: duplicate check, parse + validate everything, write in one transaction.

    Never leaves the batch running: a rejected file, and any other exception, end it as ``failed`` with the
    message (the exception is logged with its traceback).  A batch that ``replaces`` an earlier one removes that
    batch's rows in the same transaction and records what changed (:mod:`.corrections`).
    ``on_progress(processed, total, stage)`` is called on every progress step (the CLI progress bar).
    ``data``: the file as bytes or a path; None = the batch's stored file.
    """
    progress = Progress(batch, on_update=on_progress)
    with acting_as(batch.user or get_current_user()):  # audit entries name the uploader, also in a worker
        return _run(batch, data, progress)


def _run(batch: ImportBatch, data, progress: Progress) -> ImportBatch:
    reader = None
    try:
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
        with _stored_source(batch) if data is None else _given(data) as source:
            reader = TableReader(source, batch.file_name, spec.columns)
            reader.scope = import_row_scope(batch.user, batch.kind)
            progress.update(0, 0, "validate", force=True)
            progress.in_transaction = True
            with transaction.atomic():
                old = corrections.replace_begin(batch)
                freeing = None
                if spec.streaming:
                    created, skipped = spec.loader(reader, batch, progress)
                else:
                    with gc_paused():
                        table = reader.read_all()
                        batch.total_rows = table.n
                        progress.update(0, table.n, "validate", force=True)
                        created, skipped = spec.loader(table, batch, progress)
                    # The file's text cells are no longer needed: free them on a helper thread while the database
                    # runs the commit (deferred foreign-key checks; waiting on it releases the GIL).  Joined below.
                    cells, table.columns = table.columns, {}
                    freeing = threading.Thread(target=cells.clear, name="import-free-cells")
                    freeing.start()
                batch.total_rows = batch.processed_rows = reader.read
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
            if freeing is not None:
                freeing.join()
        corrections.announce(batch, old)
    except ImportFailed as exc:
        if reader is not None:
            batch.total_rows = max(batch.total_rows or 0, reader.read)
        _fail(batch, exc.message, [e.as_dict() for e in exc.errors])
    except Exception as exc:  # never leave a batch running: the message is stored, the traceback logged
        log.exception("import batch #%s failed", batch.pk)
        _fail(batch, f"internal error: {exc.__class__.__name__}: {exc}", [])
    finally:
        progress.clear()
    return batch


@contextmanager
def _given(data):
    yield data


def _fail(batch: ImportBatch, message: str, errors: list[dict]) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED,
        errors=errors,
        message=message[:2000],
        total_rows=batch.total_rows,
        finished_at=clock.now(),
    )
    batch.refresh_from_db()


def import_file(*, kind: str, name: str, data, user=None, on_progress=None) -> ImportBatch:
    """Create and run a batch in-process (CLI, tests, demo); ``data`` is bytes or a path."""
    batch = import_batch_create(kind=kind, name=name, data=data, user=user)
    return import_run(batch=batch, data=data, on_progress=on_progress)
