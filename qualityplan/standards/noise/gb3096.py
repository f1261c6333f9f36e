"""Environmental noise — GB 3096-2008 limits and compliance.

Public functions
----------------
``noise_limit(zone, period) -> float | array``  [dB(A)]
``compliance(leq, zone, period) -> NoiseCompliance`` (limit, compliant, exceed_db)
``compliance_rate(compliant, *, groups=None)`` → 达标率 % = 达标点次 / 监测点次 × 100
``night_maximum_compliant(lmax, zone)`` → Lmax ≤ night limit + 15 dB(A) (5.4, sudden night noise)

Zones ``0 1 2 3 4a 4b`` (``4b_existing_rail_background`` = 70/55 for existing railway trunk lines),
periods ``day`` (06:00–22:00) / ``night`` (22:00–06:00).  Compliance: Leq ≤ limit (exact on values
scaled to 0.000001 dB; no rounding of Leq — open choice); exceedance = Leq − limit in dB (no multiple).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import UnknownItemError
from ..rounding import MISSING, from_scaled, to_scaled

#: GB 3096-2008 表 1, Leq dB(A): zone -> (day, night)
LIMITS: dict[str, tuple[int, int]] = {
    "0": (50, 40),
    "1": (55, 45),
    "2": (60, 50),
    "3": (65, 55),
    "4a": (70, 55),
    "4b": (70, 60),
    "4b_existing_rail_background": (70, 55),
}
ZONES = tuple(LIMITS)
PERIODS = ("day", "night")
NIGHT_MAX_ALLOWANCE = 15


def _lookup(zone: Any, period: Any) -> np.ndarray:
    z = np.asarray(zone).astype(str)
    p = np.asarray(period).astype(str)
    bad_z = ~np.isin(z, ZONES)
    if np.any(bad_z):
        raise UnknownItemError(f"unknown noise zone {np.atleast_1d(z)[np.atleast_1d(bad_z)][0]!r}; expected {ZONES}")
    bad_p = ~np.isin(p, PERIODS)
    if np.any(bad_p):
        raise UnknownItemError(f"unknown period {np.atleast_1d(p)[np.atleast_1d(bad_p)][0]!r}; expected {PERIODS}")
    zone_idx = np.searchsorted(np.asarray(sorted(ZONES)), z)
    table = np.array([LIMITS[k] for k in sorted(ZONES)], dtype=np.float64)
    return table[zone_idx, (p == "night").astype(np.int64)]


def noise_limit(zone: Any, period: Any) -> Any:
    """Limit [dB(A)] for functional zone ``zone`` and ``period`` (GB 3096-2008 表 1)."""
    out = _lookup(zone, period)
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class NoiseCompliance:
    limit: np.ndarray
    compliant: np.ndarray  # bool; False where Leq is missing (see ``measured``)
    exceed_db: np.ndarray  # Leq − limit where > 0, 0 when compliant, NaN when missing
    measured: np.ndarray


def compliance(leq: Any, zone: Any, period: Any) -> NoiseCompliance:
    """Point compliance: Leq ≤ limit (5.1); exceedance in dB."""
    lim = _lookup(zone, period)
    s = to_scaled(leq)
    measured = s != MISSING
    lim_s = to_scaled(lim)
    shape = np.broadcast_shapes(s.shape, lim_s.shape)
    s, lim_s, measured = (np.broadcast_to(a, shape) for a in (s, lim_s, measured))
    ok = measured & (s <= lim_s)
    exceed = np.where(measured, from_scaled(np.maximum(np.where(measured, s, 0) - lim_s, 0)), np.nan)
    return NoiseCompliance(limit=np.broadcast_to(lim, shape), compliant=ok, exceed_db=exceed, measured=measured)


def night_maximum_compliant(lmax: Any, zone: Any) -> Any:
    """Sudden night noise: Lmax ≤ night limit + 15 dB(A) (GB 3096-2008 5.4)."""
    lim = _lookup(zone, "night") + NIGHT_MAX_ALLOWANCE
    v = to_scaled(lmax)
    out = (v != MISSING) & (v <= to_scaled(lim))
    return bool(out) if out.ndim == 0 else out


def compliance_rate(compliant: Any, *, measured: Any = None, groups: Any = None) -> Any:
    """达标率 (%) = 达标点次 / 监测点次 × 100, optionally per group key (returns (keys, rates))."""
    c = np.asarray(compliant, dtype=bool).ravel()
    m = np.ones(c.shape, dtype=bool) if measured is None else np.asarray(measured, dtype=bool).ravel()
    if groups is None:
        n = np.count_nonzero(m)
        return float(np.count_nonzero(c & m) * 100.0 / n) if n else float("nan")
    keys, inv = np.unique(np.asarray(groups).ravel(), return_inverse=True)
    n = np.bincount(inv, weights=m, minlength=keys.size)
    k = np.bincount(inv, weights=c & m, minlength=keys.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return keys, np.where(n > 0, k * 100.0 / np.maximum(n, 1), np.nan)
