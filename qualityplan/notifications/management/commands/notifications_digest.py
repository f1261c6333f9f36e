"""``qualityplan notifications_digest``: the daily digest e-mail for users who chose it (idempotent)."""

from django.core.management.base import BaseCommand

from qualityplan.notifications.services import notifications_send_digest


class Command(BaseCommand):
    help = "E-mail each user who chose the daily digest one summary of the messages not yet e-mailed (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"digests={notifications_send_digest()}")
