"""Nightly evaluation (thin task; ``qualityplan evaluate`` runs the same service)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qualityplan.indicators.services import evaluation_run, submissions_remind


@db_periodic_task(crontab(hour="2", minute="30"))
def evaluation_nightly() -> None:
    evaluation_run(year=timezone.localdate().year)


@db_task()
def evaluation_task(year: int) -> None:
    evaluation_run(year=year)


@db_periodic_task(crontab(hour="6", minute="45"))
def submissions_daily() -> dict:
    """Reminders before a report's due date and notices after it (before the 07:30 digest)."""
    return submissions_remind()
