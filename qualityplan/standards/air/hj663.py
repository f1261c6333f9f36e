"""Ambient-air assessment statistics — HJ 663 (annual evaluation) and year-over-year change.

Public functions
----------------
``percentile(values, p) -> float | ndarray``
    HJ 663 percentile: sort ascending, k = 1 + (n−1)·p/100, s = ⌊k⌋,
    m_p = X_s + (X_{s+1} − X_s)(k − s)  (= NumPy ``method="linear"``), NaN ignored.
``annual_statistics(daily, *, groups=None, pm_percentile=95, min_days=324) -> dict``
    per pollutant: annual mean of valid daily values, evaluation percentile, number of valid days,
    and ``complete`` (≥ ``min_days`` valid days, GB 3095 表 4 annual row).
``yoy_change(current, previous) -> percent``  ((current − previous) / previous × 100)
``meets_reduction_target(current, previous, percent) -> bool``  exact "下降 x %" check.

Evaluation statistics (HJ 663-2013 as read in third-party copies; see docs/standards.md):
SO2, NO2 — annual mean and 98th percentile of daily means; PM10, PM2.5 — annual mean and
``pm_percentile`` (default 95th, open choice) of daily means; CO — 95th percentile of daily means;
O3 — 90th percentile of the daily maximum 8-h averages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import StandardsError, UnknownItemError
from ..rounding import MISSING, as_float_array, to_scaled

#: Evaluation percentile of each pollutant (HJ 663); PM values are replaced by ``pm_percentile``.
EVALUATION_PERCENTILE = {"SO2": 98, "NO2": 98, "PM10": 95, "PM2_5": 95, "CO": 95, "O3_8h": 90}
#: Pollutants whose annual evaluation value is the annual mean (CO and O3 use only the percentile).
ANNUAL_MEAN_POLLUTANTS = ("SO2", "NO2", "PM10", "PM2_5")


def percentile(values: Any, p: float, *, axis: int | None = None) -> Any:
    """HJ 663 percentile (linear interpolation between order statistics); NaN values are ignored."""
    if not 0 <= p <= 100:
        raise StandardsError("p must be in [0, 100]")
    x = as_float_array(values)
    if x.size == 0 or np.all(np.isnan(x)):
        return np.nan
    with np.errstate(invalid="ignore"):
        return np.nanpercentile(x, p, axis=axis, method="linear")


def annual_statistics(
    daily: Mapping[str, Any],
    *,
    groups: Any = None,
    pm_percentile: float = 95,
    min_days: int = 324,
) -> dict[str, dict[str, Any]]:
    """Annual evaluation statistics from daily values (one year per call or per group).

    Parameters
    ----------
    daily : mapping pollutant → array
        Daily values (NaN = invalid day): ``SO2, NO2, PM10, PM2_5`` [µg/m³], ``CO`` [mg/m³] 24-h means,
        ``O3_8h`` [µg/m³] daily max 8-h.  Unknown keys raise.
    groups : array_like, optional
        Group key per day (e.g. station or city + year); statistics are computed per unique key.
    pm_percentile : float
        Percentile for PM10 and PM2.5 (95 by default; 98 is the other reading of HJ 663).

    Returns
    -------
    dict pollutant → {"mean", "percentile", "p", "n_days", "complete"} (arrays per group when grouped,
    with ``"groups"`` holding the unique keys at the top level).
    """
    unknown = set(daily) - set(EVALUATION_PERCENTILE)
    if unknown:
        raise UnknownItemError(f"unknown pollutant(s) {sorted(unknown)}; expected {tuple(EVALUATION_PERCENTILE)}")
    out: dict[str, Any] = {}
    if groups is not None:
        keys, inv = np.unique(np.asarray(groups), return_inverse=True)
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(keys.size + 1))
        out["groups"] = keys
    for pol, values in daily.items():
        p = pm_percentile if pol in ("PM10", "PM2_5") else EVALUATION_PERCENTILE[pol]
        x = as_float_array(values).ravel()
        if groups is None:
            n = int(np.count_nonzero(~np.isnan(x)))
            mean = float(np.nanmean(x)) if n else np.nan
            out[pol] = {"mean": mean, "percentile": percentile(x, p), "p": p, "n_days": n, "complete": n >= min_days}
            continue
        # grouped: pad each group into a matrix row (groups are few; rows are many)
        sizes = np.diff(bounds)
        width = int(sizes.max()) if sizes.size else 0
        mat = np.full((keys.size, width), np.nan)
        pos = np.arange(x.size) - np.repeat(bounds[:-1], sizes)
        mat[inv[order], pos] = x[order]
        n = np.count_nonzero(~np.isnan(mat), axis=1)
        with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as sup:
            sup.filter(RuntimeWarning)
            mean = np.nanmean(mat, axis=1)
            pct = np.nanpercentile(mat, p, axis=1, method="linear")
        out[pol] = {"mean": mean, "percentile": pct, "p": p, "n_days": n, "complete": n >= min_days}
    return out


def yoy_change(current: Any, previous: Any) -> Any:
    """Year-over-year change in percent: (current − previous) / previous × 100 (negative = 下降)."""
    c = as_float_array(current)
    p = as_float_array(previous)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(p != 0, (c - p) / p * 100.0, np.nan)
    return out[()] if out.ndim == 0 else out


def meets_reduction_target(current: Any, previous: Any, percent: Any) -> Any:
    """True when ``current`` is at least ``percent`` % below ``previous`` ("PM10 浓度下降3%").

    Decided exactly on scaled integers: current·100 ≤ previous·(100 − percent).
    NaN inputs give False.
    """
    c = to_scaled(current)
    p = to_scaled(previous)
    pct = to_scaled(percent, digits=4)  # percent with 4 decimals → factor 10**6 below
    missing = (c == MISSING) | (p == MISSING) | (pct == MISSING)
    # int64 is exact here for concentrations below ~9e6 (scaled 9e12 × 1e6 < 9.2e18)
    ok = c * 1_000_000 <= p * (1_000_000 - pct)
    ok = ok & ~missing
    return bool(ok) if ok.ndim == 0 else ok
