"""``qualityplan submissions_remind [--date YYYY-MM-DD]``: the daily reporting reminders, for cron (idempotent)."""

import datetime as dt

from django.core.management.base import BaseCommand

from qualityplan.indicators.services import submissions_remind


class Command(BaseCommand):
    help = "Remind units of indicator reports due within 3 days or past their due date (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="run as of this day")

    def handle(self, *args, date=None, **options):
        result = submissions_remind(today=date)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
