"""Working-day deadlines across the 2017 Spring Festival and the escalation ladder's idempotence."""

import datetime as dt

import pytest
from django.core import mail

from qualityplan.notifications.models import Notification
from qualityplan.supervision.choices import NoticeKind
from qualityplan.supervision.escalation import DEFAULT_POLICY, Policy, escalation_policy_current, supervision_escalate
from qualityplan.supervision.models import EscalationPolicy, Notice

D = dt.date
# 2017: Spring Festival holiday Jan 27 – Feb 2; make-up workdays Sun Jan 22 and Sat Feb 4.


@pytest.mark.parametrize(
    ("workdays", "deadline"),
    [(1, D(2017, 1, 22)), (5, D(2017, 1, 26)), (6, D(2017, 2, 3)), (7, D(2017, 2, 4)), (8, D(2017, 2, 6))],
)
def test_assign_deadline_across_spring_festival(make_item, workdays, deadline):
    item = make_item(workdays=workdays, assign_on=D(2017, 1, 20))  # Friday
    assert item.deadline == deadline


def kinds(item):
    return sorted(Notice.objects.filter(item=item).values_list("kind", flat=True))


def test_ladder_across_spring_festival(make_item):
    item = make_item(workdays=5, assign_on=D(2017, 1, 20))  # deadline Thu Jan 26
    assert supervision_escalate(today=D(2017, 1, 23))["reminder"] == 0  # Jan 26 is 3 working days ahead
    assert supervision_escalate(today=D(2017, 1, 24))["reminder"] == 1
    # Jan 27 – Feb 2 are holidays: no working day has passed after the deadline yet
    for day in range(27, 32):
        assert supervision_escalate(today=D(2017, 1, day))["urge"] == 0
    assert supervision_escalate(today=D(2017, 2, 2))["urge"] == 0
    assert supervision_escalate(today=D(2017, 2, 3))["urge"] == 1  # first working day after the deadline
    # 通报 5 working days after the 催办 (Feb 3): Feb 4 (make-up Sat), 6, 7, 8, 9
    assert supervision_escalate(today=D(2017, 2, 8))["circular"] == 0
    assert supervision_escalate(today=D(2017, 2, 9))["circular"] == 1
    assert kinds(item) == ["circular", "reminder", "urge"]
    urge = Notice.objects.get(item=item, kind=NoticeKind.URGE)
    assert urge.issued_on == D(2017, 2, 3) and urge.unit_id == item.lead_unit_id
    assert "抄送" in urge.addressed_to and urge.leader_name
    assert urge.number == "琼质督〔2017〕1号-催1"


def test_reminder_on_makeup_saturday_window(make_item):
    item = make_item(workdays=8, assign_on=D(2017, 1, 20))  # deadline Mon Feb 6
    assert supervision_escalate(today=D(2017, 2, 2))["reminder"] == 0  # 2 WD after Feb 2 is Feb 4
    assert supervision_escalate(today=D(2017, 2, 3))["reminder"] == 1  # Feb 4 (Sat, make-up), Feb 6
    assert kinds(item) == ["reminder"]


def test_idempotent_second_run_sends_nothing(users, make_item):
    for i in range(3):
        make_item(workdays=5, assign_on=D(2017, 1, 20), title=f"事项{i}")
    before = Notification.objects.count()
    first = supervision_escalate(today=D(2017, 2, 3))
    assert first["urge"] == 3
    assert first["messages"] == Notification.objects.count() - before == 9  # QTS 主办 (dept+inspector), ENV 协办
    sent_mail = len(mail.outbox)
    second = supervision_escalate(today=D(2017, 2, 3))
    assert second == {"reminder": 0, "urge": 0, "circular": 0, "messages": 0}
    assert Notice.objects.count() == 3 and len(mail.outbox) == sent_mail
    # and on later days the urge is not repeated either
    assert supervision_escalate(today=D(2017, 2, 6))["urge"] == 0


def test_unique_constraint_backs_idempotence(make_item):
    item = make_item(workdays=5, assign_on=D(2017, 1, 20))
    supervision_escalate(today=D(2017, 2, 3))
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(
            item=item,
            kind=NoticeKind.URGE,
            stage=1,
            number="x",
            unit=item.lead_unit,
            addressed_to="x",
            issued_on=D(2017, 2, 6),
            deadline=item.deadline,
            text="x",
        )


def test_new_stage_after_extension_gets_its_own_ladder(users, make_item):
    from qualityplan.supervision import services

    item = make_item(workdays=5, assign_on=D(2017, 1, 20))
    item = services.item_transition(user=users["dept"], item=item, action="accept")
    supervision_escalate(today=D(2017, 1, 24))  # reminder stage 1
    item = services.item_transition(
        user=users["dept"],
        item=item,
        action="request_extension",
        data={"reason": "春节假期", "until": D(2017, 2, 10)},
        today=D(2017, 1, 25),
    )
    # pending extension: still judged against the original deadline
    assert supervision_escalate(today=D(2017, 2, 3))["urge"] == 1
    item = services.item_transition(user=users["office"], item=item, action="approve_extension", today=D(2017, 2, 3))
    assert supervision_escalate(today=D(2017, 2, 8))["reminder"] == 1  # stage 2, deadline Feb 10
    assert supervision_escalate(today=D(2017, 2, 9))["circular"] == 0  # stage 2 has no 催办 yet
    assert sorted(Notice.objects.filter(item=item).values_list("kind", "stage")) == [
        ("reminder", 1),
        ("reminder", 2),
        ("urge", 1),
    ]


def test_closed_and_registered_items_are_not_escalated(users, make_item):
    make_item(workdays=5)  # registered, no deadline yet
    assert supervision_escalate(today=D(2017, 3, 1)) == {"reminder": 0, "urge": 0, "circular": 0, "messages": 0}


def test_policy_row_overrides_default(make_item):
    assert escalation_policy_current() == DEFAULT_POLICY
    EscalationPolicy.objects.create(
        name="从严", reminder_workdays_before=5, urge_after_workdays=1, circular_after_workdays=2
    )
    assert escalation_policy_current() == Policy(5, 1, 2)
    make_item(workdays=5, assign_on=D(2017, 1, 20))
    assert supervision_escalate(today=D(2017, 1, 20))["reminder"] == 1  # 5 WD window: Jan 22 – Jan 26
    supervision_escalate(today=D(2017, 2, 3))
    assert supervision_escalate(today=D(2017, 2, 6))["circular"] == 1  # Feb 4, Feb 6


def test_escalation_query_count_does_not_grow(make_item, django_assert_max_num_queries):
    for i in range(25):
        make_item(workdays=5, assign_on=D(2017, 1, 20), title=f"事项{i}")
    with django_assert_max_num_queries(12):
        result = supervision_escalate(today=D(2017, 2, 3))
    assert result["urge"] == 25
