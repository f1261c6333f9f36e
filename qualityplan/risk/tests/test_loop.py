"""End to end: a 12345 complaint → risk → 研判 → targeted 监督抽查 → failing result back in the risk → credit event
→ the region's assessment item → closing."""

import datetime as dt
from decimal import Decimal

from qualityplan.assessment.rules import Context, ensure_loaded
from qualityplan.assessment.scheme import Item
from qualityplan.credit import services as credit_services
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.risk import selectors, services

D = dt.date
USCC = "91350100M000100Y43"


def test_complaint_to_assessment(users, units, complaint, today, client_for):
    qionghai = units["469002"]
    office, county = users["office"], users["county"]
    services.risk_review(user=county, risk=complaint, stage="work", probability=3, severity=3, opinion="属实",
                         version=1)  # fmt: skip
    complaint.refresh_from_db()
    task = services.disposal_create(user=office, risk=complaint, kind="sampling", owner=qionghai,
                                    instruction="对琼海市场豇豆开展监督抽查", planned_samples=2)  # fmt: skip
    assert task.due_on == D(2017, 9, 7)  # level II (9): 3 working days from Mon 4 Sep
    # results of the targeted sampling arrive in the sampling records (an import in real life)
    before = SamplingRecord.objects.create(
        sample_no="J-0", enterprise="旧企业", unit=qionghai, product_category="蔬菜", product_group="agri",
        sampling_date=D(2017, 8, 1), result="不合格", failing_items="克百威", sample_type="监督抽检",
    )  # fmt: skip
    bad = SamplingRecord.objects.create(
        sample_no="J-1", enterprise="琼海某蔬菜合作社", uscc=USCC, unit=qionghai, product_category="蔬菜",
        product_group="agri", sampling_date=D(2017, 9, 5), result="不合格", failing_items="毒死蜱",
        sample_type="监督抽检",
    )  # fmt: skip
    SamplingRecord.objects.create(
        sample_no="J-2", enterprise="另一农场", unit=qionghai, product_category="蔬菜", product_group="agri",
        sampling_date=D(2017, 9, 5), result="合格", sample_type="监督抽检",
    )  # fmt: skip
    today(D(2017, 9, 6))
    assert services.risk_collect_samples(user=county, risk=complaint) == 2  # J-1, J-2; not J-0 (before the task)
    assert services.risk_collect_samples(user=county, risk=complaint) == 0
    event = credit_services.sample_event_sync(user=users["dept"], sampling_record=bad, received_on=D(2017, 9, 8))
    services.disposal_complete(user=county, disposal=task, result="抽查 2 批次，1 批次毒死蜱不合格", version=1)
    complaint.refresh_from_db()
    services.risk_close(
        user=office, risk=complaint, result="不合格产品已下架，企业已立案查处", version=complaint.version
    )

    loop = selectors.risk_loop(user=office, risk=complaint)
    assert [s.sampling_record.sample_no for s in loop["samples"]] == ["J-1", "J-2"]
    assert loop["credit_events"] == [event]
    assert before.pk not in [s.sampling_record_id for s in loop["samples"]]

    rule = ensure_loaded()["risk"]
    item = Item(code="x", title="风险处置", points=Decimal("3"), level=1,
                rule={"type": "risk", "count": "failing_targeted", "per_item": 0.5})  # fmt: skip
    ctx = Context(year=2017, plan=None, units=[qionghai, units["460100"]], as_of=D(2017, 12, 31))
    s = rule.evaluate(item, qionghai, ctx)
    assert s.points == Decimal("2.50") and s.value == "1"
    assert s.refs[0].id == complaint.pk and "J-1" in s.refs[0].label
    assert rule.evaluate(item, units["460100"], ctx).points == Decimal("3.00")
    late = Item(code="y", title="y", points=Decimal("2"), level=1,
                rule={"type": "risk", "count": "overdue_disposals", "per_item": 1})  # fmt: skip
    assert rule.evaluate(late, qionghai, ctx).points == Decimal("2.00")  # done on 6 Sep, due 7 Sep

    page = client_for(office).get(f"/risk/{complaint.pk}/loop/").content.decode()
    for text in ("12345-20170901-0042", "监督抽查", "J-1", "毒死蜱", "监督抽检不合格", "不合格产品已下架"):
        assert text in page
