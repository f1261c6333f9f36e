"""``qualityplan backup DIR``: database snapshot + every stored file + manifest (see qualityplan.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core import backup
from qualityplan.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Write a consistent backup (database snapshot, stored files, manifest with checksums) to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory: str, database: str, **options):
        try:
            manifest = backup.backup(directory, using=database)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"backup written to {directory}: {manifest['engine']}, {len(manifest['tables'])} tables, "
            f"{rows} rows, {len(manifest['files'])} files"
        )
