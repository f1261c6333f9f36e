"""Daily escalation job (Huey): 提醒 → 催办通知 → 通报. Same service as ``qualityplan supervision_escalate``."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.supervision.escalation import supervision_escalate


@db_periodic_task(crontab(hour="7", minute="0"))
def supervision_daily():
    return supervision_escalate()
