"""One policy function per action on work orders — used by the web views, the API and the CLI alike."""

from __future__ import annotations

from qualityplan.hotline import workflow
from qualityplan.orgs.roles import Role


def _auth(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_hotline_agent(user) -> bool:
    return _auth(user) and getattr(user, "role", None) == Role.HOTLINE


def can_intake(user) -> bool:
    """Register orders by hand, import files, receive pushes: the hotline agents and the office."""
    return _auth(user) and (user.is_office or is_hotline_agent(user))


def can_manage_catalogue(user) -> bool:
    """The dispatch catalogue and the time-limit table are kept by the office."""
    return _auth(user) and user.is_office


def can_override_dispatch(user) -> bool:
    """Dispatch against the catalogue's proposal (主办 not in the catalogue for the subject/region)."""
    return _auth(user) and user.is_office


def can_see_caller(user, order) -> bool:
    """The caller's name and phone: the handling (主办) unit, the office and the hotline itself — nobody else."""
    if not _auth(user):
        return False
    if user.is_office or is_hotline_agent(user):
        return True
    return bool(user.unit_id and order.lead_unit_id and user.unit_id == order.lead_unit_id and user.is_reporter)


def actors(user, order) -> set[str]:
    """The workflow roles ``user`` holds on ``order`` (see ``workflow.TRANSITIONS``)."""
    out: set[str] = set()
    if not _auth(user):
        return out
    if user.is_office:
        out |= {workflow.OFFICE, workflow.HOTLINE}
    if is_hotline_agent(user):
        out.add(workflow.HOTLINE)
    if user.is_reporter and user.unit_id and user.unit_id == order.lead_unit_id:
        out.add(workflow.LEAD)
    return out


def can_act(user, order, action: str) -> bool:
    t = workflow.TRANSITIONS.get(action)
    return t is not None and t.actor in actors(user, order)


def can_attach(user, order) -> bool:
    """Attachments: the hotline at intake, the handling unit while it handles."""
    return bool(actors(user, order) & {workflow.HOTLINE, workflow.LEAD})


def can_view_kpi(user) -> bool:
    return _auth(user)
