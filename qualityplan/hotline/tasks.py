"""Daily 12345 催办 job (Huey): the same service as ``qualityplan hotline escalate``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.hotline.escalation import hotline_escalate


@db_periodic_task(crontab(hour="7", minute="10"))
def hotline_daily():
    return hotline_escalate()
