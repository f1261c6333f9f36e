"""Who may do what in the task ledger."""

from __future__ import annotations

from qualityplan.core.policies import is_office, is_own_unit, is_reporter


def can_create_task(user) -> bool:
    return is_office(user) or is_reporter(user)


def can_report_on_part(user, part) -> bool:
    return is_reporter(user) and is_own_unit(user, part.unit_id)


def can_submit_summary(user, summary) -> bool:
    return is_reporter(user) and is_own_unit(user, summary.unit_id) and summary.status in ("expected", "returned")


def can_review_summary(user, summary) -> bool:
    return is_office(user) and summary.status == "submitted"


def can_export_all_units(user) -> bool:
    return is_office(user)


def can_supervise_task(user) -> bool:
    return is_office(user)
