"""``qualityplan demo_logins``: print the demo accounts (one per role; demo only)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from qualityplan.orgs.demo import demo_logins


class Command(BaseCommand):
    help = "Print the demo logins created by `bootstrap --demo` (demo data only; never use in production)."

    def handle(self, *args, **options):
        rows = demo_logins()
        width = max(len(username) for username, *_ in rows)
        self.stdout.write("Demo logins (demo data only):")
        for username, password, role, unit in rows:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {role} ({unit})")
