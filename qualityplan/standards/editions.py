"""Editions (rule sets) of the standards and a picker by date.

Public functions
----------------
``air_edition(day) -> "HJ633-2012" | "HJ633-2026"``
    HJ 633-2026 is in force from 2026-03-01 and repeals HJ 633-2012 (HJ 633-2026 前言).
``gb3095_edition(day) -> "GB3095-2012" | "GB3095-2026"``
``gb3095_limit_phase(day) -> "2012" | "transition" | "final"``
    GB 3095-2026 4.4: transition limits 2026-03-01…2030-12-31, final limits from 2031-01-01.
``check_air_standard(standard) -> str``
    validate an ``HJ633-…`` string, raising :class:`UnknownEditionError`.

The cut-over date is a recommendation derived from the in-force date, not a rule read in a text:
data of 2026-02-28 and earlier are evaluated with HJ 633-2012.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from .errors import UnknownEditionError

HJ633_2012 = "HJ633-2012"
HJ633_2026 = "HJ633-2026"
AIR_EDITIONS = (HJ633_2012, HJ633_2026)
HJ633_2026_IN_FORCE = dt.date(2026, 3, 1)

GB3095_2012 = "GB3095-2012"
GB3095_2026 = "GB3095-2026"
GB3095_EDITIONS = (GB3095_2012, GB3095_2026)
GB3095_2026_IN_FORCE = dt.date(2026, 3, 1)
GB3095_2026_FINAL_FROM = dt.date(2031, 1, 1)

AirStandard = Literal["HJ633-2012", "HJ633-2026"]


def _as_date(day: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return dt.date.fromisoformat(str(day)[:10])


def check_air_standard(standard: str) -> str:
    """Return ``standard`` if it is a known HJ 633 edition, else raise :class:`UnknownEditionError`."""
    if standard not in AIR_EDITIONS:
        raise UnknownEditionError(f"unknown AQI standard {standard!r}; expected one of {AIR_EDITIONS}")
    return standard


def air_edition(day: dt.date | dt.datetime | str) -> str:
    """The HJ 633 edition that applies to data of ``day`` (``"HJ633-2026"`` from 2026-03-01)."""
    return HJ633_2026 if _as_date(day) >= HJ633_2026_IN_FORCE else HJ633_2012


def gb3095_edition(day: dt.date | dt.datetime | str) -> str:
    """The GB 3095 edition in force on ``day`` (``"GB3095-2026"`` from 2026-03-01)."""
    return GB3095_2026 if _as_date(day) >= GB3095_2026_IN_FORCE else GB3095_2012


def gb3095_limit_phase(day: dt.date | dt.datetime | str) -> str:
    """``"2012"`` before 2026-03-01, ``"transition"`` until 2030-12-31, ``"final"`` from 2031-01-01."""
    d = _as_date(day)
    if d < GB3095_2026_IN_FORCE:
        return "2012"
    return "final" if d >= GB3095_2026_FINAL_FROM else "transition"
