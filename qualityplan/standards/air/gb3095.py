"""Ambient air quality limits — GB 3095-2012 and GB 3095-2026 (transition and final limits).

Public functions
----------------
``limit(pollutant, averaging, *, grade=2, phase) -> float``
    ``phase``: ``"2012"`` (GB 3095-2012 表 1), ``"transition"`` (GB 3095-2026 表 1, 2026-03-01 …
    2030-12-31) or ``"final"`` (from 2031-01-01, 4.4).  :func:`limit_on` picks the phase by date.
``limit_on(day, pollutant, averaging, *, grade=2) -> float``
``exceeds(value, pollutant, averaging, *, grade=2, phase) -> bool array``
    value > limit, decided on GB/T 8170-rounded values (integer µg/m³, CO 0.1 mg/m³), NaN → False.
``exceedance_multiple(value, ...) -> float array``  (value − limit) / limit, NaN when not exceeding.

Pollutants: ``SO2 NO2 CO O3 PM10 PM2_5``; averaging: ``annual``, ``24h`` (2026 "日平均"), ``1h``,
``8h`` (O3 daily maximum 8-h).  µg/m³, CO mg/m³.  GB 3095-2012 values are from a third-party
reprint (primary text not read); GB 3095-2026 values were read in the standard.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ..editions import gb3095_limit_phase
from ..errors import UnknownEditionError, UnknownItemError
from ..rounding import as_float_array, round_half_even

PHASES = ("2012", "transition", "final")
POLLUTANTS = ("SO2", "NO2", "CO", "O3", "PM10", "PM2_5")
AVERAGING = ("annual", "24h", "1h", "8h")

#: (phase, grade) -> {(pollutant, averaging): limit}
LIMITS: dict[tuple[str, int], dict[tuple[str, str], float]] = {}


def _table(so2, no2, co, o3, pm10, pm25):
    t = {}
    for pol, avgs, vals in (
        ("SO2", ("annual", "24h", "1h"), so2),
        ("NO2", ("annual", "24h", "1h"), no2),
        ("CO", ("24h", "1h"), co),
        ("O3", ("8h", "1h"), o3),
        ("PM10", ("annual", "24h"), pm10),
        ("PM2_5", ("annual", "24h"), pm25),
    ):
        for a, v in zip(avgs, vals, strict=True):
            t[(pol, a)] = float(v)
    return t


# GB 3095-2012 表 1
LIMITS[("2012", 1)] = _table((20, 50, 150), (40, 80, 200), (4, 10), (100, 160), (40, 50), (15, 35))
LIMITS[("2012", 2)] = _table((60, 150, 500), (40, 80, 200), (4, 10), (160, 200), (70, 150), (35, 75))
# GB 3095-2026 表 1, transition limits (until 2030-12-31)
LIMITS[("transition", 1)] = _table((20, 50, 150), (40, 80, 200), (4, 10), (100, 160), (40, 50), (15, 35))
LIMITS[("transition", 2)] = _table((60, 150, 500), (40, 80, 200), (4, 10), (160, 200), (60, 120), (30, 60))
# GB 3095-2026 表 1, final limits (from 2031-01-01)
LIMITS[("final", 1)] = _table((20, 50, 150), (30, 50, 200), (4, 10), (100, 160), (20, 50), (10, 25))
LIMITS[("final", 2)] = _table((20, 50, 150), (30, 50, 200), (4, 10), (160, 200), (50, 100), (25, 50))


def limit(pollutant: str, averaging: str, *, grade: int = 2, phase: str) -> float:
    """Concentration limit [µg/m³; CO mg/m³] of ``pollutant`` for ``averaging`` (GB 3095 表 1)."""
    if phase not in PHASES:
        raise UnknownEditionError(f"phase must be one of {PHASES}, not {phase!r}")
    if grade not in (1, 2):
        raise UnknownItemError(f"grade must be 1 or 2, not {grade!r}")
    try:
        return LIMITS[(phase, grade)][(pollutant, averaging)]
    except KeyError:
        raise UnknownItemError(f"no GB 3095 limit for {pollutant!r} / {averaging!r}") from None


def limit_on(day: dt.date | str, pollutant: str, averaging: str, *, grade: int = 2) -> float:
    """:func:`limit` with the phase in force on ``day``."""
    return limit(pollutant, averaging, grade=grade, phase=gb3095_limit_phase(day))


def exceeds(value: Any, pollutant: str, averaging: str, *, grade: int = 2, phase: str) -> Any:
    """True where the GB/T 8170-rounded value is above the limit (NaN → False)."""
    lim = limit(pollutant, averaging, grade=grade, phase=phase)
    v = round_half_even(as_float_array(value), 1 if pollutant == "CO" else 0)
    out = np.asarray(v) > lim
    return bool(out) if out.ndim == 0 else out


def exceedance_multiple(value: Any, pollutant: str, averaging: str, *, grade: int = 2, phase: str) -> Any:
    """超标倍数 (value − limit) / limit where the value exceeds the limit, else NaN."""
    lim = limit(pollutant, averaging, grade=grade, phase=phase)
    v = np.asarray(round_half_even(as_float_array(value), 1 if pollutant == "CO" else 0), dtype=np.float64)
    out = np.where(v > lim, (v - lim) / lim, np.nan)
    return out[()] if out.ndim == 0 else out
