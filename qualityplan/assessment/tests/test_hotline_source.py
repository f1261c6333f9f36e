"""Rule ``hotline``: 12345 KPI against a target (threshold / proportional / no data), on crafted KPI rows."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace as NS

from qualityplan.assessment.rules import Context, ensure_loaded
from qualityplan.assessment.scheme import Item

RULES = ensure_loaded()
UNIT = NS(id=7, name="测试县")


def ctx(row):
    data = {"hotline": {"unit": {7: row} if row else {}, "region": {}}}
    return Context(year=2017, plan=None, units=[UNIT], as_of=dt.date(2017, 12, 31), data=data)


def kpi(rate):
    return NS(satisfaction_rate=rate, dispatched=40, closed=38, rated=30)


def item(**rule):
    return Item(code="x", title="x", points=D("5"), level=1, rule={"type": "hotline", **rule})


def score(rule_item, row):
    return RULES["hotline"].evaluate(rule_item, UNIT, ctx(row))


def test_threshold_met_missed_and_no_data():
    assert score(item(metric="satisfaction_rate", target=90), kpi(D("90.00"))).points == D("5.00")
    missed = score(item(metric="satisfaction_rate", target=90), kpi(D("89.99")))
    assert missed.points == D("0.00") and "89.99%" in missed.explanation
    assert score(item(metric="satisfaction_rate", target=90), None).points == D("5.00")


def test_proportional():
    # 5 × 81 / 90 = 4.5
    assert score(item(metric="satisfaction_rate", target=90, mode="proportional"), kpi(D("81.00"))).points == D("4.50")


def test_check_rejects_bad_parameters():
    check = RULES["hotline"].check
    assert check(None, {"metric": "satisfaction_rate", "target": 90}, None) == []
    assert check(None, {"metric": "happiness"}, None)
    assert check(None, {"metric": "close_rate", "target": 120}, None)
    assert check(None, {"metric": "close_rate", "by": "city"}, None)
