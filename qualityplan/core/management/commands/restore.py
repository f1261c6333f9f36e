"""``qualityplan restore DIR [--force]``: restore a backup into an empty database (see qualityplan.core.backup)."""

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core import backup
from qualityplan.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty database and the file storage, then verify it."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database", default="default")
        parser.add_argument("--force", action="store_true", help="restore over a database that has tables/files")

    def handle(self, *args, directory: str, database: str, force: bool, **options):
        try:
            result = backup.restore(directory, using=database, force=force)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"restored from {directory}: {result['tables']} tables, {result['rows']} rows, {result['files']} files; "
            "every table matches the manifest"
        )
