"""Every allowed and every forbidden transition of both machines, through the table and through the services."""

import datetime as dt

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.supervision import services, workflow
from qualityplan.supervision.choices import ItemStatus, RectificationStatus
from qualityplan.supervision.models import RectificationItem, SupervisionItem

ALL_PAIRS = [
    (machine, action, state)
    for machine in (workflow.ITEM, workflow.RECTIFICATION)
    for action in workflow.actions(machine)
    for state in workflow.STATES[machine]
]

EXPECTED_ITEM = {
    ("assign", "registered"): "assigned",
    ("accept", "assigned"): "in_progress",
    ("request_extension", "in_progress"): "extension_requested",
    ("approve_extension", "extension_requested"): "in_progress",
    ("reject_extension", "extension_requested"): "in_progress",
    ("submit_report", "in_progress"): "reported",
    ("submit_report", "redo"): "reported",
    ("start_review", "reported"): "under_review",
    ("return", "under_review"): "redo",
    ("close", "under_review"): "closed",
}
EXPECTED_RECT = {
    ("submit_plan", "plan"): "report",
    ("submit_report", "report"): "verify",
    ("verify_pass", "verify"): "closed",
    ("verify_fail", "verify"): "report",
}
EXPECTED = {workflow.ITEM: EXPECTED_ITEM, workflow.RECTIFICATION: EXPECTED_RECT}


def test_table_matches_the_documented_machine():
    got = {
        m: {(a, s): t.target for (mm, a), t in workflow.TRANSITIONS.items() if mm == m for s in t.sources}
        for m in EXPECTED
    }
    assert got == EXPECTED


@pytest.mark.parametrize(("machine", "action", "state"), ALL_PAIRS)
def test_every_pair_is_allowed_or_raises(machine, action, state):
    expected = EXPECTED[machine].get((action, state))
    if expected is None:
        with pytest.raises(ApplicationError, match="不允许"):
            workflow.transition_target(machine, action, state)
    else:
        assert workflow.transition_target(machine, action, state).target == expected


def test_unknown_action_and_wrong_actor_raise():
    with pytest.raises(ApplicationError, match="未知操作"):
        workflow.transition_target(workflow.ITEM, "archive", ItemStatus.CLOSED)
    with pytest.raises(ApplicationError, match="无权"):
        workflow.transition_target(workflow.ITEM, "assign", ItemStatus.REGISTERED, actors={workflow.LEAD})
    with pytest.raises(ApplicationError, match="无权"):
        workflow.transition_target(workflow.ITEM, "accept", ItemStatus.ASSIGNED, actors={workflow.OFFICE})


# ---- through the services, on the database: each allowed action from each state; each forbidden one raises

DATA = {
    "request_extension": {"reason": "需协调多个部门", "until": dt.date(2017, 4, 28)},
    "reject_extension": {"comment": "理由不充分"},
    "submit_report": {"text": "已按要求办结。"},
    "return": {"comment": "报告未说明整改措施"},
}
PATH_TO = {  # action sequence (from 立项) that reaches each state
    "registered": [],
    "assigned": ["assign"],
    "in_progress": ["assign", "accept"],
    "extension_requested": ["assign", "accept", "request_extension"],
    "reported": ["assign", "accept", "submit_report"],
    "under_review": ["assign", "accept", "submit_report", "start_review"],
    "redo": ["assign", "accept", "submit_report", "start_review", "return"],
    "closed": ["assign", "accept", "submit_report", "start_review", "close"],
}
TODAY = dt.date(2017, 3, 1)


def _actor(users, action):
    t = workflow.TRANSITIONS[(workflow.ITEM, action)]
    return users["office"] if t.actor == workflow.OFFICE else users["dept"]  # dept = QTS = 主办


def _drive(users, item, actions):
    for action in actions:
        item = services.item_transition(
            user=_actor(users, action), item=item, action=action, data=DATA.get(action), today=TODAY
        )
    return item


@pytest.mark.parametrize("state", list(PATH_TO))
@pytest.mark.parametrize("action", workflow.actions(workflow.ITEM))
def test_item_service_transitions(users, make_item, state, action):
    item = _drive(users, make_item(), PATH_TO[state])
    assert item.status == state
    expected = EXPECTED_ITEM.get((action, state))
    if expected is None:
        with pytest.raises(ApplicationError):
            services.item_transition(user=_actor(users, action), item=item, action=action, data=DATA.get(action))
        assert SupervisionItem.objects.get(pk=item.pk).status == state
    else:
        item = services.item_transition(
            user=_actor(users, action), item=item, action=action, data=DATA.get(action), today=TODAY
        )
        assert item.status == expected
        assert item.events.last().action == action


