"""Who may do what in the year-end assessment."""

from __future__ import annotations

from qualityplan.assessment.choices import RoundStatus
from qualityplan.core.policies import is_office, is_own_unit, is_reporter, reads_everything


def can_edit_scheme(user) -> bool:
    return is_office(user)


def can_edit_round(user, rnd) -> bool:
    return is_office(user) and not rnd.locked


def can_self_assess(user, ua) -> bool:
    own = is_reporter(user) and is_own_unit(user, ua.unit_id)
    return own and ua.round.status == RoundStatus.SELF_ASSESSMENT and ua.status != "verified"


def can_verify(user, rnd) -> bool:
    return is_office(user) and rnd.status == RoundStatus.VERIFICATION


def can_read_province_report(user, rnd) -> bool:
    """Before the round closes, the draft report is the office's (and the read-all roles')."""
    return reads_everything(user) or rnd.locked


def can_read_unit_summary(user, unit) -> bool:
    """The summary draft linked from a unit's assessment page: its unit and the read-all roles (issue 13)."""
    return reads_everything(user) or is_own_unit(user, unit.pk)
