"""The one door from Django code into ``qualityplan.standards``.

Every regulatory table and formula lives in the pure package; this module only converts between
Django-side values (dicts, strings) and the package's array API, and names the edition it used so
that each stored value can carry it.  The standards package is imported normally, so the dependency is
visible to import-linter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from qualityplan.standards import air, codes, editions, noise, rounding, sampling, sea, water

WATER_STANDARD = "GB3838-2002"
SEA_STANDARD = "GB3097-1997"
NOISE_STANDARD = "GB3096-2008"
PASS_RATE_RULE = "pass_rate/Wilson-95"

WATER_ITEMS = (
    "pH",
    "DO",
    "CODMn",
    "COD",
    "BOD5",
    "NH3N",
    "TP",
    "TN",
    "Cu",
    "Zn",
    "F",
    "Se",
    "As",
    "Hg",
    "Cd",
    "Cr6",
    "Pb",
    "CN",
    "VPhenol",
    "Petroleum",
    "LAS",
    "S2",
    "FC",
)
SEA_ITEMS = ("pH", "DO", "COD", "DIN", "PO4", "Petroleum", "BOD5", "NH3_nonionic")


def air_edition(day: dt.date) -> str:
    return editions.air_edition(day)


def air_daily(station, date, hour, values: dict[str, Any], *, city, standard: str) -> dict[str, np.ndarray]:
    """Station-day and city-day rows (HJ 633 / GB 3095 validity) — see ``standards.air.daily_from_hourly``."""
    return air.daily_from_hourly(station, date, hour, values, standard=standard, city=city)


def air_daily_aqi(values: dict[str, Any], *, standard: str):
    return air.daily_aqi(**values, standard=standard)


def good_day_ratio(aqi, *, valid=None, groups=None):
    return air.good_day_ratio(aqi, valid=valid, groups=groups)


def meets_reduction_target(current, previous, percent) -> bool:
    return bool(air.meets_reduction_target(current, previous, percent))


def yoy_change(current, previous) -> float:
    return float(air.yoy_change(current, previous))


def water_classes(items: dict[str, np.ndarray], water_body: np.ndarray, *, method: str = "national2011"):
    """GB 3838-2002 single-factor class (1–6, 6 = 劣V; 0 = not assessed) and ``item:multiple;…`` worse than III."""
    result = water.water_class(items, water_body=water_body, method=method)
    return np.asarray(result.cls, dtype=np.int64), np.asarray(result.exceed_iii(), dtype=object)


def water_share_iii(classes) -> float:
    """Percent of assessed sections at or better than class III (NaN when none is assessed)."""
    return float(water.share_at_or_better_than_iii(classes))


def sea_classes(items: dict[str, np.ndarray]):
    """GB 3097-1997 class per sample (1–5, 5 = 劣四类; 0 = not assessed), core items."""
    return np.asarray(sea.sea_class(items).cls, dtype=np.int64)


def sea_good_share(classes) -> float:
    """Percent of stations in classes I + II among assessed stations (station basis)."""
    return float(sea.excellent_good_share(classes))


def noise_compliance(zone: np.ndarray, period: np.ndarray, leq: np.ndarray):
    """GB 3096-2008: (limit, compliant) per measurement."""
    result = noise.compliance(leq, zone, period)
    return np.asarray(result.limit, dtype=float), np.asarray(result.compliant, dtype=bool)


def pass_rate(qualified: int, sampled: int):
    """Pass rate [%] with the Wilson 95 % interval [%]: ``(rate, low, high)``; ``None`` when nothing was sampled."""
    if sampled <= 0:
        return None
    rate = float(sampling.pass_rate(qualified, sampled))
    low, high = sampling.wilson_interval(qualified, sampled)
    return rate, float(low) * 100.0, float(high) * 100.0


def annual_mean(values: dict[str, np.ndarray]) -> dict:
    """HJ 663 annual statistics (mean, percentile, valid days) of daily values."""
    return air.annual_statistics(values)


def round_half_even(x, decimals: int = 1):
    return rounding.round_half_even(x, decimals)


def validate_uscc(values: list[str]) -> list[bool]:
    """GB 32100-2015 check per code."""
    valid, _reason = codes.validate_uscc(np.asarray(values, dtype=object))
    return [bool(v) for v in np.atleast_1d(valid)]
