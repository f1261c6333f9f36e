"""Working-day time limits (办理时限) of 12345 work orders.

* The limits are data (:class:`~qualityplan.hotline.models.TimeLimit`); :data:`DEFAULTS` applies where the table has
  no row: 签收 1, 咨询 2, 求助 10, 意见建议 10, 投诉 15, 举报 15 working days (Guangdong 2022 办法; workflow-rules §1.3).
* The count starts on the next working day after receipt, so the handling deadline is
  ``add_workdays(received date, N)`` — a working day, the order being due by the end of it (23:59:59). An order
  received on a holiday or a weekend starts counting on the first working day after it; one received on a make-up
  working day (调休上班) starts the next working day after that day, like any working day.
* An approved extension of ``E`` working days moves the deadline to ``add_workdays(deadline, E)``.
* Holidays and make-up working days come from :mod:`qualityplan.standards.workdays` (State Council notices).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from qualityplan.hotline.choices import Light, LimitKind
from qualityplan.standards.workdays import add_workdays, is_workday, workdays_between

DEFAULTS: dict[str, int] = {
    LimitKind.SIGN: 1,
    LimitKind.CONSULT: 2,
    LimitKind.HELP: 10,
    LimitKind.SUGGESTION: 10,
    LimitKind.COMPLAINT: 15,
    LimitKind.REPORT: 15,
}
MAX_EXTENSION_WORKDAYS = 10
RETURN_WITHIN_WORKDAYS = 2


def limits() -> dict[str, int]:
    """The time-limit table: defaults overridden by the rows of ``TimeLimit``."""
    from qualityplan.hotline.models import TimeLimit

    table = dict(DEFAULTS)
    table.update(dict(TimeLimit.objects.values_list("kind", "workdays")))
    return table


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def handling_deadline(
    received: dt.datetime | dt.date, category: str, *, extension_days: int = 0, table: dict | None = None
) -> dt.date:
    """The last working day to close an order of ``category`` received at ``received`` (plus an extension)."""
    table = table or limits()
    if category not in table:
        raise ValueError(f"unknown category {category!r}")
    deadline = add_workdays(local_date(received), table[category])
    if extension_days:
        deadline = add_workdays(deadline, extension_days)
    return deadline


def sign_deadline(dispatched: dt.datetime | dt.date, *, table: dict | None = None) -> dt.date:
    table = table or limits()
    return add_workdays(local_date(dispatched), table[LimitKind.SIGN])


def return_deadline(dispatched: dt.datetime | dt.date) -> dt.date:
    """退单 is possible until the end of the 2nd working day after dispatch."""
    return add_workdays(local_date(dispatched), RETURN_WITHIN_WORKDAYS)


def workdays_left(today: dt.date, deadline: dt.date) -> int:
    """Working days after ``today`` up to the deadline: 0 = due today, negative = overdue."""
    if today > deadline:
        return -max(1, workdays_between(deadline, today))
    return workdays_between(today, deadline)


def light(today: dt.date, deadline: dt.date | None) -> str:
    """Red when overdue, yellow with at most one working day left, else none."""
    if deadline is None:
        return Light.NONE
    if today > deadline:
        return Light.RED
    if workdays_between(today, deadline) <= 1:
        return Light.YELLOW
    return Light.NONE


def working_hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    """Elapsed time between ``start`` and ``end`` counted on working days only, in hours (2 decimals).

    Time on weekends, holidays and other non-working days is left out; make-up working days count.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        return Decimal("0.00")
    seconds = 0.0
    day = start.date()
    while day <= end.date():
        if is_workday(day):
            lo = max(start, timezone.make_aware(dt.datetime.combine(day, dt.time.min), start.tzinfo))
            hi = min(
                end, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), start.tzinfo)
            )
            seconds += max(0.0, (hi - lo).total_seconds())
        day += dt.timedelta(days=1)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))
