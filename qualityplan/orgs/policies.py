"""Who may do what with units and users (see :mod:`qualityplan.core.policies`)."""

from __future__ import annotations

from qualityplan.core.policies import is_office, is_own_unit, is_signed_in, reads_everything


def can_view_unit(user, unit) -> bool:
    """A unit's public facts (name, code, type, the measures it leads and cooperates on): every signed-in user."""
    return is_signed_in(user)


def can_view_unit_internals(user, unit) -> bool:
    """A unit's internal work (its ledger, supervision items): the read-all roles and the unit itself."""
    return reads_everything(user) or is_own_unit(user, unit.id)


def can_list_all_units(user) -> bool:
    """The units register (public facts of every unit): every signed-in user."""
    return is_signed_in(user)


def can_see_unit_users(user) -> bool:
    return is_office(user)
