"""Every allowed step of a 12345 work order — in one table.

登记 →派单→ 已派单 →签收→ 已签收 →开始办理→ 办理中 →办复→ 已办复 →审核→ 审核 →审核通过→ 待回访 →回访→ 已办结

* 直接答复: 登记 → 已办结 (the hotline answers from the knowledge base); 并单: 登记 → 已并单.
* 退单: 已派单 / 已签收 → 退单审核 (the unit, within 2 working days of dispatch, reason and basis required) →
  改派 (已派单 to another unit) | 驳回 (back to the unit, 已签收).
* 延期: 办理中 → 延期审批 (once, before the deadline, ≤ 10 working days) → 批准 | 驳回 → 办理中 (office).
* 重办: 审核 → 办理中 (the reply does not hold) and 待回访 → 办理中 (caller dissatisfied for the unit's reasons).

:func:`transition_target` is the only gate; side effects live in ``services.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from qualityplan.core.exceptions import ApplicationError
from qualityplan.hotline.choices import Status as S

HOTLINE = "hotline"  # the 12345 agents (and the office, which may do whatever they do)
OFFICE = "office"  # 领导小组办公室: approves extensions, overrides dispatch
LEAD = "lead"  # the handling (主办) unit's reporters


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str
    requires: tuple[str, ...] = ()


TRANSITIONS: dict[str, Transition] = {
    "dispatch": Transition(pgettext_lazy("hotline action", "派单"), (S.REGISTERED,), S.DISPATCHED, HOTLINE),
    "direct_answer": Transition(
        pgettext_lazy("hotline action", "直接答复"), (S.REGISTERED,), S.CLOSED, HOTLINE, ("text",)
    ),
    "merge": Transition(pgettext_lazy("hotline action", "并单"), (S.REGISTERED,), S.MERGED, HOTLINE, ("into",)),
    "sign": Transition(pgettext_lazy("hotline action", "签收"), (S.DISPATCHED,), S.SIGNED, LEAD),
    "return": Transition(
        pgettext_lazy("hotline action", "退单"), (S.DISPATCHED, S.SIGNED), S.RETURN_REQUESTED, LEAD, ("reason", "basis")
    ),
    "reassign": Transition(
        pgettext_lazy("hotline action", "改派"), (S.RETURN_REQUESTED,), S.DISPATCHED, HOTLINE, ("unit",)
    ),
    "reject_return": Transition(
        pgettext_lazy("hotline action", "驳回退单"), (S.RETURN_REQUESTED,), S.SIGNED, HOTLINE, ("comment",)
    ),
    "start": Transition(pgettext_lazy("hotline action", "开始办理"), (S.SIGNED,), S.IN_PROGRESS, LEAD),
    "request_extension": Transition(
        pgettext_lazy("hotline action", "申请延期"), (S.IN_PROGRESS,), S.EXTENSION_REQUESTED, LEAD, ("reason", "days")
    ),
    "approve_extension": Transition(
        pgettext_lazy("hotline action", "批准延期"), (S.EXTENSION_REQUESTED,), S.IN_PROGRESS, OFFICE
    ),
    "reject_extension": Transition(
        pgettext_lazy("hotline action", "驳回延期"), (S.EXTENSION_REQUESTED,), S.IN_PROGRESS, OFFICE, ("comment",)
    ),
    "reply": Transition(pgettext_lazy("hotline action", "办复"), (S.IN_PROGRESS,), S.REPLIED, LEAD, ("text",)),
    "review": Transition(pgettext_lazy("hotline action", "审核"), (S.REPLIED,), S.UNDER_REVIEW, HOTLINE),
    "review_pass": Transition(pgettext_lazy("hotline action", "审核通过"), (S.UNDER_REVIEW,), S.REVISIT, HOTLINE),
    "review_redo": Transition(
        pgettext_lazy("hotline action", "审核不通过重办"), (S.UNDER_REVIEW,), S.IN_PROGRESS, HOTLINE, ("comment",)
    ),
    "visit": Transition(pgettext_lazy("hotline action", "回访办结"), (S.REVISIT,), S.CLOSED, HOTLINE),
    "visit_redo": Transition(
        pgettext_lazy("hotline action", "回访不满意重办"), (S.REVISIT,), S.IN_PROGRESS, HOTLINE, ("comment",)
    ),
}
EXTRA_LABELS = {
    "register": pgettext_lazy("hotline action", "登记"),
    "attach": pgettext_lazy("hotline action", "上传附件"),
}


def available(status: str, actors: set[str]) -> list[tuple[str, Transition]]:
    """Actions allowed from ``status`` for ``actors``, in table order — for buttons and the API."""
    return [(a, t) for a, t in TRANSITIONS.items() if status in t.sources and t.actor in actors]


def transition_target(action: str, status: str, *, actors: set[str]) -> Transition:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ApplicationError(_("未知操作：%(action)s") % {"action": action}, {"field": "action", "action": action})
    if status not in transition.sources:
        raise ApplicationError(
            _("当前状态不允许“%(action)s”。") % {"action": transition.label},
            {"action": action, "status": status, "allowed_from": list(transition.sources)},
        )
    if transition.actor not in actors:
        raise ApplicationError(
            _("无权执行“%(action)s”。") % {"action": transition.label}, {"action": action, "actor": transition.actor}
        )
    return transition
