"""Every allowed transition of a supervision item and of a rectification item — in one table.

``TRANSITIONS`` maps ``(machine, action)`` to the states it may start from, the state it leads to, who may
take it and which inputs it needs. :func:`transition_target` is the only gate: an action not allowed from
the current state (or by this actor) raises :class:`~qualityplan.core.exceptions.ApplicationError` — never a
silent no-op. Side effects (dates, stages, reports, notices) live in ``services.py``.

Item: 立项 →交办→ 交办 →签收→ 办理中 →(延期申请 → 批准/驳回 → 办理中)→ 已报告 → 审核 → 退回重办 (→ 已报告) | 销号
Rectification: 整改方案 → 整改报告 → 核查 → 销号 (核查不通过 → 整改报告)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from qualityplan.core.exceptions import ApplicationError
from qualityplan.supervision.choices import ItemStatus as S
from qualityplan.supervision.choices import RectificationStatus as R

ITEM = "item"
RECTIFICATION = "rectification"

OFFICE = "office"  # 领导小组办公室 (督查机构)
LEAD = "lead"  # the 主办 unit's reporter
RESPONSIBLE = "responsible"  # the rectification item's responsible unit


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str
    requires: tuple[str, ...] = ()


TRANSITIONS: dict[tuple[str, str], Transition] = {
    # supervision item
    (ITEM, "assign"): Transition(pgettext_lazy("supervision action", "交办"), (S.REGISTERED,), S.ASSIGNED, OFFICE),
    (ITEM, "accept"): Transition(pgettext_lazy("supervision action", "签收"), (S.ASSIGNED,), S.IN_PROGRESS, LEAD),
    (ITEM, "request_extension"): Transition(
        pgettext_lazy("supervision action", "申请延期"),
        (S.IN_PROGRESS,),
        S.EXTENSION_REQUESTED,
        LEAD,
        ("reason", "until"),
    ),
    (ITEM, "approve_extension"): Transition(
        pgettext_lazy("supervision action", "批准延期"), (S.EXTENSION_REQUESTED,), S.IN_PROGRESS, OFFICE
    ),
    (ITEM, "reject_extension"): Transition(
        pgettext_lazy("supervision action", "驳回延期"), (S.EXTENSION_REQUESTED,), S.IN_PROGRESS, OFFICE, ("comment",)
    ),
    (ITEM, "submit_report"): Transition(
        pgettext_lazy("supervision action", "报告办理情况"), (S.IN_PROGRESS, S.REDO), S.REPORTED, LEAD, ("text",)
    ),
    (ITEM, "start_review"): Transition(
        pgettext_lazy("supervision action", "审核"), (S.REPORTED,), S.UNDER_REVIEW, OFFICE
    ),
    (ITEM, "return"): Transition(
        pgettext_lazy("supervision action", "退回重办"), (S.UNDER_REVIEW,), S.REDO, OFFICE, ("comment",)
    ),
    (ITEM, "close"): Transition(pgettext_lazy("supervision action", "销号"), (S.UNDER_REVIEW,), S.CLOSED, OFFICE),
    # rectification item
    (RECTIFICATION, "submit_plan"): Transition(
        pgettext_lazy("supervision action", "报送整改方案"), (R.PLAN,), R.REPORT, RESPONSIBLE, ("text",)
    ),
    (RECTIFICATION, "submit_report"): Transition(
        pgettext_lazy("supervision action", "报送整改报告"), (R.REPORT,), R.VERIFY, RESPONSIBLE, ("text",)
    ),
    (RECTIFICATION, "verify_pass"): Transition(
        pgettext_lazy("supervision action", "核查通过销号"), (R.VERIFY,), R.CLOSED, OFFICE
    ),
    (RECTIFICATION, "verify_fail"): Transition(
        pgettext_lazy("supervision action", "核查不通过"), (R.VERIFY,), R.REPORT, OFFICE, ("comment",)
    ),
}

STATES = {ITEM: tuple(S.values), RECTIFICATION: tuple(R.values)}


def actions(machine: str) -> list[str]:
    return [a for (m, a) in TRANSITIONS if m == machine]


def available(machine: str, status: str, actors: set[str] | None = None) -> list[tuple[str, Transition]]:
    """Actions allowed from ``status`` (for ``actors`` if given), in table order — for buttons and the API."""
    return [
        (a, t)
        for (m, a), t in TRANSITIONS.items()
        if m == machine and status in t.sources and (actors is None or t.actor in actors)
    ]


def transition_target(machine: str, action: str, status: str, *, actors: set[str] | None = None) -> Transition:
    """The transition for ``action`` from ``status``; raises :class:`ApplicationError` if not allowed."""
    transition = TRANSITIONS.get((machine, action))
    if transition is None:
        raise ApplicationError(_("未知操作：%(action)s") % {"action": action}, {"machine": machine, "action": action})
    if status not in transition.sources:
        raise ApplicationError(
            _("当前状态不允许“%(action)s”。") % {"action": transition.label},
            {"machine": machine, "action": action, "status": status, "allowed_from": list(transition.sources)},
        )
    if actors is not None and transition.actor not in actors:
        raise ApplicationError(
            _("无权执行“%(action)s”。") % {"action": transition.label},
            {"machine": machine, "action": action, "actor": transition.actor},
        )
    return transition
