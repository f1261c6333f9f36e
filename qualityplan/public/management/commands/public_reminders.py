"""``qualityplan public_reminders [--today YYYY-MM-DD]``: remind units of publicity events starting soon."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from qualityplan.public.calendar import reminder_days, reminders_send


class Command(BaseCommand):
    help = "Remind the responsible units of publicity events starting within PUBLIC_REMINDER_DAYS (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", default="", help="the day to run for (default: the one clock's today)")

    def handle(self, *args, today: str, **options):
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today: not a date: {today!r}") from exc
        result = reminders_send(today=day)
        self.stdout.write(f"publicity reminders (next {reminder_days()} days): {result}")
