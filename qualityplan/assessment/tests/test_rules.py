"""Scoring rules on crafted cases: met / partially met / missed / no data; caps; deductions; ledger shares."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace as NS

import pytest

from qualityplan.assessment.choices import ScoreStatus
from qualityplan.assessment.rules import Context, ensure_loaded
from qualityplan.assessment.scheme import Item

RULES = ensure_loaded()
UNIT = NS(id=7, name="测试县")


def ctx(**data):
    return Context(year=2017, plan=None, units=[UNIT], as_of=dt.date(2017, 12, 31), data=data)


def item(points, **rule):
    return Item(code="x", title="x", points=D(str(points)), level=1, rule=rule)


def ev(status, value=None, target=None, comparator=">=", pk=1):
    return NS(
        id=pk,
        status=status,
        value=value,
        target_value=target,
        comparator=comparator,
        period="2017",
        as_of=dt.date(2017, 12, 31),
        explanation="",
        target=NS(indicator="空气质量优良天数比例"),
        get_status_display=lambda: status,
    )


def attain(points, evaluation, **rule):
    rule = {"type": "attainment", "target": "T15", **rule}
    data = {} if evaluation is None else {("T15", UNIT.id): evaluation}
    return RULES["attainment"].evaluate(item(points, **rule), UNIT, ctx(attainment=data))


def test_attainment_met_is_full():
    s = attain(6, ev("met", 99.1, 98))
    assert s.points == D("6.00") and s.status == ScoreStatus.FULL
    assert s.refs[0].kind == "evaluation"


def test_attainment_partially_met_proportional_with_floor():
    s = attain(6, ev("missed", 93.1, 98), floor=0.9)  # ratio 0.95 → share 0.5
    assert s.points == D("3.00") and s.status == ScoreStatus.PARTIAL
    assert "0.9500" in s.explanation


def test_attainment_proportional_without_floor_and_lte_comparator():
    assert attain(4, ev("missed", 90, 100)).points == D("3.60")
    assert attain(4, ev("missed", 50, 40, comparator="<=")).points == D("3.20")


def test_attainment_stepped():
    steps = [[0.95, 0.75], [0.85, 0.5]]
    assert attain(4, ev("missed", 96, 100), partial="stepped", steps=steps).points == D("3.00")
    assert attain(4, ev("missed", 90, 100), partial="stepped", steps=steps).points == D("2.00")
    s = attain(4, ev("missed", 80, 100), partial="stepped", steps=steps)
    assert s.points == D("0.00") and s.status == ScoreStatus.ZERO


def test_attainment_missed_all_or_nothing():
    s = attain(3, ev("missed", 99.9, 100), partial="all_or_nothing")
    assert s.points == D("0.00") and s.status == ScoreStatus.ZERO


def test_attainment_no_data_is_zero_and_says_so():
    s = attain(6, None)
    assert s.points == D("0.00") and s.status == ScoreStatus.NO_DATA and "无数据" in s.explanation
    s = attain(6, ev("no_data"))
    assert s.points == D("0.00") and s.status == ScoreStatus.NO_DATA


def test_attainment_missed_without_value_scores_zero_not_a_guess():
    s = attain(6, ev("missed", None, 98))
    assert s.points == D("0.00") and "无法计算" in s.explanation


def reg(n):
    return [NS(id=i, name=f"产品{i}", certificate_no=f"C{i}", date=dt.date(2017, 5, 1)) for i in range(n)]


@pytest.mark.parametrize(("n", "points"), [(0, "0.00"), (1, "0.50"), (3, "1.50"), (4, "2.00"), (9, "2.00")])
def test_registry_bonus_per_item_capped(n, points):
    s = RULES["registry"].evaluate(
        item(2, type="registry", kind="brand_product", per_item=0.5), UNIT, ctx(registry={("brand_product", 7): reg(n)})
    )
    assert s.points == D(points)
    assert len(s.refs) == n
    assert ("上限" in s.explanation) == (n > 4)


def sup(overdue=0, urge=0, circular=0):
    return {
        "overdue": {
            7: [
                NS and {"id": i, "number": f"DB-{i}", "deadline": dt.date(2017, 3, 1), "closed_on": None}
                for i in range(overdue)
            ]
        },
        "notices": {
            7: [
                {"id": i, "number": f"N{i}", "kind": "urge", "issued_on": dt.date(2017, 4, 1), "item__number": "DB"}
                for i in range(urge)
            ]
            + [
                {
                    "id": 100 + i,
                    "number": f"T{i}",
                    "kind": "circular",
                    "issued_on": dt.date(2017, 4, 9),
                    "item__number": "DB",
                }
                for i in range(circular)
            ]
        },
    }


def test_supervision_deductions_and_floor():
    rule = {"type": "supervision", "per_overdue": 1, "per_urge": 0.5, "per_circular": 2}
    evaluate = RULES["supervision"].evaluate
    assert evaluate(item(10, **rule), UNIT, ctx(supervision=sup())).points == D("10.00")
    s = evaluate(item(10, **rule), UNIT, ctx(supervision=sup(overdue=2, urge=1, circular=1)))
    assert s.points == D("5.50") and len(s.refs) == 4
    s = evaluate(item(10, **rule), UNIT, ctx(supervision=sup(overdue=5, circular=4)))
    assert s.points == D("0.00") and "扣至 0 分" in s.explanation


def task(pk, deadline, status="done", done_on=None):
    return {
        "id": pk,
        "title": f"任务{pk}",
        "deadline": deadline,
        "status": status,
        "done_on": done_on,
        "measure__number": "三.(二).1",
        "kind": "task",
    }


def test_ledger_tasks_on_time_late_missing():
    d = dt.date(2017, 6, 30)
    rows = [
        task(1, d, done_on=d),
        task(2, d, done_on=dt.date(2017, 7, 5)),
        task(3, d, status="delayed"),
        task(4, d, done_on=dt.date(2017, 6, 1)),
    ]
    s = RULES["ledger_tasks"].evaluate(item(14, type="ledger_tasks", late_share=0.5), UNIT, ctx(ledger_tasks={7: rows}))
    assert s.points == D("8.75")  # (2 + 0.5) / 4 × 14
    assert s.value == "2/4" and len(s.refs) == 4


def test_ledger_tasks_done_without_a_date_counts_as_late():
    rows = [task(1, dt.date(2017, 6, 30), done_on=None)]
    s = RULES["ledger_tasks"].evaluate(item(14, type="ledger_tasks", late_share=0.5), UNIT, ctx(ledger_tasks={7: rows}))
    assert s.points == D("7.00") and "未记录完成日期" in s.refs[0].label


def test_ledger_tasks_none_due():
    s = RULES["ledger_tasks"].evaluate(item(14, type="ledger_tasks"), UNIT, ctx(ledger_tasks={}))
    assert s.points == D("14.00") and "无到期任务" in s.explanation
    s = RULES["ledger_tasks"].evaluate(item(14, type="ledger_tasks", if_none="zero"), UNIT, ctx(ledger_tasks={}))
    assert s.points == D("0.00")


def test_ledger_summaries_columns():
    rows = [
        {
            "id": 1,
            "kind": "half_year",
            "due_date": dt.date(2017, 6, 30),
            "column": "on_time",
            "submitted_on": dt.date(2017, 6, 29),
        },
        {
            "id": 2,
            "kind": "annual",
            "due_date": dt.date(2017, 12, 5),
            "column": "late",
            "submitted_on": dt.date(2017, 12, 8),
        },
        {"id": 3, "kind": "annual", "due_date": dt.date(2018, 12, 5), "column": "pending", "submitted_on": None},
    ]
    s = RULES["ledger_summaries"].evaluate(
        item(6, type="ledger_summaries", late_share=0.5), UNIT, ctx(ledger_summaries={7: rows})
    )
    assert s.points == D("4.50") and len(s.refs) == 2
    rows[0]["column"] = "missing"
    s = RULES["ledger_summaries"].evaluate(item(6, type="ledger_summaries"), UNIT, ctx(ledger_summaries={7: rows}))
    assert s.points == D("1.50")


def test_manual_rule_contributes_nothing_by_itself():
    s = RULES["manual"].evaluate(item(4, type="manual"), UNIT, ctx())
    assert s.points == D("0.00") and s.status == ScoreStatus.PENDING


def test_a_score_value_longer_than_the_stored_field_is_refused_not_cut():
    from qualityplan.assessment.rules import Score

    assert Score(D(1), ScoreStatus.FULL, "ok", value="9" * 100).value == "9" * 100
    with pytest.raises(ValueError, match="longer than 100"):
        Score(D(1), ScoreStatus.FULL, "ok", value="9" * 101)
