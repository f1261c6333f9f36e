"""Nightly evaluation (thin task; ``qualityplan evaluate`` runs the same service)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qualityplan.core import clock
from qualityplan.indicators.models import RunTrigger
from qualityplan.indicators.services import evaluation_run, submissions_remind
from qualityplan.plans.choices import PlanStatus
from qualityplan.plans.models import Plan


def evaluation_nightly_runs() -> list[dict]:
    """One evaluation run per published plan of the current year (none when the year has no published plan)."""
    year = clock.today().year
    years = sorted(set(Plan.objects.filter(year=year, status=PlanStatus.PUBLISHED).values_list("year", flat=True)))
    return [evaluation_run(year=y, trigger=RunTrigger.NIGHTLY) for y in years]


@db_periodic_task(crontab(hour="2", minute="30"))
def evaluation_nightly() -> None:
    evaluation_nightly_runs()


@db_task()
def evaluation_task(year: int) -> None:
    evaluation_run(year=year)


@db_periodic_task(crontab(hour="6", minute="45"))
def submissions_daily() -> dict:
    """Reminders before a report's due date and notices after it (before the 07:30 digest)."""
    return submissions_remind()
