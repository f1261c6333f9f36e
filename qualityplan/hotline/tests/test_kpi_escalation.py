import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from qualityplan.hotline.escalation import hotline_escalate
from qualityplan.hotline.kpi import kpi_rows
from qualityplan.hotline.models import OrderNotice
from qualityplan.hotline.tests.conftest import at, step

pytestmark = pytest.mark.django_db


def _handle(order, unit_user, hotline_user, *, sign, reply, close, rating="", resolved=None):
    order = step(order, unit_user, "sign", sign)
    order = step(order, unit_user, "start", sign)
    order = step(order, unit_user, "reply", reply, text="已办理")
    order = step(order, hotline_user, "review", reply)
    order = step(order, hotline_user, "review_pass", reply)
    return step(order, hotline_user, "visit", close, satisfaction=rating, resolved=resolved)


@pytest.fixture
def october(make_order, catalogue, hotline_user, users):
    """Four consult orders for Haikou (2 working days), received Mon 9 Oct 2017, dispatched the same day:

    A: signed 9 Oct, closed 11 Oct 10:00 (on time, due 11 Oct), 非常满意 + 已解决;
    B: signed 11 Oct (late: sign deadline 10 Oct), closed 12 Oct (late), 不满意 + 未解决;
    C: returned then rejected (one 退单), closed 11 Oct, caller did not rate (not 参评);
    D: still open (due 11 Oct, overdue at the cut-off).
    """
    city, h = users["city"], hotline_user
    orders = [step(make_order(received=at(2017, 10, 9, 9), category="consult", caller_phone=f"1380000000{i}"), h,
                   "dispatch", at(2017, 10, 9, 10)) for i in range(4)]  # fmt: skip
    a, b, c, d = orders
    _handle(a, city, h, sign=at(2017, 10, 9, 11), reply=at(2017, 10, 10, 9), close=at(2017, 10, 11, 10),
            rating="very_satisfied", resolved=True)  # fmt: skip
    _handle(b, city, h, sign=at(2017, 10, 11, 9), reply=at(2017, 10, 12, 9), close=at(2017, 10, 12, 10),
            rating="dissatisfied", resolved=False)  # fmt: skip
    c = step(c, city, "return", at(2017, 10, 9, 12), reason="非本单位职责", basis="三定规定")
    c = step(c, h, "reject_return", at(2017, 10, 9, 13), comment="属地办理")
    _handle(c, city, h, sign=at(2017, 10, 9, 14), reply=at(2017, 10, 10, 9), close=at(2017, 10, 11, 10))
    return orders


def test_kpis_worked_by_hand(october, units):
    (row,) = kpi_rows(date_from=dt.date(2017, 10, 1), date_to=dt.date(2017, 10, 31), as_of=dt.date(2017, 10, 31))
    assert row.code == "460100" and row.dispatched == 4
    assert row.sign_rate == Decimal("50.00")  # A and C (9 Oct ≤ 10 Oct); B late; D never signed
    assert row.closed == 3 and row.close_rate == Decimal("75.00")
    assert row.due == 4 and row.on_time_rate == Decimal("50.00")  # A, C by 11 Oct; B late; D open
    assert row.first_time_rate == Decimal("66.67")  # A, B of 3 closed (C had a 退单)
    assert row.rated == 2 and row.satisfaction_rate == Decimal("50.00") and row.resolution_rate == Decimal("50.00")
    # A: 9 Oct 10:00 → 11 Oct 10:00 = 48 h; B: → 12 Oct 10:00 = 72 h; C: → 11 Oct 10:00 = 48 h; mean 56
    assert row.avg_hours == Decimal("56.00")
    (region,) = kpi_rows(date_from=dt.date(2017, 10, 1), date_to=dt.date(2017, 10, 31), by="region")
    assert region.code == "460100" and region.dispatched == 4


def test_escalation_ladder_for_an_overdue_order(october, users):
    d = october[3]  # consult due Wed 11 Oct 2017, never signed
    assert hotline_escalate(today=dt.date(2017, 10, 10), notify=False)["reminder"] == 1  # 催办 before the deadline
    assert hotline_escalate(today=dt.date(2017, 10, 11), notify=False)["urge"] == 0
    assert hotline_escalate(today=dt.date(2017, 10, 12), notify=False)["urge"] == 1  # 催办通知书 the day after
    # 通报 when still open 5 working days after the 催办通知书 (issued Thu 12 Oct): 13, 16, 17, 18, 19 Oct
    assert hotline_escalate(today=dt.date(2017, 10, 18), notify=False)["circular"] == 0
    result = hotline_escalate(today=dt.date(2017, 10, 19))
    assert result["circular"] == 1 and result["messages"] >= 1
    assert hotline_escalate(today=dt.date(2017, 10, 20), notify=False) == {
        "reminder": 0, "urge": 0, "circular": 0, "messages": 0
    }  # fmt: skip
    assert set(OrderNotice.objects.filter(order=d).values_list("kind", flat=True)) == {"reminder", "urge", "circular"}


def test_escalate_command_and_daily_task(october, capsys):
    from django.core.management import call_command

    from qualityplan.hotline.tasks import hotline_daily

    call_command("hotline", "escalate", "--date", "2017-10-12", "--no-notify")
    assert "urge=1" in capsys.readouterr().out
    assert callable(hotline_daily)


def test_monthly_circular_docx(october, client_for, users):
    resp = client_for(users["office"]).get("/hotline/circular.docx?month=2017-10")
    assert resp.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    assert "2017年10月12345热线质量类工单办理情况的通报" in text and "咨询 4 件" in text
    assert "13800000000" not in resp.content.decode("latin-1")
    assert client_for(users["city"]).get("/hotline/circular.docx?month=2017-10").status_code == 403
    assert client_for(users["office"]).get("/hotline/circular.docx?month=2017-13").status_code == 400


def test_kpi_feeds_an_indicator(october, plan_2017):
    from qualityplan.hotline.indicator_feed import hotline_indicator_refresh
    from qualityplan.indicators.models import ComputedValue, Indicator

    target = plan_2017.targets.order_by("id").first()
    indicator = Indicator.objects.create(
        plan=plan_2017, target=target, code="H12345", name="12345质量类工单满意率", method="reported"
    )
    assert hotline_indicator_refresh(indicator=indicator, year=2017, as_of=dt.date(2017, 10, 31)) == 2
    haikou = ComputedValue.objects.get(indicator=indicator, unit__code="460100")
    assert (haikou.value, haikou.numerator, haikou.denominator) == (50.0, 1, 2)  # 1 satisfied of 2 rated
    assert ComputedValue.objects.get(indicator=indicator, unit__isnull=True).value == 50.0
