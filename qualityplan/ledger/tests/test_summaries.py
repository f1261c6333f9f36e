import datetime as dt

import pytest
from django.utils import timezone

from qualityplan.core.exceptions import ApplicationError
from qualityplan.ledger import services
from qualityplan.ledger.choices import BoardStatus, DueRule, SummaryKind, SummaryStatus
from qualityplan.ledger.models import Summary
from qualityplan.ledger.selectors import submission_board
from qualityplan.ledger.timeliness import board_status, effective_due
from qualityplan.orgs.choices import UnitKind

D = dt.date


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def test_effective_due_moves_to_next_working_day():
    assert effective_due(D(2017, 6, 30)) == D(2017, 6, 30)  # a Friday
    assert effective_due(D(2017, 1, 28)) == D(2017, 2, 3)  # Spring Festival
    assert effective_due(D(2017, 10, 1)) == D(2017, 10, 9)  # National Day / Mid-Autumn 2017
    assert effective_due(D(2017, 2, 4)) == D(2017, 2, 4)  # make-up Saturday is a working day
    assert effective_due(D(2017, 1, 28), DueRule.CALENDAR) == D(2017, 1, 28)


def test_board_status_rules():
    due = D(2017, 1, 28)
    kw = {"due": due, "today": D(2017, 3, 1)}
    assert board_status(status="submitted", submitted_on=D(2017, 2, 3), **kw) == BoardStatus.ON_TIME
    assert board_status(status="submitted", submitted_on=D(2017, 2, 3), rule=DueRule.CALENDAR, **kw) == "late"
    assert board_status(status="submitted", submitted_on=D(2017, 2, 4), **kw) == BoardStatus.LATE
    assert board_status(status="expected", submitted_on=None, **kw) == BoardStatus.MISSING
    assert board_status(status="expected", submitted_on=None, due=due, today=D(2017, 2, 3)) == BoardStatus.PENDING
    assert board_status(status="returned", submitted_on=D(2017, 1, 1), **kw) == BoardStatus.RETURNED


def test_expected_summaries_from_plan_deadlines(plan_2017, units):
    n = services.summaries_create_expected(plan=plan_2017)
    assert services.summaries_create_expected(plan=plan_2017) == 0  # idempotent
    qs = Summary.objects.filter(plan=plan_2017)
    assert n == qs.count()
    assert set(qs.values_list("kind", flat=True)) == {SummaryKind.HALF_YEAR, SummaryKind.ANNUAL}
    half = qs.filter(kind=SummaryKind.HALF_YEAR)
    assert set(half.values_list("due_date", flat=True)) == {D(2017, 6, 30)}
    assert set(qs.filter(kind="annual").values_list("due_date", flat=True)) == {D(2017, 12, 5)}
    codes = set(half.values_list("unit__code", flat=True))
    local = {c for c, u in units.items() if u.kind in UnitKind.local_governments()}
    assert local <= codes and len(local) == 20 and "YANGPU" in codes
    assert {"QTS", "ENV", "AGRI"} <= codes and "OFFICE" not in codes


def test_submit_return_resubmit_and_board(plan_2017, users):
    services.summaries_create_expected(plan=plan_2017)
    mine = Summary.objects.get(plan=plan_2017, unit=users["city"].unit, kind=SummaryKind.HALF_YEAR)
    with pytest.raises(ApplicationError):
        services.summary_submit(user=users["county"], summary=mine, text="x")  # another unit
    services.summary_submit(user=users["city"], summary=mine, text="上半年总结", now=at(D(2017, 6, 29)))
    other = Summary.objects.get(plan=plan_2017, unit=users["dept"].unit, kind=SummaryKind.HALF_YEAR)
    services.summary_submit(user=users["dept"], summary=other, text="总结", now=at(D(2017, 7, 3)))
    board = submission_board(user=users["office"], plan=plan_2017, kind=SummaryKind.HALF_YEAR, today=D(2017, 7, 10))
    cols = {r["summary"].unit.code: r["column"] for r in board["rows"]}
    assert cols["460100"] == BoardStatus.ON_TIME and cols["QTS"] == BoardStatus.LATE and cols["469002"] == "missing"
    services.summary_return(user=users["office"], summary=mine, reason="缺少数据")
    mine.refresh_from_db()
    assert mine.status == SummaryStatus.RETURNED and mine.return_count == 1
    board = submission_board(user=users["office"], plan=plan_2017, kind=SummaryKind.HALF_YEAR, today=D(2017, 7, 10))
    assert board["counts"]["returned"] == 1 and board["counts"]["on_time"] == 0
    services.summary_submit(user=users["city"], summary=mine, text="补充后的总结", now=at(D(2017, 7, 12)))
    board = submission_board(user=users["office"], plan=plan_2017, kind=SummaryKind.HALF_YEAR, today=D(2017, 7, 12))
    assert {r["summary"].unit.code: r["column"] for r in board["rows"]}["460100"] == BoardStatus.LATE
    assert board["timeliness_rate"] == 0
    with pytest.raises(ApplicationError):
        services.summary_return(user=users["dept"], summary=mine, reason="x")


def test_annual_summary_needs_next_year_plan(plan_2017, users):
    services.summaries_create_expected(plan=plan_2017)
    annual = Summary.objects.get(plan=plan_2017, unit=users["city"].unit, kind=SummaryKind.ANNUAL)
    with pytest.raises(ApplicationError, match="下年度"):
        services.summary_submit(user=users["city"], summary=annual, text="年度总结")
    services.summary_submit(user=users["city"], summary=annual, text="年度总结", next_year_plan="2018年计划")
