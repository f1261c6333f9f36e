"""Working-day (工作日) arithmetic with Chinese statutory holidays and make-up workdays (调休).

A day is a working day when it is Monday–Friday and not a statutory holiday, or when it is a
make-up workday (a weekend day declared a working day by the State Council General Office's yearly
notice).  The schedule comes from the ``chinese_calendar`` package (PyPI ``chinesecalendar``), which
covers 2004 up to the year of its release; the yearly notice is not computable from the holiday
rules (国务院《全国年节及纪念日放假办法》 only fixes the holiday counts), so years beyond the package
are **not guessed**: they raise :class:`UnknownCalendarYearError` until an override is registered.

Public functions (scalars ``date``/``datetime``/ISO string, or NumPy ``datetime64[D]`` arrays)
-----------------------------------------------------------------------------------------------
``is_workday(day) -> bool | bool array``
``add_workdays(start, n) -> date | datetime64[D] array``
    the ``n``-th working day after ``start`` (``n < 0``: before; ``n == 0``: ``start`` itself).
    A deadline of "N working days from receipt, counting from the next day" is
    ``add_workdays(received, N)``; to count the receipt day itself when it is a working day
    ("含本数"), use ``add_workdays(received, N - 1)`` on a working day.
``workdays_between(start, end) -> int | int array``
    number of working days ``d`` with ``start < d <= end`` (negative when ``end < start``), so
    ``workdays_between(s, add_workdays(s, n)) == n`` for ``n >= 1``.
``register_year(year, holidays=(), workdays=())``
    override table for a year the package does not know (or to correct one): Mon–Fri by default,
    ``holidays`` removed, ``workdays`` (make-up Saturdays/Sundays) added.  Call it from the Django
    side with the admin-maintained schedule once the yearly notice is published.
``set_override(day, is_workday)`` / ``clear_overrides()``
``known_years() -> tuple[int, ...]``

References
----------
国务院办公厅 yearly 《关于…年部分节假日安排的通知》; 《全国年节及纪念日放假办法》 (2024 revision, from 2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import chinese_calendar
import numpy as np

from .errors import UnknownCalendarYearError

__all__ = [
    "add_workdays",
    "clear_overrides",
    "is_workday",
    "known_years",
    "register_year",
    "set_override",
    "workdays_between",
]

_PACKAGE_YEARS = frozenset(d.year for d in chinese_calendar.holidays) | frozenset(
    d.year for d in chinese_calendar.workdays
)
_YEAR_OVERRIDES: dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]] = {}
_DAY_OVERRIDES: dict[dt.date, bool] = {}
_TABLE: dict[str, Any] = {}


def known_years() -> tuple[int, ...]:
    """Years with a known schedule (package years plus registered ones), sorted."""
    return tuple(sorted(_PACKAGE_YEARS | set(_YEAR_OVERRIDES)))


def register_year(year: int, holidays: Iterable[dt.date] = (), workdays: Iterable[dt.date] = ()) -> None:
    """Register (or replace) the schedule of ``year``: Mon–Fri, minus ``holidays``, plus ``workdays``."""
    hol = frozenset(holidays)
    wd = frozenset(workdays)
    for d in hol | wd:
        if d.year != year:
            raise ValueError(f"{d} is not in {year}")
    _YEAR_OVERRIDES[int(year)] = (hol, wd)
    _TABLE.clear()


def set_override(day: dt.date, is_workday: bool) -> None:
    """Force one day (in a known year) to be a working day or not."""
    _DAY_OVERRIDES[day] = bool(is_workday)
    _TABLE.clear()


def clear_overrides() -> None:
    """Remove every registered year and day override."""
    _YEAR_OVERRIDES.clear()
    _DAY_OVERRIDES.clear()
    _TABLE.clear()


def _table() -> dict[str, Any]:
    if _TABLE:
        return _TABLE
    years = known_years()
    first, last = years[0], years[-1]
    start = np.datetime64(f"{first}-01-01", "D")
    days = np.arange(start, np.datetime64(f"{last + 1}-01-01", "D"))
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (3)
    flags = weekday < 5
    known = np.zeros(days.size, dtype=bool)
    year_of = days.astype("datetime64[Y]").astype(np.int64) + 1970
    for y in years:
        known |= year_of == y

    def idx(d: dt.date) -> int:
        return int((np.datetime64(d, "D") - start).astype(np.int64))

    for d in chinese_calendar.holidays:
        if d.year not in _YEAR_OVERRIDES and first <= d.year <= last:
            flags[idx(d)] = False
    for d in chinese_calendar.workdays:
        if d.year not in _YEAR_OVERRIDES and first <= d.year <= last:
            flags[idx(d)] = True
    for hol, wd in _YEAR_OVERRIDES.values():
        for d in hol:
            flags[idx(d)] = False
        for d in wd:
            flags[idx(d)] = True
    for d, v in _DAY_OVERRIDES.items():
        if first <= d.year <= last:
            flags[idx(d)] = v
    flags &= known
    _TABLE.update(start=start, flags=flags, known=known, cum=np.cumsum(flags), size=days.size)
    return _TABLE


def _to_days(day: Any) -> tuple[np.ndarray, bool]:
    if isinstance(day, dt.datetime):
        return np.array(np.datetime64(day.date(), "D")), True
    if isinstance(day, (dt.date, str, np.datetime64)):
        return np.array(np.datetime64(day, "D") if not isinstance(day, str) else np.datetime64(day[:10], "D")), True
    arr = np.asarray(day)
    if arr.dtype.kind != "M":
        arr = arr.astype("datetime64[D]")
    return arr.astype("datetime64[D]"), False


def _index(days: np.ndarray) -> np.ndarray:
    t = _table()
    i = (days - t["start"]).astype(np.int64)
    bad = (i < 0) | (i >= t["size"])
    if not bad.any():
        bad = ~t["known"][i]
    if np.any(bad):
        sample = np.atleast_1d(days)[np.atleast_1d(bad)][0]
        raise UnknownCalendarYearError(
            f"no holiday schedule for {sample} (known years: {known_years()[0]}–{known_years()[-1]}"
            f" via chinese_calendar {getattr(chinese_calendar, '__version__', '?')}); register it with"
            " workdays.register_year(...) once the State Council notice is published"
        )
    return i


def _out(days: np.ndarray, scalar: bool) -> Any:
    if scalar:
        return days.item() if days.ndim == 0 else days[0].item()
    return days


def is_workday(day: Any) -> Any:
    """True when ``day`` is a working day; raises :class:`UnknownCalendarYearError` for unknown years."""
    days, scalar = _to_days(day)
    res = _table()["flags"][_index(days)]
    return bool(res) if scalar else res


def workdays_between(start: Any, end: Any) -> Any:
    """Working days ``d`` with ``start < d <= end`` (negative count when ``end < start``)."""
    s, s_scalar = _to_days(start)
    e, e_scalar = _to_days(end)
    cum = _table()["cum"]
    res = cum[_index(e)] - cum[_index(s)]
    return int(res) if (s_scalar and e_scalar) else res


def add_workdays(start: Any, n: Any) -> Any:
    """The ``n``-th working day after ``start`` (before it for ``n < 0``; ``start`` for ``n == 0``)."""
    days, scalar = _to_days(start)
    n_arr = np.asarray(n, dtype=np.int64)
    t = _table()
    cum, flags = t["cum"], t["flags"]
    i = _index(days)
    cur = cum[i]
    # forward: first index j with cum[j] == cur + n ; backward: first j with cum[j] == cur - flags[i] - |n| + 1
    target = np.where(n_arr > 0, cur + n_arr, cur - flags[i] + n_arr + 1)
    j = np.searchsorted(cum, target, side="left")
    if np.any((target < 1) & (n_arr < 0)) or np.any(j >= t["size"]):
        raise UnknownCalendarYearError(
            f"result of add_workdays falls outside the known years {known_years()[0]}–{known_years()[-1]}"
        )
    j = np.where(n_arr == 0, i, j)
    result = t["start"] + j.astype("timedelta64[D]")
    _index(np.atleast_1d(result))  # the result must lie in a known year too
    return _out(result, scalar and n_arr.ndim == 0)
