"""Who may do what with plans, targets and measures."""

from __future__ import annotations

from qualityplan.core.policies import is_office


def can_import_plan(user) -> bool:
    return is_office(user)


def can_edit_target(user, target=None) -> bool:
    return is_office(user)
