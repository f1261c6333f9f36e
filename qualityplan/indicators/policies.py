"""Who may do what with indicator reports and evaluations."""

from __future__ import annotations

from qualityplan.core.policies import is_office, is_own_unit, is_reporter, reads_everything
from qualityplan.indicators.choices import SubmissionStatus


def can_open_report(user) -> bool:
    return is_reporter(user) and user.unit_id is not None


def can_edit_submission(user, submission) -> bool:
    editable = submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
    return editable and (is_office(user) or is_own_unit(user, submission.unit_id))


def can_see_all_completeness(user) -> bool:
    return reads_everything(user)


def can_run_evaluation(user) -> bool:
    return is_office(user)
