"""The workbench lists 12345 work orders whose handling deadline runs (main's hotline app, merged after issue 13)."""

import datetime as dt

import pytest
from django.utils import timezone

from qualityplan.hotline import services
from qualityplan.hotline.models import DispatchRule
from qualityplan.orgs.roles import Role
from qualityplan.portal.selectors import DUE_SOON, OVERDUE, workbench

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(make_user, units, users):
    agent = make_user("t_hotline", Role.HOTLINE, None)
    rule = DispatchRule.objects.create(subject="product", region=units["460100"], lead_unit=units["460100"])
    rule.cooperating_units.set([units["QTS"]])
    received = timezone.make_aware(dt.datetime(2017, 9, 29, 10))  # a complaint received Fri 29 Sep 2017
    order = services.order_create(
        user=agent,
        data={"received_at": received, "category": "complaint", "subject": "product", "region": "460100",
              "caller_name": "张三丰", "caller_phone": "13876543210", "title": "购买的电热水壶漏电",
              "content": "使用时漏电，要求退货并查处。"},
    )  # fmt: skip
    now = timezone.make_aware(dt.datetime(2017, 9, 29, 11))
    return services.order_transition(
        user=agent, order=order, action="dispatch", version=order.version, data={}, now=now
    )


def _hotline(entries):
    return {e.key: e for e in entries if e.key.startswith("hotline_")}


def test_lead_unit_sees_its_order_due_soon_then_overdue(dispatched, users):
    # counted by hand: Sat 30 Sep (a make-up working day), then 9–13, 16–20, 23–26 Oct (1–8 Oct National Day
    # holiday) = 15 working days for a complaint: due Thu 26 Oct 2017
    assert dispatched.deadline == dt.date(2017, 10, 26)
    city = users["city"]
    assert _hotline(workbench(user=city, today=dt.date(2017, 10, 16))) == {}  # 8 working days left: not yet
    soon = _hotline(workbench(user=city, today=dt.date(2017, 10, 24)))["hotline_soon"]
    assert soon.count == 1 and soon.urgency == DUE_SOON and soon.rows[0].note == "剩余 2 个工作日"
    assert soon.rows[0].url == f"/hotline/orders/{dispatched.pk}/" and soon.url == "/hotline/?open=1"
    late = _hotline(workbench(user=city, today=dt.date(2017, 10, 30)))["hotline_overdue"]
    assert late.count == 1 and late.urgency == OVERDUE and late.rows[0].note == "已逾期 2 个工作日"
    # the cooperating department is not the lead unit: nothing on its workbench; the office sees the late order
    assert _hotline(workbench(user=users["dept"], today=dt.date(2017, 10, 30))) == {}
    assert _hotline(workbench(user=users["office"], today=dt.date(2017, 10, 30)))["hotline_overdue"].count == 1
