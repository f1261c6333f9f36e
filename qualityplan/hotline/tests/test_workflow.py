import datetime as dt
import json

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.hotline import selectors
from qualityplan.hotline.masking import caller_for, mask_name, mask_phone
from qualityplan.hotline.models import OrderEvent
from qualityplan.hotline.tests.conftest import PHONE, at, step

pytestmark = pytest.mark.django_db


def test_full_cycle_with_return_and_extension(make_order, catalogue, hotline_user, users, units):
    order = make_order()  # complaint received Fri 29 Sep 2017 → due 26 Oct
    assert order.status == "registered" and order.number.startswith("RX20170929")
    order = step(order, hotline_user, "dispatch", at(2017, 9, 29, 11))
    assert order.lead_unit == units["460100"] and order.deadline == dt.date(2017, 10, 26)
    assert set(order.assignments.values_list("unit__code", "role")) == {("460100", "lead"), ("QTS", "cooperating")}
    assert order.sign_deadline == dt.date(2017, 9, 30)
    # Haikou returns it on 30 Sep (1st working day after dispatch), the hotline re-dispatches to QTS (office-only
    # override: the catalogue names Haikou) — as the office
    with pytest.raises(ApplicationError):
        step(order, users["city"], "return", at(2017, 9, 30), reason="不属本级职责")  # basis missing
    order = step(order, users["city"], "return", at(2017, 9, 30), reason="生产企业在省级监管范围", basis="三定规定")
    assert order.status == "return_requested"
    with pytest.raises(ApplicationError, match="办公室"):
        step(order, hotline_user, "reassign", at(2017, 10, 9), unit="QTS")
    order = step(order, users["office"], "reassign", at(2017, 10, 9), unit="QTS", cooperating_units=[])
    assert order.lead_unit == units["QTS"] and order.return_count == 1 and order.status == "dispatched"
    assert order.deadline == dt.date(2017, 10, 26)  # the limit still runs from receipt
    order = step(order, users["dept"], "sign", at(2017, 10, 9, 15))
    order = step(order, users["dept"], "start", at(2017, 10, 9, 16))
    # extension: at most 10 working days, before the deadline, approved by the office, once
    with pytest.raises(ApplicationError, match="10"):
        step(order, users["dept"], "request_extension", at(2017, 10, 20), reason="需检验", days=11)
    order = step(order, users["dept"], "request_extension", at(2017, 10, 20), reason="需送检验机构检验", days=5)
    with pytest.raises(ApplicationError):
        step(order, users["dept"], "approve_extension", at(2017, 10, 20))
    order = step(order, users["office"], "approve_extension", at(2017, 10, 23))
    # 26 Oct + 5 working days: 27, 30, 31 Oct, 1, 2 Nov
    assert order.deadline == dt.date(2017, 11, 2) and order.stage == 2
    order = step(
        order, users["dept"], "reply", at(2017, 10, 31), text="经检验该批次电热水壶不合格，已责令退货并立案查处。"
    )
    order = step(order, hotline_user, "review", at(2017, 11, 1))
    order = step(order, hotline_user, "review_pass", at(2017, 11, 1))
    order = step(
        order, hotline_user, "visit", at(2017, 11, 2), satisfaction="satisfied", resolved="true", note="已退货"
    )
    assert order.status == "closed" and order.closed_on == dt.date(2017, 11, 2) and order.rated
    # dispatched 9 Oct 10:00 (re-dispatch) → closed 2 Nov 10:00: 18 working days × 24 h
    assert order.handling_hours == 18 * 24
    actions = list(order.events.values_list("action", flat=True))
    assert actions == [
        "register", "dispatch", "return", "reassign", "sign", "start", "request_extension",
        "approve_extension", "reply", "review", "review_pass", "visit",
    ]  # fmt: skip
    assert all(e.created_at for e in order.events.all())


def test_return_only_within_two_working_days(make_order, catalogue, hotline_user, users):
    order = step(make_order(), hotline_user, "dispatch", at(2017, 9, 29, 11))
    # dispatched Fri 29 Sep: 30 Sep (make-up) = 1, 9 Oct = 2 → 10 Oct is too late
    with pytest.raises(ApplicationError, match="2 个工作日"):
        step(order, users["city"], "return", at(2017, 10, 10), reason="x", basis="y")
    order = step(order, users["city"], "return", at(2017, 10, 9, 17), reason="x", basis="y")
    order = step(order, hotline_user, "reject_return", at(2017, 10, 9, 18), comment="属地管理，由海口办理")
    assert order.status == "dispatched" and order.lead_unit.code == "460100"


def test_extension_only_once_and_before_deadline(make_order, catalogue, hotline_user, users):
    order = step(make_order(category="consult"), hotline_user, "dispatch", at(2017, 9, 29, 11))  # due 9 Oct
    order = step(order, users["city"], "sign", at(2017, 9, 29, 12))
    order = step(order, users["city"], "start", at(2017, 9, 29, 13))
    with pytest.raises(ApplicationError, match="届满前"):
        step(order, users["city"], "request_extension", at(2017, 10, 10), reason="r", days=2)
    order = step(order, users["city"], "request_extension", at(2017, 10, 9), reason="r", days=2)
    order = step(order, users["office"], "reject_extension", at(2017, 10, 9), comment="咨询件应按时答复")
    assert order.deadline == dt.date(2017, 10, 9)
    with pytest.raises(ApplicationError, match="一次"):
        step(order, users["city"], "request_extension", at(2017, 10, 9), reason="r", days=1)


