"""Summary timeliness by the working-day rules.

Decision (documented in docs/ledger-supervision.md): a submission deadline that falls on a weekend or
statutory holiday moves to the **next working day** (``DueRule.NEXT_WORKDAY``, the default), the usual
reading of "报送" deadlines addressed to government offices, which cannot receive documents on closed days.
``DueRule.CALENDAR`` applies the calendar date as written. A summary is on time when it is submitted on or
before the effective due date (local date of ``submitted_at``); a summary returned for rework is judged on
its latest submission.
"""

from __future__ import annotations

import datetime as dt

from qualityplan.ledger.choices import BoardStatus, DueRule, SummaryStatus
from qualityplan.standards.workdays import add_workdays, is_workday


def effective_due(due: dt.date, rule: str = DueRule.NEXT_WORKDAY) -> dt.date:
    """The date a submission is judged against: ``due`` itself, or the next working day when ``due`` is not one.

    >>> effective_due(dt.date(2017, 1, 28))  # Spring Festival holiday -> first working day after it
    datetime.date(2017, 2, 3)
    """
    if rule == DueRule.CALENDAR or is_workday(due):
        return due
    return add_workdays(due, 1)


def board_status(
    *, status: str, due: dt.date, submitted_on: dt.date | None, today: dt.date, rule: str = DueRule.NEXT_WORKDAY
) -> str:
    """Board column of one summary: returned / on time / late / missing / pending (not yet due)."""
    if status == SummaryStatus.RETURNED:
        return BoardStatus.RETURNED
    limit = effective_due(due, rule)
    if submitted_on is not None and status in (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED):
        return BoardStatus.ON_TIME if submitted_on <= limit else BoardStatus.LATE
    return BoardStatus.MISSING if today > limit else BoardStatus.PENDING
