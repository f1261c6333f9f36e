"""Progress and heartbeat of a running import batch, in the database (shared by every web node and worker).

The import itself runs in one transaction; progress must be visible while it is open, so :class:`Progress` writes
the :class:`~qualityplan.monitoring.models.ImportProgress` row on a connection of its own (autocommit).  A
heartbeat thread refreshes ``heartbeat_at`` every ``IMPORT_HEARTBEAT_SECONDS`` even while a long step runs, so
:func:`import_reap` can tell a slow import from a dead one.

SQLite allows one writer at a time: while the import transaction holds the write lock, progress writes are
skipped (no wait); the reaper then relies on the worker's process id (SQLite deployments are single-host),
so a live SQLite import is never reaped.  PostgreSQL sees every update.

When the runner is itself called inside a transaction (a caller's ``atomic`` block, or a test), the batch row is not
committed yet: another connection cannot see it, and on PostgreSQL a progress row referencing it would wait for the
caller's transaction.  Side writes are then skipped; the ordinary connection writes the progress before and after.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import DatabaseError

from qualityplan.core import clock
from qualityplan.monitoring.models import ImportProgress

log = logging.getLogger(__name__)
WORKER = f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_seconds() -> float:
    return float(getattr(settings, "IMPORT_HEARTBEAT_SECONDS", 15))


class _SideConnection:
    """A second connection to the default database, in autocommit, for writes outside the import transaction."""

    def __init__(self):
        self.conn = connections.create_connection(DEFAULT_DB_ALIAS)
        self.conn.inc_thread_sharing()  # the runner's thread and the heartbeat thread, one at a time (lock)
        self.lock = threading.Lock()

    def execute(self, sql: str, params: list) -> bool:
        with self.lock:
            try:
                self.conn.ensure_connection()
                with self.conn.cursor() as cur:
                    if self.conn.vendor == "sqlite":
                        cur.execute("PRAGMA busy_timeout = 0")  # never wait behind the import's write lock
                    elif self.conn.vendor == "postgresql":
                        cur.execute("SET lock_timeout = '2s'")
                    cur.execute(sql, params)
                return True
            except DatabaseError as exc:  # SQLite: the import transaction holds the write lock
                log.debug("progress write skipped: %s", exc)
                return False

    def close(self) -> None:
        with self.lock:
            try:
                self.conn.close()
            except DatabaseError as exc:  # never let the bookkeeping fail the import
                log.warning("closing the progress connection failed: %s", exc)


class Progress:
    """Progress of one batch: ``update`` (throttled), a heartbeat thread, ``clear`` at the end.

    ``Progress(None)`` is a no-op (helpers called outside a batch).
    """

    def __init__(self, batch, *, on_update=None):
        self.batch = batch
        self.last = 0.0
        self.state = (0, 0, "")
        self.on_update = on_update  # e.g. the CLI progress bar: callable(processed, total, stage)
        self.in_transaction = False  # set by the runner while the import transaction is open
        self._side: _SideConnection | None = None
        self._side_ok = True  # False when started inside the caller's transaction (module docstring)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def active(self) -> bool:
        return self.batch is not None and self.batch.pk is not None

    def _write(self, *, side: bool = True) -> None:
        processed, total, stage = self.state
        if not side:  # outside the import transaction: the ordinary connection
            ImportProgress.objects.update_or_create(
                batch_id=self.batch.pk,
                defaults={"processed": processed, "total": total, "stage": stage, "heartbeat_at": clock.now(),
                          "worker": WORKER},
            )  # fmt: skip
            return
        if not self._side_ok:
            return
        if self._side is None:
            self._side = _SideConnection()
        table = ImportProgress._meta.db_table
        qn = self._side.conn.ops.quote_name
        now = self._side.conn.ops.adapt_datetimefield_value(clock.now())
        cols = ", ".join(qn(c) for c in ("batch_id", "processed", "total", "stage", "heartbeat_at", "worker"))
        self._side.execute(
            f"INSERT INTO {qn(table)} ({cols}) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT ({qn('batch_id')}) DO "
            f"UPDATE SET {qn('processed')} = %s, {qn('total')} = %s, {qn('stage')} = %s, {qn('heartbeat_at')} = %s",
            [self.batch.pk, processed, total, stage, now, WORKER, processed, total, stage, now],
        )

    def start(self) -> None:
        """First row and the heartbeat thread (the runner calls it before the import transaction opens)."""
        if not self.active:
            return
        self.state = (0, self.state[1], "start")
        self._side_ok = not connection.in_atomic_block
        self._write(side=False)
        self._thread = threading.Thread(target=self._beat, name=f"import-heartbeat-{self.batch.pk}", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        while not self._stop.wait(heartbeat_seconds()):
            try:
                self._write()
            except Exception:  # a heartbeat must never kill the worker; the reaper copes with a missed beat
                log.exception("import heartbeat failed")

    def update(self, processed: int, total: int, stage: str, force: bool = False) -> None:
        processed = min(processed, total)
        if self.on_update is not None:
            self.on_update(processed, total, stage)
        if not self.active:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.3:
            return
        self.last = now
        self.state = (processed, total, stage)
        if self.in_transaction and connection.vendor == "sqlite":
            return  # the import holds SQLite's one write lock: a side write cannot succeed (module docstring)
        self._write(side=self.in_transaction)

    @classmethod
    def read(cls, batch_id: int) -> dict | None:
        row = ImportProgress.objects.filter(batch_id=batch_id).values("processed", "total", "stage").first()
        return row

    def clear(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._side is not None:
            self._side.close()
            self._side = None
        if self.active:
            ImportProgress.objects.filter(batch_id=self.batch.pk).delete()


def worker_alive(worker: str) -> bool | None:
    """True/False for a worker on this host (by process id), None for one on another host."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
