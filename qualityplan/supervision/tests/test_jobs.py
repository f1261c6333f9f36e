import datetime as dt
from io import StringIO

from django.core.management import call_command

from qualityplan.supervision.models import Notice


def test_command_and_huey_task_call_the_service(make_item):
    make_item(workdays=5, assign_on=dt.date(2017, 1, 20))
    out = StringIO()
    call_command("supervision_escalate", "--date", "2017-02-03", stdout=out)
    assert "urge=1" in out.getvalue()
    out = StringIO()
    call_command("supervision_escalate", "--date", "2017-02-03", stdout=out)
    assert "urge=0" in out.getvalue() and Notice.objects.count() == 1
    from qualityplan.supervision.tasks import supervision_daily

    assert supervision_daily.call_local() is not None


def test_ledger_command(make_item, db):
    out = StringIO()
    call_command("ledger_overdue", "--date", "2017-02-03", stdout=out)
    assert "flagged_overdue=0" in out.getvalue()
    from qualityplan.ledger.tasks import ledger_daily

    assert ledger_daily.call_local()["reminders"] == 0
