"""``qualityplan units load [FILE]``: load the units register (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.orgs.services import DEFAULT_REGISTER, units_load_register


class Command(BaseCommand):
    help = "Load units, groups and spellings from a register YAML."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load")
        load.add_argument("file", nargs="?", default=str(DEFAULT_REGISTER))

    def handle(self, *args, action, file, **options):
        try:
            counts = units_load_register(path=file)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"units: {counts['units']}, groups: {counts['groups']}, spellings: {counts['names']}")
