"""``qualityplan import air|water|sea|noise|sampling|registry|station FILE``: all-or-nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualityplan.monitoring.choices import ImportKind, ImportStatus
from qualityplan.monitoring.ingest.runner import import_file


class Command(BaseCommand):
    help = "Import monitoring/inspection records or registry items from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[k.value for k in ImportKind])
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        batch = import_file(kind=kind, name=file.name, data=file.read_bytes())
        if batch.status == ImportStatus.FAILED:
            for e in batch.errors:
                self.stderr.write(f"{e['file']}:{e['row']}: {e['field']}: {e['message']}")
            raise CommandError(f"{len(batch.errors)} error(s); nothing was imported")
        if batch.status == ImportStatus.DUPLICATE:
            self.stdout.write(f"unchanged: {batch.message}")
            return
        self.stdout.write(
            f"batch #{batch.pk}: {batch.total_rows} rows, {batch.created_rows} new, {batch.skipped_rows} already present"
            + (f"; {batch.message}" if batch.message else "")
        )
