"""Station-day and city-day values from hourly data; good-day ratio (优良天数比例).

Public functions
----------------
``daily_from_hourly(station, date, hour, values, *, standard, city=None, ...) -> dict[str, ndarray]``
    one row per station-day (and per city-day when ``city`` is given): columns ``scope, entity,
    date, SO2, NO2, PM10, PM2_5, CO, O3_8h, O3_1h_max, n_<pollutant>…, aqi, level, category,
    primary_pollutants, valid``.
``city_daily(station_rows, city_of_station, *, standard, ...) -> dict[str, ndarray]``
``good_day_ratio(aqi, *, valid=None, groups=None) -> GoodDayRatio``
``period_key(date, period) -> str array``  (``"YYYY"`` or ``"YYYY-MM"``)

Validity rules (GB 3095-2012/2026 表 4; HJ 663-2013 as recalled, see docs/standards.md)
---------------------------------------------------------------------------------------
* hour ``h`` is the mean over ``[h:00, h+1:00)`` of the natural day (open choice 13, option a);
* 24-h mean of SO2, NO2, PM10, PM2.5, CO: mean of the valid hours, needs ≥ ``min_hours`` (20);
* O3 8-h moving average: the 17 windows ending 08:00 … 24:00 inside the natural day (GB 3095-2026
  3.9 "一个自然日内"); a window is valid with ≥ ``o3_window_min_hours`` (6) valid hours (表 4) and is
  the mean of its valid hours;
* O3 daily maximum 8-h (MDA8): max of the valid windows; valid with ≥ ``mda8_min_windows`` (14)
  valid windows, or with fewer when the MDA8 exceeds ``mda8_exceed_limit`` (160 µg/m³, Grade II);
* O3 daily maximum 1-h: max of the valid hours, valid with ≥ ``o3_1h_min_hours`` (20) valid hours;
* city value: arithmetic mean of the valid station values of the day (点位平均), per pollutant,
  ≥ ``min_stations`` (1) stations; city MDA8 = mean of the station MDA8 values (open choice 9 a);
* ``valid`` (valid day for the good-day ratio): ``valid_day="aqi_published"`` (default) — the AQI
  is not NA under the rule set's missing-data rule; ``"all_items"`` — all six daily items valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InvalidValueError, StandardsError
from ..rounding import as_float_array, round_half_even
from .hj633 import DAILY_POLLUTANTS, daily_aqi

HOURLY_POLLUTANTS = ("SO2", "NO2", "PM10", "PM2_5", "CO", "O3")
MEAN_POLLUTANTS = ("SO2", "NO2", "PM10", "PM2_5", "CO")
OUTPUT_POLLUTANTS = (*MEAN_POLLUTANTS, "O3_8h", "O3_1h_max")
VALID_DAY_RULES = ("aqi_published", "all_items")


def _dates(date: Any) -> np.ndarray:
    arr = np.asarray(date)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]")
    if arr.dtype.kind in "OUS":
        return np.asarray(arr.astype(str), dtype="datetime64[D]")
    raise StandardsError("date must be datetime64 or ISO strings")


def _hourly_grid(g: np.ndarray, hour: np.ndarray, n_groups: int, values: np.ndarray) -> np.ndarray:
    grid = np.full((n_groups, 24), np.nan)
    grid[g, hour] = values
    return grid


def _o3_daily(grid: np.ndarray, window_min: int, min_windows: int, exceed_limit: float | None):
    ok = ~np.isnan(grid)
    vals = np.where(ok, grid, 0.0)
    zero = np.zeros((grid.shape[0], 1))
    cs = np.concatenate([zero, np.cumsum(vals, axis=1)], axis=1)
    cc = np.concatenate([zero, np.cumsum(ok, axis=1)], axis=1)
    wsum = cs[:, 8:25] - cs[:, 0:17]
    wcnt = cc[:, 8:25] - cc[:, 0:17]
    with np.errstate(invalid="ignore", divide="ignore"):
        wmean = np.where(wcnt >= window_min, wsum / np.maximum(wcnt, 1), np.nan)
    n_windows = np.count_nonzero(~np.isnan(wmean), axis=1)
    mda8 = np.fmax.reduce(wmean, axis=1)
    valid = n_windows >= min_windows
    if exceed_limit is not None:
        valid |= round_half_even(mda8, 0) > exceed_limit
    return np.where(valid, mda8, np.nan), n_windows


def _finish(
    rows: dict[str, Any], standard: str, valid_day: str, aqi_kwargs: Mapping[str, Any], rounded: bool
) -> dict[str, Any]:
    res = daily_aqi(*(rows[p] for p in DAILY_POLLUTANTS), rows["O3_1h_max"], standard=standard, **aqi_kwargs)
    rows["aqi"] = res.aqi
    rows["level"] = res.level
    rows["category"] = res.category
    rows["primary_pollutants"] = res.primary_pollutants
    if valid_day == "aqi_published":
        rows["valid"] = ~np.isnan(res.aqi)
    else:
        rows["valid"] = np.logical_and.reduce([~np.isnan(rows[p]) for p in DAILY_POLLUTANTS])
    if rounded:
        for p in OUTPUT_POLLUTANTS:
            rows[p] = round_half_even(rows[p], 1 if p == "CO" else 0)
    return rows


def daily_from_hourly(
    station: Any,
    date: Any,
    hour: Any,
    values: Mapping[str, Any],
    *,
    standard: str,
    city: Any = None,
    min_hours: int = 20,
    o3_window_min_hours: int = 6,
    mda8_min_windows: int = 14,
    mda8_exceed_limit: float | None = 160,
    o3_1h_min_hours: int = 20,
    min_stations: int = 1,
    valid_day: str = "aqi_published",
    round_output: bool = False,
    negative: str = "raise",
    **aqi_kwargs: Any,
) -> dict[str, np.ndarray]:
    """Station-day (and city-day) concentrations, AQI and validity from hourly rows.

    Parameters
    ----------
    station, date, hour : array_like
        Station code, day (``datetime64`` or ISO string) and hour 0–23 of each row.
    values : mapping
        ``{"SO2", "NO2", "PM10", "PM2_5", "CO", "O3"}`` → hourly means [µg/m³; CO mg/m³], NaN = invalid.
    standard : {"HJ633-2012", "HJ633-2026"}
    city : array_like, optional
        City of each row; adds city-day rows (mean of valid station values).
    round_output : bool
        Return daily concentrations rounded by GB/T 8170 (integer, CO 0.1) instead of unrounded.
    **aqi_kwargs
        Passed to :func:`~qualityplan.standards.air.hj633.daily_aqi` (``missing``, ``round_concentration``…).

    Returns
    -------
    dict of column → ndarray (station rows first, then city rows), sorted by entity and date.

    References
    ----------
    GB 3095-2012/2026 表 4 and 3.8–3.10; HJ 663-2013 (数据统计有效性, recalled); HJ 633 5.1.2 / 4.2.2.
    """
    if valid_day not in VALID_DAY_RULES:
        raise StandardsError(f"valid_day must be one of {VALID_DAY_RULES}")
    unknown = set(values) - set(HOURLY_POLLUTANTS)
    if unknown:
        raise StandardsError(f"unknown hourly pollutant(s) {sorted(unknown)}; expected {HOURLY_POLLUTANTS}")
    station = np.asarray(station)
    days = _dates(date)
    hour = np.asarray(hour).astype(np.int64)
    if hour.size and (hour.min() < 0 or hour.max() > 23):
        raise InvalidValueError("hour must be in 0..23")
    st_codes, st_idx = np.unique(station, return_inverse=True)
    day_int = days.astype(np.int64)
    d0 = int(day_int.min()) if day_int.size else 0
    span = int(day_int.max()) - d0 + 1 if day_int.size else 1
    key = st_idx.astype(np.int64) * span + (day_int - d0)
    ukey, g = np.unique(key, return_inverse=True)
    n = ukey.size
    flat = g * 24 + hour
    if np.bincount(flat, minlength=n * 24).max(initial=0) > 1:
        raise InvalidValueError("duplicate (station, date, hour) rows")
    rows: dict[str, Any] = {
        "scope": np.full(n, "station", dtype=object),
        "entity": st_codes[ukey // span].astype(object),
        "date": (ukey % span + d0).astype("datetime64[D]"),
    }
    for p in HOURLY_POLLUTANTS:
        v = as_float_array(values[p]) if p in values else np.full(hour.shape, np.nan)
        neg = v < 0
        if neg.any():
            if negative == "raise":
                raise InvalidValueError(f"negative hourly {p}: {int(np.count_nonzero(neg))} value(s)")
            v = np.where(neg, np.nan, v)
        grid = _hourly_grid(g, hour, n, v)
        cnt = np.count_nonzero(~np.isnan(grid), axis=1)
        if p == "O3":
            rows["O3_8h"], rows["n_O3_8h_windows"] = _o3_daily(
                grid, o3_window_min_hours, mda8_min_windows, mda8_exceed_limit
            )
            mx = np.fmax.reduce(grid, axis=1)
            rows["O3_1h_max"] = np.where(cnt >= o3_1h_min_hours, mx, np.nan)
            rows["n_O3"] = cnt
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(grid, axis=1) / np.maximum(cnt, 1)
            rows[p] = np.where(cnt >= min_hours, mean, np.nan)
            rows[f"n_{p}"] = cnt
    stations = _finish(dict(rows), standard, valid_day, aqi_kwargs, False)
    if city is None:
        return _round_rows(stations) if round_output else stations
    city = np.asarray(city)
    # city of each station-day: take the city of the first row of each group
    first = np.zeros(n, dtype=np.int64)
    first[g[::-1]] = np.arange(g.size)[::-1]
    cities = city_daily(
        {k: rows[k] for k in ("entity", "date", *OUTPUT_POLLUTANTS)},
        city[first],
        standard=standard,
        min_stations=min_stations,
        valid_day=valid_day,
        **aqi_kwargs,
    )
    keys = list(stations) + [k for k in cities if k not in stations]
    out = {k: np.concatenate([_column(stations, k), _column(cities, k)]) for k in keys}
    return _round_rows(out) if round_output else out


def _round_rows(rows: dict[str, Any]) -> dict[str, Any]:
    for p in OUTPUT_POLLUTANTS:
        rows[p] = round_half_even(rows[p], 1 if p == "CO" else 0)
    return rows


def city_daily(
    station_rows: Mapping[str, Any],
    city_of_row: Any,
    *,
    standard: str,
    min_stations: int = 1,
    valid_day: str = "aqi_published",
    **aqi_kwargs: Any,
) -> dict[str, np.ndarray]:
    """City-day values: mean of the valid station values per (city, date) and pollutant, then the AQI.

    ``station_rows`` needs ``date`` and the columns of :data:`OUTPUT_POLLUTANTS`; ``city_of_row`` the
    city of each station-day row.  A pollutant with fewer than ``min_stations`` valid stations is NaN.
    """
    city = np.asarray(city_of_row)
    days = _dates(station_rows["date"]).astype(np.int64)
    c_codes, c_idx = np.unique(city, return_inverse=True)
    d0 = int(days.min()) if days.size else 0
    span = int(days.max()) - d0 + 1 if days.size else 1
    ukey, g = np.unique(c_idx.astype(np.int64) * span + (days - d0), return_inverse=True)
    n = ukey.size
    rows: dict[str, Any] = {
        "scope": np.full(n, "city", dtype=object),
        "entity": c_codes[ukey // span].astype(object),
        "date": (ukey % span + d0).astype("datetime64[D]"),
    }
    for p in OUTPUT_POLLUTANTS:
        v = as_float_array(station_rows[p])
        ok = ~np.isnan(v)
        s = np.bincount(g, weights=np.where(ok, v, 0.0), minlength=n)
        c = np.bincount(g, weights=ok, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows[p] = np.where(c >= min_stations, s / np.maximum(c, 1), np.nan)
        rows[f"n_{p}"] = c.astype(np.int64)
    return _finish(rows, standard, valid_day, aqi_kwargs, False)


def period_key(date: Any, period: str) -> np.ndarray:
    """``"YYYY"`` (period="year") or ``"YYYY-MM"`` (period="month") of each date."""
    days = _dates(date)
    if period == "year":
        return days.astype("datetime64[Y]").astype(str)
    if period == "month":
        return days.astype("datetime64[M]").astype(str)
    raise StandardsError(f"period must be 'year' or 'month', not {period!r}")


@dataclass(frozen=True)
class GoodDayRatio:
    """Grouped good-day ratio: ``groups`` (tuple of key arrays, empty for ungrouped), counts and percent."""

    groups: tuple[np.ndarray, ...]
    valid_days: np.ndarray
    good_days: np.ndarray
    ratio_percent: np.ndarray


def good_day_ratio(aqi: Any, *, valid: Any = None, groups: Any = None) -> GoodDayRatio:
    """优良天数比例 = days with AQI ≤ 100 (优 + 良) / valid days × 100 %.

    Parameters
    ----------
    aqi : array_like
        Daily AQI (NaN = no AQI published that day).
    valid : array_like of bool, optional
        Valid days; default: the AQI is not NaN.  A valid day without an AQI counts as not good.
    groups : array_like or sequence of array_like, optional
        Group keys per day (e.g. ``(entity, period_key(date, "month"))``).

    Returns
    -------
    GoodDayRatio
        ``ratio_percent`` unrounded (NaN for a group without valid days); reports print one decimal
        (use :func:`qualityplan.standards.rounding.round_half_even`).
    """
    a = as_float_array(aqi).ravel()
    v = ~np.isnan(a) if valid is None else np.asarray(valid, dtype=bool).ravel()
    good = v & (a <= 100)
    if groups is None:
        keys: tuple[np.ndarray, ...] = ()
        inv = np.zeros(a.size, dtype=np.int64)
        n = 1
    else:
        cols = [np.asarray(groups)] if not isinstance(groups, (tuple, list)) else [np.asarray(x) for x in groups]
        if isinstance(groups, list) and all(np.ndim(x) == 0 for x in groups):
            cols = [np.asarray(groups)]
        codes = []
        uniques = []
        for col in cols:
            u, i = np.unique(col.ravel(), return_inverse=True)
            uniques.append(u)
            codes.append(i.astype(np.int64))
        combined = np.zeros(a.size, dtype=np.int64)
        for u, i in zip(uniques, codes, strict=True):
            combined = combined * u.size + i
        ukeys, inv = np.unique(combined, return_inverse=True)
        n = ukeys.size
        parts = []
        rem = ukeys
        for u in reversed(uniques):
            parts.append(u[rem % u.size])
            rem = rem // u.size
        keys = tuple(reversed(parts))
    vd = np.bincount(inv, weights=v, minlength=n).astype(np.int64)
    gd = np.bincount(inv, weights=good, minlength=n).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(vd > 0, gd * 100.0 / np.maximum(vd, 1), np.nan)
    return GoodDayRatio(groups=keys, valid_days=vd, good_days=gd, ratio_percent=ratio)


def _column(rows: Mapping[str, Any], key: str) -> np.ndarray:
    """Column ``key`` of ``rows``; counts absent from one scope are -1."""
    if key in rows:
        return np.asarray(rows[key])
    return np.full(len(rows["date"]), -1, dtype=np.int64)
