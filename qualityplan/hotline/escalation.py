"""The 12345 催办 ladder, the supervision escalation applied to work orders — set-based and idempotent.

Same policy and dates as :mod:`qualityplan.supervision.escalation` (the newest active ``EscalationPolicy`` row or its
defaults; the same ``NoticeKind``): **催办** (by phone) when the deadline is within the reminder window, the
**催办通知书** the first working day after the deadline (copied to the unit's leader), the **通报** when the order is
still open 5 working days after the 催办通知书 of the same stage. One notice per ``(order, kind, stage)``; a new stage
(approved extension, 重办) gets its own ladder. Only orders whose clock runs are considered.
"""

from __future__ import annotations

import datetime as dt
import uuid

from qualityplan.core import clock
from qualityplan.hotline.choices import Status
from qualityplan.hotline.models import OrderNotice, WorkOrder
from qualityplan.supervision.choices import NoticeKind
from qualityplan.supervision.escalation import (
    DEFAULT_LEADER,
    KIND_CODE,
    Policy,
    due_candidates,
    escalation_policy_current,
)

LABELS = {NoticeKind.REMINDER: "催办", NoticeKind.URGE: "催办通知书", NoticeKind.CIRCULAR: "通报"}


def _text(kind: str, number: str, title: str, deadline: dt.date, today: dt.date) -> str:
    if kind == NoticeKind.REMINDER:
        return f"12345热线工单{number}“{title}”办理期限为 {deadline:%Y年%m月%d日}，请抓紧办理并按时办复。"
    if kind == NoticeKind.URGE:
        return (
            f"12345热线工单{number}“{title}”已于 {deadline:%Y年%m月%d日} 到期，至 {today:%Y年%m月%d日} 仍未办复。"
            "请立即办理并书面说明逾期原因。"
        )
    return f"12345热线工单{number}“{title}”经催办后仍未办结（期限 {deadline:%Y年%m月%d日}），现予通报批评，请限期整改。"


def hotline_escalate(*, today: dt.date | None = None, policy: Policy | None = None, notify: bool = True) -> dict:
    """Issue every 催办 / 催办通知书 / 通报 due on ``today``; returns counts per kind and inbox messages sent."""
    today = today or clock.today()
    policy = policy or escalation_policy_current()
    run_id = uuid.uuid4().hex
    base = WorkOrder.objects.filter(status__in=Status.clock_running(), deadline__isnull=False, lead_unit__isnull=False)

    candidates = due_candidates(base=base, notices=OrderNotice.objects, link="order", today=today, policy=policy)
    rows = []
    fields = ("id", "stage", "number", "title", "deadline", "lead_unit_id", "lead_unit__name", "lead_unit__leader_name")
    for kind, qs in candidates.items():
        for pk, stage, number, title, deadline, unit_id, unit_name, leader in qs.values_list(*fields):
            leader = leader or DEFAULT_LEADER
            rows.append(
                OrderNotice(
                    order_id=pk,
                    kind=kind,
                    stage=stage,
                    number=f"{number}-{KIND_CODE[kind]}{stage}",
                    unit_id=unit_id,
                    addressed_to=f"{unit_name}（抄送：{leader}）"[:200],
                    issued_on=today,
                    deadline=deadline,
                    text=_text(kind, number, title, deadline, today),
                    run_id=run_id,
                )
            )
    OrderNotice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    counts = {k.value: sum(1 for r in rows if r.kind == k) for k in NoticeKind}
    counts["messages"] = _notify(run_id=run_id) if (notify and rows) else 0
    return counts


def _notify(*, run_id: str) -> int:
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import Message, notifications_deliver
    from qualityplan.orgs.models import User

    notices = list(
        OrderNotice.objects.filter(run_id=run_id).values_list("order_id", "kind", "number", "text", "unit_id")
    )
    users: dict[int, list[tuple[int, str]]] = {}
    for uid, unit_id, email in User.objects.filter(unit_id__in={n[4] for n in notices}, is_active=True).values_list(
        "id", "unit_id", "email"
    ):
        users.setdefault(unit_id, []).append((uid, email))
    kind_map = {
        NoticeKind.REMINDER: NotificationKind.REMINDER,
        NoticeKind.URGE: NotificationKind.URGE,
        NoticeKind.CIRCULAR: NotificationKind.CIRCULAR,
    }
    messages = [
        Message(
            user_id=uid,
            unit_id=unit_id,
            title=f"【{LABELS[kind]}】{number}",
            body=text,
            url=f"/hotline/orders/{order_id}/",
            kind=kind_map[kind],
            email=email,
        )
        for order_id, kind, number, text, unit_id in notices
        for uid, email in users.get(unit_id, [])
    ]
    return notifications_deliver(messages=messages)
