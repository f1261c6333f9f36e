"""``qualityplan audit verify``: walk the change log's hash chain and report the first broken link (exit 1)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from qualityplan.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. verify: check the hash chain of the change log; exit 1 at the first broken link."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every entry's hash and its link to the previous entry")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            checked, broken = verify_chain()
            if broken is not None:
                raise CommandError(f"audit log broken after {checked} intact entries: {broken}", returncode=1)
            self.stdout.write(f"audit log intact: {checked} entries")
