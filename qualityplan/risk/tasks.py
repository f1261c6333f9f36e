"""Daily automatic intake (Huey): risks from the statistical signals above the office's threshold, as "system".
Same service as ``qualityplan risk auto-open`` (without ``--year``); off until the office turns it on."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qualityplan.risk.autoopen import auto_open_daily


@db_periodic_task(crontab(hour="5", minute="40"))
def risk_auto_open_daily():
    return [r.as_dict() for r in auto_open_daily()]
