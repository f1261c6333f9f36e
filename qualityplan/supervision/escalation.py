"""The escalation ladder (催办督办): reminder before the deadline → 催办通知 → 通报 — set-based and idempotent.

Ladder (defaults in :data:`DEFAULT_POLICY`, overridden by the newest active :class:`EscalationPolicy` row):

* **提醒** when the deadline is within ``reminder_workdays_before`` working days ahead;
* **催办通知** once ``urge_after_workdays`` working days have passed after the deadline (default 1: the first
  working day after expiry, the "day after" of the 12345 practice — a deadline on Friday is urged on Monday);
* **通报** when the item is still overdue ``circular_after_workdays`` working days (default 5) after the 催办通知
  of the same stage was issued.

Only items whose clock runs (交办, 办理中, 延期申请 — judged against the current deadline until an extension is
approved —, 退回重办) are considered. Each notice is recorded (dated, numbered, addressed to the 主办 unit and
copied to its leader) and announced to the users of the 主办 and 协办 units (inbox + e-mail).

Idempotence: one notice per ``(item, kind, stage)`` — a ``NOT EXISTS`` pre-filter plus the unique constraint with
``bulk_create(ignore_conflicts=True)``; ``stage`` grows on an approved extension or 退回重办, so the new deadline
gets its own ladder. The number of queries does not depend on the number of items (inserts are batched).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from qualityplan.core import clock
from qualityplan.standards.workdays import add_workdays, is_workday
from qualityplan.supervision.choices import ItemStatus, NoticeKind
from qualityplan.supervision.models import EscalationPolicy, ItemUnit, Notice, SupervisionItem


@dataclass(frozen=True)
class Policy:
    reminder_workdays_before: int = 2
    urge_after_workdays: int = 1
    circular_after_workdays: int = 5


DEFAULT_POLICY = Policy()
DEFAULT_LEADER = "主要负责同志"


def escalation_policy_current() -> Policy:
    row = EscalationPolicy.objects.filter(active=True).order_by("-id").first()
    if row is None:
        return DEFAULT_POLICY
    return Policy(row.reminder_workdays_before, row.urge_after_workdays, row.circular_after_workdays)


def _nth_last_workday(today: dt.date, k: int) -> dt.date:
    """W_k: the k-th working day before the latest working day on or before ``today`` (W_0 = that day)."""
    w0 = today if is_workday(today) else add_workdays(today, -1)
    return add_workdays(w0, -k) if k else w0


KIND_CODE = {NoticeKind.REMINDER: "提", NoticeKind.URGE: "催", NoticeKind.CIRCULAR: "通"}


def _text(kind: str, number: str, title: str, deadline: dt.date, today: dt.date) -> str:
    if kind == NoticeKind.REMINDER:
        return f"{number}“{title}”办理期限为 {deadline:%Y年%m月%d日}，请抓紧办理，按时书面报告办理情况。"
    if kind == NoticeKind.URGE:
        return (
            f"{number}“{title}”已于 {deadline:%Y年%m月%d日} 到期，至 {today:%Y年%m月%d日} 未报告办理情况。"
            "请立即办理并书面说明逾期原因。"
        )
    return f"{number}“{title}”经催办后仍未按期办结（原期限 {deadline:%Y年%m月%d日}），现予通报，请限期整改并书面报告。"


def due_candidates(*, base, notices, link: str, today: dt.date, policy: Policy) -> dict:
    """The rows of ``base`` (with ``deadline`` and ``stage``) due for each notice kind on ``today``.

    ``notices``: the notice manager whose ``link`` field points at ``base``'s model and that has ``kind``, ``stage``
    and ``issued_on`` — also used by the 12345 work orders (``hotline.escalation``).
    """

    def has(kind, **extra):
        return Exists(notices.filter(**{link: OuterRef("pk")}, kind=kind, stage=OuterRef("stage"), **extra))

    urge_before = _nth_last_workday(today, policy.urge_after_workdays - 1)
    circular_before = _nth_last_workday(today, policy.circular_after_workdays - 1)
    return {
        NoticeKind.REMINDER: base.filter(
            deadline__gte=today, deadline__lte=add_workdays(today, policy.reminder_workdays_before)
        ).filter(~has(NoticeKind.REMINDER)),
        NoticeKind.URGE: base.filter(deadline__lt=urge_before).filter(~has(NoticeKind.URGE)),
        NoticeKind.CIRCULAR: base.filter(deadline__lt=today)
        .filter(has(NoticeKind.URGE, issued_on__lt=circular_before))
        .filter(~has(NoticeKind.CIRCULAR)),
    }


def supervision_escalate(*, today: dt.date | None = None, policy: Policy | None = None, notify: bool = True) -> dict:
    """Issue every notice due on ``today``; returns counts per kind and the number of inbox messages."""
    today = today or clock.today()
    policy = policy or escalation_policy_current()
    run_id = uuid.uuid4().hex
    base = SupervisionItem.objects.filter(status__in=ItemStatus.clock_running(), deadline__isnull=False)
    candidates = due_candidates(base=base, notices=Notice.objects, link="item", today=today, policy=policy)
    rows = []
    fields = ("id", "stage", "number", "title", "deadline", "lead_unit_id", "lead_unit__name", "lead_unit__leader_name")
    for kind, qs in candidates.items():
        for pk, stage, number, title, deadline, unit_id, unit_name, leader in qs.values_list(*fields):
            leader = leader or DEFAULT_LEADER
            rows.append(
                Notice(
                    item_id=pk,
                    kind=kind,
                    stage=stage,
                    number=f"{number}-{KIND_CODE[kind]}{stage}",
                    unit_id=unit_id,
                    leader_name=leader,
                    addressed_to=f"{unit_name}（抄送：{leader}）"[:200],
                    issued_on=today,
                    deadline=deadline,
                    text=_text(kind, number, title, deadline, today),
                    run_id=run_id,
                )
            )
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    counts = {k.value: sum(1 for r in rows if r.kind == k) for k in NoticeKind}
    counts["messages"] = _notify(run_id=run_id) if (notify and rows) else 0
    return counts


def _notify(*, run_id: str) -> int:
    """Inbox message + e-mail for each notice issued by run ``run_id``: 主办 and 协办 users (3 queries + inserts)."""
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import Message, notifications_deliver
    from qualityplan.orgs.models import User

    notices = list(Notice.objects.filter(run_id=run_id).values_list("item_id", "kind", "number", "text", "unit_id"))
    units_of: dict[int, set[int]] = {}
    for item_id, unit_id in ItemUnit.objects.filter(item__notices__run_id=run_id).values_list("item_id", "unit_id"):
        units_of.setdefault(item_id, set()).add(unit_id)
    all_units = set().union(*units_of.values()) if units_of else set()
    users: dict[int, list[tuple[int, str]]] = {}
    for uid, unit_id, email in User.objects.filter(unit_id__in=all_units, is_active=True).values_list(
        "id", "unit_id", "email"
    ):
        users.setdefault(unit_id, []).append((uid, email))
    kind_map = {
        NoticeKind.REMINDER: NotificationKind.REMINDER,
        NoticeKind.URGE: NotificationKind.URGE,
        NoticeKind.CIRCULAR: NotificationKind.CIRCULAR,
    }
    messages = []
    for item_id, kind, number, text, lead_unit_id in notices:
        label = NoticeKind(kind).label
        for unit_id in units_of.get(item_id, {lead_unit_id}):
            for uid, email in users.get(unit_id, []):
                messages.append(
                    Message(
                        user_id=uid,
                        unit_id=unit_id,
                        title=f"【{label}】{number}",
                        body=text,
                        url=f"/supervision/items/{item_id}/",
                        kind=kind_map[kind],
                        email=email,
                    )
                )
    return notifications_deliver(messages=messages)
