"""Who may do what with plans, targets and measures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qualityplan.core.policies import is_office
from qualityplan.plans.choices import PlanStatus


def can_import_plan(user) -> bool:
    return is_office(user)


def can_edit_target(user, target=None) -> bool:
    return is_office(user)


def plan_content_locked(plan) -> str | None:
    """Why the targets and measures of ``plan`` cannot be edited now, or None: a published plan is fixed (withdraw
    it, or load a new version, to change it); drafts and withdrawn plans stay editable."""
    if plan.status == PlanStatus.PUBLISHED:
        return _("计划“%(t)s”已发布，目标和措施不能修改；如需修改，请先撤回该计划或载入新版本。") % {"t": plan.title}
    return None