def test_stale_version_is_refused(make_order, catalogue, hotline_user, users):
    order = make_order()
    stale = order.version
    step(order, hotline_user, "dispatch", at(2017, 9, 29, 11))
    order.version = stale
    with pytest.raises(ApplicationError, match="已被他人修改") as exc:
        step(order, hotline_user, "dispatch", at(2017, 9, 29, 11))
    assert exc.value.extra["field"] == "version"


def test_department_matter_is_never_pushed_down(make_order, catalogue, hotline_user, users, units):
    order = make_order(subject="food")
    with pytest.raises(ApplicationError, match="不得下派"):
        step(order, users["office"], "dispatch", at(2017, 9, 29, 11), unit="460100")
    order = step(order, hotline_user, "dispatch", at(2017, 9, 29, 11))
    assert order.lead_unit == units["FDA"]


def test_redo_after_dissatisfied_visit(make_order, catalogue, hotline_user, users):
    order = step(make_order(category="consult"), hotline_user, "dispatch", at(2017, 9, 29, 11))
    for action in ("sign", "start"):
        order = step(order, users["city"], action, at(2017, 9, 29, 12))
    order = step(order, users["city"], "reply", at(2017, 9, 29, 15), text="已答复")
    order = step(order, hotline_user, "review", at(2017, 10, 9))
    order = step(order, hotline_user, "review_pass", at(2017, 10, 9))
    order = step(order, hotline_user, "visit_redo", at(2017, 10, 9), satisfaction="dissatisfied", resolved="false",
                 comment="答复未解决问题，承办单位原因")  # fmt: skip
    assert order.status == "in_progress" and order.redo_count == 1 and order.deadline == dt.date(2017, 10, 11)


def test_direct_answer_and_merge(make_order, hotline_user):
    first = make_order()
    second = make_order(received=at(2017, 10, 9))
    assert list(selectors.order_duplicates(user=hotline_user, order=second)) == [first]
    with pytest.raises(ApplicationError) as exc:
        step(second, hotline_user, "merge", at(2017, 10, 9), into="abc")
    assert exc.value.extra["field"] == "into"
    merged = step(second, hotline_user, "merge", at(2017, 10, 9), into=first.pk)
    assert merged.status == "merged" and merged.merged_into == first
    answered = step(make_order(category="consult", caller_phone="13900000000", enterprise_uscc=""), hotline_user,
                    "direct_answer", at(2017, 10, 9), text="依据知识库答复")  # fmt: skip
    assert answered.status == "closed" and answered.direct_answer


def test_duplicates_outside_window_or_other_subject_are_not_proposed(make_order, hotline_user):
    first = make_order()
    later = make_order(received=at(2017, 11, 20))  # 52 days later
    other = make_order(received=at(2017, 10, 2), subject="service")
    assert first not in selectors.order_duplicates(user=hotline_user, order=later)
    assert first not in selectors.order_duplicates(user=hotline_user, order=other)


def test_caller_masked_for_everyone_but_handler_office_hotline(make_order, catalogue, hotline_user, users):
    order = step(make_order(), hotline_user, "dispatch", at(2017, 9, 29, 11))  # Haikou leads, QTS cooperates
    assert caller_for(users["city"], order) == {"name": "张三丰", "phone": PHONE, "masked": False}
    assert caller_for(users["office"], order)["phone"] == PHONE
    assert caller_for(hotline_user, order)["phone"] == PHONE
    for other in ("dept", "dept2", "viewer", "inspector"):
        assert caller_for(users[other], order) == {"name": "张**", "phone": "138****3210", "masked": True}
    assert mask_phone("66123456") == "******56" and mask_name("李四") == "李*"


def test_caller_never_in_the_audit_log_or_events(make_order, catalogue, hotline_user):
    order = step(make_order(), hotline_user, "dispatch", at(2017, 9, 29, 11))
    logs = json.dumps(list(ChangeLog.objects.values("before", "after", "object_repr")), ensure_ascii=False)
    assert PHONE not in logs and "张三丰" not in logs
    assert "[已屏蔽]" in logs
    events = json.dumps(list(OrderEvent.objects.filter(order=order).values("comment", "data")), ensure_ascii=False)
    assert PHONE not in events
    assert ChangeLog.objects.filter(user=hotline_user).exists()  # the real actor


def test_scope_units_see_only_their_orders(make_order, catalogue, hotline_user, users):
    order = step(make_order(), hotline_user, "dispatch", at(2017, 9, 29, 11))
    assert selectors.order_get(user=users["city"], pk=order.pk) == order
    assert selectors.order_get(user=users["dept"], pk=order.pk) == order  # 协办
    assert selectors.order_get(user=users["dept2"], pk=order.pk) is None
    assert selectors.order_get(user=users["county"], pk=order.pk) is None
    with pytest.raises(ApplicationError, match="无权"):
        step(order, users["dept"], "sign", at(2017, 9, 29, 12))  # 协办 cannot sign for the 主办


def test_intake_validation_names_the_field(hotline_user, users):
    from qualityplan.hotline import services

    base = {"received_at": "2017-09-29 10:00", "category": "投诉", "subject": "product", "title": "t", "content": "c"}
    assert services.order_create(user=hotline_user, data=base).category == "complaint"
    for field, value in [
        ("category", "闲聊"),
        ("enterprise_uscc", "91460100MA5RC0001X"),
        ("region", "北京市"),
        ("received_at", "2017-13-01"),
        ("title", "长" * 201),
        ("caller_phone", "abc"),
    ]:
        with pytest.raises(ApplicationError) as exc:
            services.order_create(user=hotline_user, data={**base, field: value})
        assert exc.value.extra["field"] == field
    with pytest.raises(ApplicationError):
        services.order_create(user=users["dept"], data=base)
