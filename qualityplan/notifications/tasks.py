"""Daily digest (Huey), after the ledger (06:30) and supervision daily jobs have delivered their messages."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.notifications.services import notifications_send_digest


@db_periodic_task(crontab(hour="7", minute="30"))
def notifications_digest():
    return notifications_send_digest()
