"""``qualityplan units load [FILE] [--add-only] [--force]``: reconcile the units register (idempotent).

An explicit load applies the file's changes to stored units (each reported); removals are refused unless
``--force``; ``--add-only`` only creates what is missing, as ``bootstrap`` does.
"""

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.reconcile import Mode, Reconciliation
from qualityplan.orgs.services import DEFAULT_REGISTER, units_load_register


class Command(BaseCommand):
    help = "Load units, groups and spellings from a register YAML."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load")
        load.add_argument("file", nargs="?", default=str(DEFAULT_REGISTER))
        load.add_argument("--add-only", action="store_true", help="only create what is missing; keep stored rows")
        load.add_argument("--force", action="store_true", help="also remove group members the file no longer has")

    def handle(self, *args, action, file, add_only=False, force=False, **options):
        mode = Mode.ADD if add_only else (Mode.FORCE if force else Mode.UPGRADE)
        rec = Reconciliation(mode=mode)
        try:
            counts = units_load_register(path=file, rec=rec)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for line in rec.lines():
            self.stdout.write(line)
        self.stdout.write(f"units: {counts['units']}, groups: {counts['groups']}, spellings: {counts['names']}")
