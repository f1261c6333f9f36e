"""Who may do what with messages (see :mod:`qualityplan.core.policies`)."""

from __future__ import annotations

from qualityplan.core.policies import is_signed_in


def can_change_preferences(user, owner) -> bool:
    """Delivery preferences are the user's own: nobody sets another user's (the office neither)."""
    return is_signed_in(user) and owner is not None and user.pk == owner.pk
