"""One policy function per action on risks, used by the web views, the API and the CLI alike."""

from __future__ import annotations

from qualityplan.core.querysets import CHANGE, VIEW


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_create_risk(user) -> bool:
    """Enter a risk (by hand or by CSV): the office or a reporter (for their own unit)."""
    return _signed_in(user) and bool(user.is_office or (user.is_reporter and user.unit_id))


def can_view_risk(user, risk) -> bool:
    return _signed_in(user) and type(risk).objects.restrict(user, VIEW).filter(pk=risk.pk).exists()


def can_change_risk(user, risk) -> bool:
    """工作研判, expert opinions, evidence, disposal tasks: the handling unit or the office."""
    return _signed_in(user) and type(risk).objects.restrict(user, CHANGE).filter(pk=risk.pk).exists()


def can_review(user, risk, stage: str) -> bool:
    """工作研判 / 专业研判: the handling unit or the office; 集中研判 (quarterly, province-wide): the office only."""
    if stage == "central":
        return _signed_in(user) and user.is_office
    return can_change_risk(user, risk)


def can_complete_disposal(user, disposal) -> bool:
    """Report the result of a disposal task: its owner unit or the office."""
    return _signed_in(user) and type(disposal).objects.restrict(user, CHANGE).filter(pk=disposal.pk).exists()


def can_close_risk(user, risk) -> bool:
    """Close a risk (结案): the office."""
    return _signed_in(user) and user.is_office


def can_open_from_signal(user) -> bool:
    """Open a risk from a statistical signal or a failing sample, escalate overdue disposals: the office."""
    return _signed_in(user) and user.is_office


def can_view_evidence(user, evidence) -> bool:
    return _signed_in(user) and type(evidence).objects.restrict(user, VIEW).filter(pk=evidence.pk).exists()


def can_edit_levels(user) -> bool:
    """Edit the risk matrix bands and disposal deadlines (data): the office."""
    return _signed_in(user) and user.is_office
