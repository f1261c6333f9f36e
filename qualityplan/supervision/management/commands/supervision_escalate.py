"""``qualityplan supervision_escalate [--date YYYY-MM-DD] [--no-notify]``: the escalation ladder, for cron.

Issues reminders before the deadline, 催办通知 after it and 通报 when still overdue (policy: the newest active
``EscalationPolicy`` row, else ``escalation.DEFAULT_POLICY``). Idempotent per (item, kind, stage).
"""

import datetime as dt

from django.core.management.base import BaseCommand

from qualityplan.supervision.escalation import supervision_escalate


class Command(BaseCommand):
    help = "Issue supervision reminders, 催办通知 and 通报 due today (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, default=None, help="run as of this day (default today)"
        )
        parser.add_argument("--no-notify", action="store_true", help="record notices without inbox/e-mail messages")

    def handle(self, *args, date=None, no_notify=False, **options):
        result = supervision_escalate(today=date, notify=not no_notify)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
