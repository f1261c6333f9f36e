"""Reporting periods: labels (2017, 2017H1, 2017Q3, 2017-05), bounds and due dates."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from qualityplan.indicators.choices import PeriodType


@dataclass(frozen=True)
class Period:
    label: str
    type: str
    start: dt.date
    end: dt.date

    def due(self, timely_days: int) -> dt.date:
        return self.end + dt.timedelta(days=timely_days)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def periods_of_year(year: int, period_type: str) -> list[Period]:
    if period_type == PeriodType.YEAR:
        return [Period(str(year), period_type, dt.date(year, 1, 1), dt.date(year, 12, 31))]
    if period_type == PeriodType.HALF:
        return [
            Period(f"{year}H1", period_type, dt.date(year, 1, 1), dt.date(year, 6, 30)),
            Period(f"{year}H2", period_type, dt.date(year, 7, 1), dt.date(year, 12, 31)),
        ]
    if period_type == PeriodType.QUARTER:
        return [
            Period(f"{year}Q{q}", period_type, dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    if period_type == PeriodType.MONTH:
        return [Period(f"{year}-{m:02d}", period_type, dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    raise ValueError(f"unknown period type {period_type!r}")


def period_get(label: str) -> Period:
    year = int(label[:4])
    rest = label[4:]
    if not rest:
        kind = PeriodType.YEAR
    elif rest.startswith("H"):
        kind = PeriodType.HALF
    elif rest.startswith("Q"):
        kind = PeriodType.QUARTER
    elif rest.startswith("-"):
        kind = PeriodType.MONTH
    else:
        raise ValueError(f"unknown period {label!r}")
    for p in periods_of_year(year, kind):
        if p.label == label:
            return p
    raise ValueError(f"unknown period {label!r}")


def evaluation_periods(year: int, as_of: dt.date) -> list[Period]:
    """The year (as of ``as_of``) and each quarter that has ended by ``as_of`` (year-to-date through its end)."""
    out = [p for p in periods_of_year(year, PeriodType.QUARTER) if p.end <= as_of and p.end.month != 12]
    return [*out, periods_of_year(year, PeriodType.YEAR)[0]]
