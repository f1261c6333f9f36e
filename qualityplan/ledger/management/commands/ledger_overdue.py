"""``qualityplan ledger_overdue [--date YYYY-MM-DD] [--no-notify]``: the daily ledger job, for cron.

Flags overdue tasks, sends reminders before task deadlines and overdue notices the first working day after.
Idempotent: running it again on the same day sends nothing.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from qualityplan.ledger.services import ledger_daily_run


class Command(BaseCommand):
    help = "Flag overdue ledger tasks and send task reminders/overdue notices (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="run as of this day (default today)"
        )
        parser.add_argument("--no-notify", action="store_true", help="record notices without inbox/e-mail messages")

    def handle(self, *args, date=None, no_notify=False, **options):
        result = ledger_daily_run(today=date, notify=not no_notify)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
