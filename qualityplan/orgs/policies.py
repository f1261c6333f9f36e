"""Who may do what with units and users (see :mod:`qualityplan.core.policies`)."""

from __future__ import annotations

from qualityplan.core.policies import is_own_unit, reads_everything


def can_view_unit(user, unit) -> bool:
    return reads_everything(user) or is_own_unit(user, unit.id)


def can_list_all_units(user) -> bool:
    return reads_everything(user)
