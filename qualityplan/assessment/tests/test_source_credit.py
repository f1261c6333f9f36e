"""Rule ``credit``: blacklisted enterprises and failing 监督抽检 samples per city/county, from the credit archive."""

import datetime as dt
from decimal import Decimal as D

from qualityplan.assessment.rules import Context, ensure_loaded
from qualityplan.assessment.scheme import Item
from qualityplan.credit import services
from qualityplan.monitoring.models import SamplingRecord

RULES = ensure_loaded()


def _ctx(units, as_of):
    return Context(year=2025, plan=None, units=[units["460100"], units["469002"]], as_of=as_of)


def _item(**rule):
    return Item(code="x", title="x", points=D("5"), level=1, rule={"type": "credit", **rule})


def test_blacklisted_and_failing_samples_per_city(users, units):
    haikou = units["460100"]
    a = services.enterprise_get_or_create(uscc="91350100M000100Y43", name="甲公司", region=haikou)
    b = services.enterprise_get_or_create(uscc="91460000MA5T00010D", name="乙公司", region=units["469002"])
    services.event_create(user=users["dept"], enterprise=a, kind="blacklist_in", date=dt.date(2025, 3, 1))
    services.event_create(user=users["dept"], enterprise=b, kind="blacklist_in", date=dt.date(2022, 3, 1))
    rec = SamplingRecord.objects.create(
        sample_no="S1", enterprise="甲公司", uscc=a.uscc, unit=haikou, product_category="糕点", product_group="food",
        sampling_date=dt.date(2025, 9, 1), result="不合格", sample_type="监督抽检",
    )  # fmt: skip
    services.sample_event_sync(user=users["dept"], sampling_record=rec, received_on=dt.date(2025, 9, 26))  # -> 10-14
    evaluate = RULES["credit"].evaluate
    ctx = _ctx(units, dt.date(2025, 12, 31))
    s = evaluate(_item(count="blacklisted", per_item=1), haikou, ctx)
    assert s.points == D("4.00") and s.value == "1" and "甲公司" in s.refs[0].label
    # 乙's listing of 2022-03-01 ended on 2025-02-28
    assert evaluate(_item(count="blacklisted", per_item=1), units["469002"], ctx).points == D("5.00")
    assert evaluate(_item(count="failing_samples", per_item=0.5), haikou, ctx).points == D("4.50")
    early = _ctx(units, dt.date(2025, 10, 13))
    assert evaluate(_item(count="failing_samples", per_item=0.5), haikou, early).points == D("5.00")
    assert RULES["credit"].check(None, {"count": "x", "per_item": 1}, None)
