"""One policy function per action on risks, used by the web views, the API and the CLI alike.

Callers check the policy *before* validating any input (a user who may not act learns nothing about the input
rules); the services check it again, so a service called from anywhere cannot be used around it. Data scope (which
rows) stays with ``Model.objects.restrict(user, action)``.
"""

from __future__ import annotations

from qualityplan.core.policies import is_office, is_reporter, is_signed_in
from qualityplan.core.querysets import CHANGE, VIEW


def _in_scope(user, obj, action: str) -> bool:
    return is_signed_in(user) and type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


# --- intake ------------------------------------------------------------------------------------------------------


def can_create_risk(user) -> bool:
    """Enter a risk by hand (form, API): the office or a reporter (for their own unit)."""
    return is_office(user) or bool(is_reporter(user) and user.unit_id)


def can_import_risks(user) -> bool:
    """Load a CSV of risk information (all rows or none): whoever may enter risks by hand."""
    return can_create_risk(user)


def can_open_from_signal(user) -> bool:
    """Open a risk from a statistical signal (province-wide data): the office."""
    return is_office(user)


def can_open_from_sample(user) -> bool:
    """Open a risk from a failing sampling result: the office."""
    return is_office(user)


# --- reading -----------------------------------------------------------------------------------------------------


def can_view_risk(user, risk) -> bool:
    return _in_scope(user, risk, VIEW)


def can_view_signals(user) -> bool:
    """The statistical signals (sampling records are read by every signed-in user)."""
    return is_signed_in(user)


def can_view_bulletin(user) -> bool:
    """The monthly bulletin .docx, built from the risks in the user's own scope."""
    return is_signed_in(user)


# --- the case ----------------------------------------------------------------------------------------------------


def can_change_risk(user, risk) -> bool:
    """The handling unit or the office (by data scope)."""
    return _in_scope(user, risk, CHANGE)


def can_review(user, risk) -> bool:
    """Record a 工作研判 / 专业研判: the handling unit or the office (集中研判: :func:`can_review_central`)."""
    return can_change_risk(user, risk)


def can_review_central(user) -> bool:
    """Record the quarterly, province-wide 集中研判: the office."""
    return is_office(user)


def can_review_stage(user, risk, stage: str) -> bool:
    """The stage-specific rule the service applies once the stage is known."""
    return can_review_central(user) if stage == "central" else can_review(user, risk)


def can_add_evidence(user, risk) -> bool:
    return can_change_risk(user, risk)


def can_assign_disposal(user, risk) -> bool:
    """Assign a disposal task: the handling unit or the office."""
    return can_change_risk(user, risk)


def can_complete_disposal(user, disposal) -> bool:
    """Report the result of a disposal task: its owner unit or the office."""
    return _in_scope(user, disposal, CHANGE)


def can_collect_samples(user, risk) -> bool:
    """Bring the targeted sampling results back into the risk: the handling unit or the office."""
    return can_change_risk(user, risk)


def can_close_risk(user, risk) -> bool:
    """Close a risk (结案): the office."""
    return is_office(user)


def can_escalate(user) -> bool:
    """Open 督办单 for overdue disposal tasks: the office (or the system, CLI)."""
    return is_office(user)


def can_view_evidence(user, evidence) -> bool:
    return _in_scope(user, evidence, VIEW)


def can_edit_levels(user) -> bool:
    """Edit the risk matrix bands and disposal deadlines (data): the office."""
    return is_office(user)


def can_edit_auto_open(user) -> bool:
    """Edit the threshold above which signals open risks automatically (data): the office."""
    return is_office(user)


def can_auto_open(user) -> bool:
    """Run the automatic opening (the daily job as "system", the CLI, ``--user``): whoever may open a risk from a
    signal by hand — the same records come out of both paths."""
    return can_open_from_signal(user)
