"""``qualityplan import``: record imports from the command line.

* ``qualityplan import KIND FILE [--as USER]`` — all-or-nothing, idempotent; a progress bar (rows/s, ETA) on a
  terminal, plain progress lines otherwise.  Without ``--as`` the command acts as the system: the office's rights,
  audited as "system" (whoever runs it already has the server).  With ``--as USER`` that user's import rights
  apply (a city reporter: only rows of its unit…) and the batch is recorded and audited under that user.
* ``qualityplan import template KIND [--format csv|xlsx] [-o FILE]`` — the template of a kind.
* ``qualityplan import withdraw BATCH --reason TEXT [--as USER]`` — withdraw a batch (rows removed, recomputed).
* ``qualityplan import replace BATCH FILE --reason TEXT [--as USER]`` — replace a batch by a corrected file.
* ``qualityplan import reap`` — mark batches whose worker died as failed (also a periodic job).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.monitoring import services
from qualityplan.monitoring.choices import ImportKind, ImportStatus
from qualityplan.monitoring.ingest.runner import import_run
from qualityplan.monitoring.ingest.templates import FORMATS, template
from qualityplan.monitoring.models import ImportBatch

ACTIONS = ("template", "withdraw", "replace", "reap")


class ProgressBar:
    """``[#####.....]  45%  12,345/27,000 rows  8,100 rows/s  ETA 2s`` on a TTY; a plain line per stage otherwise."""

    def __init__(self, stream, *, tty: bool | None = None, width: int = 30):
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.width = width
        self.start = time.monotonic()
        self.last_draw = 0.0
        self.stage = None

    def __call__(self, processed: int, total: int, stage: str) -> None:
        now = time.monotonic()
        elapsed = max(now - self.start, 1e-6)
        rate = processed / elapsed
        if not self.tty:
            if stage != self.stage:
                self.stage = stage
                self.stream.write(f"{stage}: {processed}/{total} rows\n")
            return
        if now - self.last_draw < 0.1 and processed < total:
            return
        self.last_draw = now
        frac = processed / total if total else 0.0
        filled = int(frac * self.width)
        eta = (total - processed) / rate if rate > 0 else float("nan")
        eta_s = f"{eta:.0f}s" if eta == eta else "?"
        self.stream.write(f"\r{stage:<9}[{'#' * filled}{'.' * (self.width - filled)}] {frac * 100:3.0f}%  "
                          f"{processed:,}/{total:,} rows  {rate:,.0f} rows/s  ETA {eta_s} ")  # fmt: skip
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import records from CSV/XLSX, download a template, withdraw/replace a batch, reap dead batches."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*ImportKind.values, *ACTIONS], help="record kind, or an action")
        parser.add_argument("args", nargs="*", help="FILE | KIND (template) | BATCH (withdraw) | BATCH FILE (replace)")
        parser.add_argument("--as", dest="as_user", default="", help="act as this user (their import rights)")
        parser.add_argument("--reason", default="", help="withdraw/replace: the reason (required)")
        parser.add_argument("--format", default="csv", choices=FORMATS, help="template: csv or xlsx")
        parser.add_argument("-o", "--output", default="", help="template: write to this file (default: stdout)")

    def handle(self, *args, kind: str, as_user: str, reason: str, format: str, output: str, **options):
        user = self._user(as_user)
        try:
            with acting_as(user):
                if kind == "template":
                    return self._template(args, format, output)
                if kind == "reap":
                    reaped = services.import_batches_reap()
                    self.stdout.write(f"reaped: {', '.join(f'#{b}' for b in reaped) or 'none'}")
                    return
                if kind == "withdraw":
                    batch = self._batch(args, 1)
                    batch = services.import_batch_withdraw(user=user, batch=batch, reason=reason)
                    self.stdout.write(f"batch #{batch.pk} withdrawn: {batch.changes.get('removed', 0)} rows removed")
                    return
                if kind == "replace":
                    batch = self._batch(args, 2)
                    path = self._file(args[1])
                    new = services.import_batch_submit(user=user, kind=batch.kind, name=path.name, data=path,
                                                       replaces=batch, reason=reason, store_file=False)  # fmt: skip
                    return self._run(new, path)
                if len(args) != 1:
                    raise CommandError("usage: qualityplan import KIND FILE [--as USER]")
                path = self._file(args[0])
                # the file is hashed and read in chunks from its path, never whole into memory
                batch = services.import_batch_submit(user=user, kind=kind, name=path.name, data=path, store_file=False)
                return self._run(batch, path)
        except PermissionDenied as exc:
            raise CommandError(f"not allowed: {exc}") from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _user(self, username: str):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as {username}: no such active user")
        return user

    @staticmethod
    def _file(name: str) -> Path:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        return path

    @staticmethod
    def _batch(args, n: int) -> ImportBatch:
        if len(args) != n or not args[0].isdigit():
            raise CommandError("usage: qualityplan import withdraw BATCH | replace BATCH FILE, with --reason TEXT")
        batch = ImportBatch.objects.filter(pk=int(args[0])).first()
        if batch is None:
            raise CommandError(f"no batch #{args[0]}")
        return batch

    def _template(self, args, fmt: str, output: str) -> None:
        if len(args) != 1 or args[0] not in ImportKind.values:
            raise CommandError(f"usage: qualityplan import template KIND; KIND one of {', '.join(ImportKind.values)}")
        content, _name, _type = template(args[0], fmt)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"wrote {output}")
        elif fmt == "csv":
            self.stdout.write(content.decode("utf-8-sig"), ending="")
        else:
            sys.stdout.buffer.write(content)

    def _run(self, batch: ImportBatch, data: Path) -> None:
        bar = ProgressBar(self.stderr._out)
        try:
            batch = import_run(batch=batch, data=data, on_progress=bar)
        finally:
            bar.close()
        if batch.status == ImportStatus.FAILED:
            for e in batch.errors:
                self.stderr.write(f"{e['file']}:{e['row']}: {e['field']}: {e['message']}")
            if not batch.errors:
                self.stderr.write(batch.message)
            raise CommandError(f"{len(batch.errors)} error(s); nothing was imported")
        if batch.status == ImportStatus.DUPLICATE:
            self.stdout.write(f"unchanged: {batch.message}")
            return
        changes = batch.changes
        self.stdout.write(
            f"batch #{batch.pk}: {batch.total_rows} rows, {batch.created_rows} new, {batch.skipped_rows} already present"
            + (f"; {batch.message}" if batch.message else "")
            + (
                f"; vs. #{batch.replaces_id}: +{changes['added']} −{changes['removed']} ~{changes['changed']}"
                if changes
                else ""
            )  # fmt: skip
        )