def test_cooperating_unit_and_other_units_cannot_act(users, make_item):
    item = make_item(assign_on=TODAY)
    for user in (users["dept2"], users["city"], users["viewer"], users["inspector"]):  # 协办, unrelated, read-only
        with pytest.raises(ApplicationError, match="无权"):
            services.item_transition(user=user, item=item, action="accept")
    item = _drive(users, item, ["accept", "submit_report", "start_review"])
    with pytest.raises(ApplicationError, match="无权"):  # the 主办 unit cannot close its own item
        services.item_transition(user=users["dept"], item=item, action="close")


def test_required_inputs_and_guards(users, make_item):
    item = _drive(users, make_item(), ["assign", "accept"])
    with pytest.raises(ApplicationError, match="reason"):
        services.item_transition(
            user=users["dept"], item=item, action="request_extension", data={"until": "2017-05-01"}
        )
    with pytest.raises(ApplicationError, match="晚于"):
        services.item_transition(
            user=users["dept"],
            item=item,
            action="request_extension",
            data={"reason": "x", "until": item.deadline},
            today=TODAY,
        )
    with pytest.raises(ApplicationError, match="届满前"):
        services.item_transition(
            user=users["dept"],
            item=item,
            action="request_extension",
            data={"reason": "x", "until": "2017-12-01"},
            today=item.deadline + dt.timedelta(days=1),
        )
    item = _drive(users, item, ["submit_report", "start_review"])
    with pytest.raises(ApplicationError, match="comment"):
        services.item_transition(user=users["office"], item=item, action="return", data={"comment": " "})
    rect = services.rectification_add(user=users["office"], item=item, title="建立长效机制")
    with pytest.raises(ApplicationError, match="整改未销号"):
        services.item_transition(user=users["office"], item=item, action="close")
    assert rect.status == RectificationStatus.PLAN


def test_extension_and_return_start_new_stage(users, make_item):
    item = _drive(users, make_item(), ["assign", "accept", "request_extension"])
    assert item.stage == 1
    item = services.item_transition(user=users["office"], item=item, action="approve_extension", today=TODAY)
    assert (item.deadline, item.stage, item.original_deadline < item.deadline) == (dt.date(2017, 4, 28), 2, True)
    item = _drive(users, item, ["submit_report", "start_review", "return"])
    assert item.stage == 3 and item.status == ItemStatus.REDO
    assert item.reports.get().review_result == "returned"


RECT_DATA = {
    "submit_plan": {"text": "方案"},
    "submit_report": {"text": "报告"},
    "verify_fail": {"comment": "未整改到位"},
}
RECT_PATH = {
    "plan": [],
    "report": ["submit_plan"],
    "verify": ["submit_plan", "submit_report"],
    "closed": ["submit_plan", "submit_report", "verify_pass"],
}


@pytest.mark.parametrize("state", list(RECT_PATH))
@pytest.mark.parametrize("action", workflow.actions(workflow.RECTIFICATION))
def test_rectification_service_transitions(users, make_item, state, action):
    item = make_item(assign_on=TODAY)
    rect = services.rectification_add(user=users["office"], item=item, title="整改")

    def actor(a):
        return (
            users["office"]
            if workflow.TRANSITIONS[(workflow.RECTIFICATION, a)].actor == workflow.OFFICE
            else users["dept"]
        )

    for a in RECT_PATH[state]:
        rect = services.rectification_transition(user=actor(a), rectification=rect, action=a, data=RECT_DATA.get(a))
    expected = EXPECTED_RECT.get((action, state))
    if expected is None:
        with pytest.raises(ApplicationError):
            services.rectification_transition(
                user=actor(action), rectification=rect, action=action, data=RECT_DATA.get(action)
            )
        assert RectificationItem.objects.get(pk=rect.pk).status == state
    else:
        rect = services.rectification_transition(
            user=actor(action), rectification=rect, action=action, data=RECT_DATA.get(action)
        )
        assert rect.status == expected


def test_full_item_with_rectification_closes(users, make_item):
    item = _drive(users, make_item(), ["assign", "accept"])
    rect = services.rectification_add(user=users["office"], item=item, title="整改", unit=item.lead_unit)
    for a, u in (("submit_plan", "dept"), ("submit_report", "dept"), ("verify_pass", "office")):
        rect = services.rectification_transition(user=users[u], rectification=rect, action=a, data=RECT_DATA.get(a))
    item = _drive(users, item, ["submit_report", "start_review", "close"])
    assert item.status == ItemStatus.CLOSED and item.closed_on == TODAY
    assert item.number == "琼质督〔2017〕1号"
