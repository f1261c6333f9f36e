"""Daily job: remind the responsible units before each publicity event (same service as ``public_reminders``)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.public.calendar import reminders_send


@db_periodic_task(crontab(hour="7", minute="10"))
def public_reminders_daily():
    return reminders_send()
