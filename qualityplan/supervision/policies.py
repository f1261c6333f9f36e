"""Who may do what with supervision items (the state machine's own actor rules live in ``services``)."""

from __future__ import annotations

from qualityplan.core.policies import is_office


def can_create_item(user) -> bool:
    return is_office(user)


def can_see_office_controls(user) -> bool:
    return is_office(user)
