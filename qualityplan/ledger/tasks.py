"""Daily ledger job (Huey): overdue flags, task reminders and overdue notices. Same service as ``qualityplan ledger_overdue``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.ledger.services import ledger_daily_run


@db_periodic_task(crontab(hour="6", minute="30"))
def ledger_daily():
    return ledger_daily_run()
