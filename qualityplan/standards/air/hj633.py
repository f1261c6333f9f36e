"""Air quality index (AQI / IAQI) — HJ 633-2012 and HJ 633-2026.

Every function takes the rule set explicitly: ``standard="HJ633-2012"`` or ``"HJ633-2026"``
(use :func:`qualityplan.standards.editions.air_edition` to pick it by date; 2026 applies from
2026-03-01).

Public functions
----------------
``iaqi(item, concentration, *, standard, fallback=None, round_concentration=None, above_top="cap",
negative="raise") -> float | float array``
    individual AQI of one item (NaN for a missing concentration).
``daily_aqi(SO2, NO2, PM10, PM2_5, CO, O3_8h, O3_1h_max=None, *, standard, missing=None, ...)
-> DailyAQI``
    IAQI per pollutant, AQI, level 1–6, category, colour, primary and exceeding pollutants.
``aqi_level(aqi) -> int8 array`` (0 = NA), ``aqi_category(level)``, ``aqi_colour(level)``.

Items (``ITEMS``): ``SO2_24H SO2_1H NO2_24H NO2_1H PM10_24H PM10_1H PM25_24H PM25_1H CO_24H CO_1H
O3_1H O3_8H``; µg/m³, CO in mg/m³.

Rules implemented
-----------------
* 式 1 (HJ 633-2012 4.2; HJ 633-2026 4.2.4): linear interpolation between the breakpoints of
  表 1 (2012) / 表 3 (2026).  The 2026 table differs only at IAQI 100 for PM10 (120, was 150) and
  PM2.5 (60, was 75).
* IAQI and AQI "全部(向上)进位取整数" (2012 6.2; 2026 4.2.6): ceiling, computed **exactly** on
  scaled integers (value × 10⁶, see :mod:`qualityplan.standards.rounding`), so CO 2.2 → 55 and
  never 56.
* Concentrations are rounded by GB/T 8170 (half-even) to integer µg/m³ and CO to 0.1 mg/m³ before
  the lookup (2026 4.2.2/4.2.3).  HJ 633-2012 is silent; the default applies the same rounding to
  2012 data (published daily concentrations are integers, and it keeps the two rule sets
  comparable).  ``round_concentration=False`` uses the unrounded value.
* SO2 1-h > 800 µg/m³: 2012 → IAQI of the SO2 24-h concentration given as ``fallback``
  (表 1 注 2); 2026 → 200 (表 3 注 b).  O3 8-h > 800 µg/m³: 2012 → IAQI of the O3 1-h
  concentration given as ``fallback`` (注 3); 2026 → 300 (注 c).  Without a fallback the 2012
  result is NaN.
* PM10/PM2.5 1-hour values use the daily table (2026 4.2.4).  HJ 633-2012 has no 1-h PM row; the
  same daily table is used (open choice, see docs/standards.md).
* Above the top of the table: 2026 caps at 500 (4.1.1 "范围为 1～500"); 2012 is silent — default
  also caps (``above_top="cap"``), ``above_top="nan"`` returns NaN instead.
* Missing (NaN) in → NaN out.  Negative concentrations raise :class:`InvalidValueError`
  (``negative="nan"`` turns them into missing values instead).
* AQI = max IAQI (式 2).  Primary pollutants: AQI > 50, every item whose IAQI equals the AQI
  (2012 4.4.2; 2026 4.3.1).  Exceeding pollutants: IAQI > 100 (2012 3.4; deleted in 2026 → ``None``).
* Daily report items: 2012 5.1.2 — 24-h SO2, NO2, PM10, PM2.5, CO, O3 daily max 8-h **and O3 daily
  max 1-h** (7 items, the last only when ``O3_1h_max`` is given); 2026 4.2.2 — 6 items
  (``O3_1h_max`` is ignored).
* Missing items (``missing=``): ``"hj633_2026"`` (default for 2026, 5.3.1: compute from the others,
  publish the AQI only if > 100, else NA); ``"max_available"`` (default for 2012: AQI over the
  available items, missing ones reported); ``"na"`` (any missing item → NA).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from ..editions import HJ633_2012, HJ633_2026, check_air_standard
from ..errors import InvalidValueError, StandardsError, UnknownItemError
from ..rounding import MISSING, SCALE, as_float_array, round_scaled_half_even, to_scaled
from .hj633_tables import (  # noqa: F401 (re-exported: the tables are part of this module's API)
    BREAKPOINTS,
    BREAKPOINTS_2012,
    BREAKPOINTS_2026,
    CATEGORIES,
    COLOURS,
    COLOURS_RGB_HEX,
    CONCENTRATION_DECIMALS,
    DAILY_ITEM,
    DAILY_POLLUTANTS,
    IAQI_LEVELS,
    ITEMS,
    LEVEL_NAMES,
    LEVEL_UPPER,
    MISSING_RULES,
    SPECIAL_ABOVE,
)


def _scaled_table(standard: str, item: str) -> np.ndarray:
    return np.array([round(b * SCALE) for b in BREAKPOINTS[standard][item]], dtype=np.int64)


def _check_item(item: str) -> str:
    if item not in BREAKPOINTS_2012:
        raise UnknownItemError(f"unknown AQI item {item!r}; expected one of {ITEMS}")
    return item


def _prepare(item: str, concentration: Any, round_concentration: bool, negative: str) -> np.ndarray:
    c = to_scaled(concentration)
    neg = (c < 0) & (c != MISSING)
    if neg.any():
        if negative == "raise":
            raise InvalidValueError(f"negative concentration for {item}: {int(np.count_nonzero(neg))} value(s)")
        if negative != "nan":
            raise StandardsError(f"negative must be 'raise' or 'nan', not {negative!r}")
        c = np.where(neg, MISSING, c)
    if round_concentration:
        c = round_scaled_half_even(c, 10 ** (6 - CONCENTRATION_DECIMALS[item]))
    return c


def _interpolate(c: np.ndarray, bps: np.ndarray) -> np.ndarray:
    """Exact ceil of 式 1 on scaled integers; float64 result (garbage where c is MISSING / above top)."""
    levels = np.asarray(IAQI_LEVELS[: bps.size], dtype=np.int64)
    seg = np.clip(np.searchsorted(bps, c, side="left") - 1, 0, bps.size - 2)
    lo, hi = bps[seg], bps[seg + 1]
    ilo, ihi = levels[seg], levels[seg + 1]
    num = (ihi - ilo) * (np.clip(c, 0, None) - lo)
    den = hi - lo
    # num and den are exact integers < 2**53, so the float quotient is correctly rounded; an exact
    # integer quotient stays exact and a non-integer one is ≥ 1/den ≫ 1 ulp away from an integer,
    # hence ceil(num / den) in float64 equals the exact rational ceiling.
    return ilo + np.ceil(num / den)


def iaqi(
    item: str,
    concentration: Any,
    *,
    standard: str,
    fallback: Any = None,
    round_concentration: bool | None = None,
    above_top: str = "cap",
    negative: str = "raise",
) -> Any:
    """Individual air quality index IAQI_P (HJ 633 式 1, rounded up).

    Parameters
    ----------
    item : str
        One of :data:`ITEMS`, e.g. ``"PM25_24H"``, ``"O3_8H"``.
    concentration : float or array_like
        [µg/m³; CO mg/m³].  NaN / None = missing.
    standard : {"HJ633-2012", "HJ633-2026"}
    fallback : float or array_like, optional
        2012 only: SO2 24-h concentration for ``SO2_1H`` > 800, O3 1-h concentration for ``O3_8H`` > 800.
    round_concentration : bool, optional
        GB/T 8170 rounding to integer (CO 0.1) before the lookup; default True for both editions.
    above_top : {"cap", "nan"}
        Value above the top breakpoint: IAQI 500 (HJ 633-2026 4.1.1) or NaN.  2026 always caps.
    negative : {"raise", "nan"}

    Returns
    -------
    float or ndarray of float
        Integer-valued IAQI; NaN where the concentration is missing.

    References
    ----------
    HJ 633-2012 4.2, 表 1 and notes (2)(3), 6.2; HJ 633-2026 4.2.4, 4.2.6, 表 3 notes b) c).
    """
    check_air_standard(standard)
    _check_item(item)
    if above_top not in ("cap", "nan"):
        raise StandardsError(f"above_top must be 'cap' or 'nan', not {above_top!r}")
    do_round = True if round_concentration is None else bool(round_concentration)
    if do_round:
        fast = _iaqi_fast(item, concentration, standard, above_top)
        if fast is not None:
            out, idx = fast
            if fallback is not None and standard == HJ633_2012 and item in SPECIAL_ABOVE:
                above = idx == _lookup(standard, item, above_top)[2] + 1
                if above.any():
                    repl = iaqi(
                        SPECIAL_ABOVE[item][1],
                        fallback,
                        standard=standard,
                        round_concentration=round_concentration,
                        above_top=above_top,
                        negative=negative,
                    )
                    out = np.where(above, repl, out)
            return out
    return _iaqi_reference(
        item,
        concentration,
        standard=standard,
        fallback=fallback,
        round_concentration=round_concentration,
        above_top=above_top,
        negative=negative,
    )


# --- fast path -----------------------------------------------------------------------------------
# With the default GB/T 8170 rounding, a concentration becomes an integer number ``q`` of quanta
# (1 µg/m³, CO 0.1 mg/m³) before the table lookup, and every table tops out at ≤ 3840 quanta.  The
# IAQI of each possible ``q`` is computed once, exactly, by the reference code (:func:`_interpolate`
# on scaled integers) and stored in a lookup table; a whole array then costs a handful of
# elementwise float passes and one gather.  The reference path (:func:`_iaqi_reference`) is still
# used for scalars, unrounded concentrations, negative values and values beyond int64 scaling.

_SAFE_SCALED = float(2**62)  # reference int64 rounding cannot overflow below this


@functools.cache
def _lookup(standard: str, item: str, above_top: str) -> tuple[np.ndarray, np.ndarray, int, float]:
    """(float IAQI table, int16 code table, top in quanta, quantum scaled) for one item.

    Index ``0 … top`` = IAQI of ``q`` quanta; ``top + 1`` = value above the table; ``top + 2``
    (also reached as index ``-1``) = missing.  Codes are the IAQI as int16 with -1 for NaN.
    """
    quantum = 10 ** (6 - CONCENTRATION_DECIMALS[item])
    bps = _scaled_table(standard, item)
    top = int(bps[-1]) // quantum
    assert top * quantum == bps[-1]
    values = _interpolate(np.arange(top + 1, dtype=np.int64) * quantum, bps)
    if item in SPECIAL_ABOVE:
        above = float(SPECIAL_ABOVE[item][2]) if standard == HJ633_2026 else np.nan  # 2012: fallback or NaN
    else:
        above = 500.0 if (above_top == "cap" or standard == HJ633_2026) else np.nan
    table = np.concatenate([values, [above, np.nan]]).astype(np.float64)
    codes = np.where(np.isnan(table), -1, table).astype(np.int16)
    table.flags.writeable = False
    codes.flags.writeable = False
    return table, codes, top, float(quantum)


def _quanta_index(item: str, concentration: Any, top: int, quantum: float) -> np.ndarray | None:
    """Lookup index per value (see :func:`_lookup`), or None when the reference path must decide.

    Bit-for-bit the reference reading: ``s = rint(x · 10⁶)`` (:func:`to_scaled`), then GB/T 8170
    half-even to a multiple of the quantum.  ``s`` is an integer-valued float; ``s / quantum`` is
    correctly rounded, so a tie (``k + ½``, exactly representable) stays a tie and ``rint`` rounds
    it half-even, and a non-tie is ≥ 1/quantum away from ``k + ½``, far beyond the float error for
    the magnitudes that matter (< 2**62 / 10⁶) — hence ``rint(s / quantum)`` is the exact result.
    """
    if isinstance(concentration, (str, Decimal)) or concentration is None:
        return None
    x = as_float_array(concentration)
    if x.ndim == 0 or x.size == 0:
        return None
    t = np.multiply(x, float(SCALE))
    np.rint(t, out=t)
    lo, hi = np.fmin.reduce(t, axis=None), np.fmax.reduce(t, axis=None)  # NaN-ignoring
    if not (lo >= 0 and hi < _SAFE_SCALED):  # negatives (raise / nan rules), int64 range, all-NaN
        return None
    np.divide(t, quantum, out=t)
    np.rint(t, out=t)
    np.fmax(t, -1.0, out=t)  # NaN → -1 (missing)
    np.fmin(t, top + 1.0, out=t)  # above the table → top + 1
    return t.astype(np.intp)


def _iaqi_fast(item: str, concentration: Any, standard: str, above_top: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(IAQI float array, lookup index) with rounded concentrations; None → use the reference path."""
    table, _, top, quantum = _lookup(standard, item, above_top)
    idx = _quanta_index(item, concentration, top, quantum)
    if idx is None:
        return None
    return table[idx], idx


def _iaqi_reference(
    item: str,
    concentration: Any,
    *,
    standard: str,
    fallback: Any = None,
    round_concentration: bool | None = None,
    above_top: str = "cap",
    negative: str = "raise",
) -> Any:
    """The straightforward scaled-integer implementation of :func:`iaqi` (reference for the fast path)."""
    check_air_standard(standard)
    _check_item(item)
    if above_top not in ("cap", "nan"):
        raise StandardsError(f"above_top must be 'cap' or 'nan', not {above_top!r}")
    do_round = True if round_concentration is None else bool(round_concentration)
    c = _prepare(item, concentration, do_round, negative)
    bps = _scaled_table(standard, item)
    raw = _interpolate(c, bps)
    missing = c == MISSING
    above = (c > bps[-1]) & ~missing
    out = np.where(missing, np.nan, raw)
    if above.any():
        if item in SPECIAL_ABOVE:
            _, fb_item, fixed = SPECIAL_ABOVE[item]
            if standard == HJ633_2026:
                repl = np.float64(fixed)
            elif fallback is None:
                repl = np.float64(np.nan)
            else:
                repl = _iaqi_reference(
                    fb_item,
                    fallback,
                    standard=standard,
                    round_concentration=round_concentration,
                    above_top=above_top,
                    negative=negative,
                )
            out = np.where(above, repl, out)
        else:
            cap = 500.0 if (above_top == "cap" or standard == HJ633_2026) else np.nan
            out = np.where(above, cap, out)
    return out[()] if out.ndim == 0 else out


def aqi_level(aqi: Any) -> np.ndarray:
    """AQI level 1–6 (HJ 633-2012 表 2 / HJ 633-2026 表 1); 0 where the AQI is NaN."""
    a = np.asarray(aqi, dtype=np.float64)
    lvl = (np.searchsorted(np.asarray(LEVEL_UPPER, dtype=np.float64), a, side="left") + 1).astype(np.int8)
    return np.where(np.isnan(a), np.int8(0), lvl)


def aqi_category(level: Any) -> np.ndarray:
    """Category (优 良 轻度污染 中度污染 重度污染 严重污染) of each level; '' for 0 (NA)."""
    return np.asarray(CATEGORIES, dtype=object)[np.asarray(level, dtype=np.int64)]


def aqi_colour(level: Any, *, rgb_hex: bool = False) -> np.ndarray:
    """Colour name (绿色 …) or RGB hex (附录 A) of each level; '' for 0 (NA)."""
    return np.asarray(COLOURS_RGB_HEX if rgb_hex else COLOURS, dtype=object)[np.asarray(level, dtype=np.int64)]


@functools.cache
def _label_table(names: tuple[str, ...], sep: str) -> np.ndarray:
    """';'-joined names for each of the 2**len(names) bitmasks (≤ 128 entries)."""
    return np.array(
        [sep.join(n for k, n in enumerate(names) if code >> k & 1) for code in range(1 << len(names))], dtype=object
    )


def _mask_labels(names: tuple[str, ...], mask: np.ndarray, sep: str = ";") -> np.ndarray:
    """Map a bitmask array to ';'-joined names: one gather from the table of all 2**k combinations."""
    mask = np.asarray(mask)
    return np.asarray(_label_table(tuple(names), sep)[mask], dtype=object)


def _mask_labels_reference(names: tuple[str, ...], mask: np.ndarray, sep: str = ";") -> np.ndarray:
    """Map a bitmask array to ';'-joined names without a Python loop over rows (≤ 2^k lookups)."""
    codes, inv = np.unique(mask, return_inverse=True)
    labels = np.array(
        [sep.join(n for k, n in enumerate(names) if int(code) >> k & 1) for code in codes.tolist()], dtype=object
    )
    if not codes.size:
        return np.array([], dtype=object).reshape(mask.shape)
    return np.asarray(labels[inv.reshape(mask.shape)], dtype=object)


@dataclass(frozen=True)
class DailyAQI:
    """Result of :func:`daily_aqi`; all arrays have the input's shape.

    ``iaqi``: dict pollutant → float array (NaN = missing); ``aqi``: float array (NaN = NA);
    ``level``: int8 (0 = NA); ``primary_mask`` / ``exceeding_mask`` / ``missing_mask``: bit ``k`` set
    for ``pollutants[k]``; ``exceeding_mask`` is None under HJ 633-2026.
    """

    standard: str
    pollutants: tuple[str, ...]
    iaqi: dict[str, np.ndarray]
    aqi: np.ndarray
    level: np.ndarray
    primary_mask: np.ndarray
    exceeding_mask: np.ndarray | None
    missing_mask: np.ndarray
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def category(self) -> np.ndarray:
        return aqi_category(self.level)

    @property
    def colour(self) -> np.ndarray:
        return aqi_colour(self.level)

    @property
    def primary_pollutants(self) -> np.ndarray:
        """';'-joined primary pollutants per row ('' when AQI ≤ 50 or NA)."""
        return _mask_labels(self.pollutants, self.primary_mask)

    @property
    def exceeding_pollutants(self) -> np.ndarray | None:
        """';'-joined pollutants with IAQI > 100 (HJ 633-2012 only; None for 2026)."""
        return None if self.exceeding_mask is None else _mask_labels(self.pollutants, self.exceeding_mask)

    @property
    def missing_pollutants(self) -> np.ndarray:
        return _mask_labels(self.pollutants, self.missing_mask)


def daily_aqi(
    SO2: Any,
    NO2: Any,
    PM10: Any,
    PM2_5: Any,
    CO: Any,
    O3_8h: Any,
    O3_1h_max: Any = None,
    *,
    standard: str,
    missing: str | None = None,
    round_concentration: bool | None = None,
    above_top: str = "cap",
    negative: str = "raise",
) -> DailyAQI:
    """Daily AQI report (日报) from daily concentrations.

    Parameters
    ----------
    SO2, NO2, PM10, PM2_5 : array_like [µg/m³]
        24-h (日平均) means.
    CO : array_like [mg/m³]
    O3_8h : array_like [µg/m³]
        Daily maximum 8-h moving average.
    O3_1h_max : array_like [µg/m³], optional
        Daily maximum 1-h value.  2012: the seventh daily item (5.1.2) and the fallback for
        O3 8-h > 800.  Ignored by 2026.
    standard : {"HJ633-2012", "HJ633-2026"}
    missing : {"hj633_2026", "max_available", "na"}, optional
        Rule for missing items; default ``"max_available"`` for 2012, ``"hj633_2026"`` for 2026.

    References
    ----------
    HJ 633-2012 4.4, 5.1.2, 表 2; HJ 633-2026 4.2.2, 4.3, 5.3.1, 表 1.
    """
    check_air_standard(standard)
    if missing is None:
        missing = "hj633_2026" if standard == HJ633_2026 else "max_available"
    if missing not in MISSING_RULES:
        raise StandardsError(f"missing must be one of {MISSING_RULES}, not {missing!r}")
    values = {"SO2": SO2, "NO2": NO2, "PM10": PM10, "PM2_5": PM2_5, "CO": CO, "O3_8h": O3_8h}
    pollutants = DAILY_POLLUTANTS
    if standard == HJ633_2012 and O3_1h_max is not None:
        pollutants = (*DAILY_POLLUTANTS, "O3_1h_max")
        values["O3_1h_max"] = O3_1h_max
    reference = functools.partial(
        _daily_aqi_reference,
        SO2,
        NO2,
        PM10,
        PM2_5,
        CO,
        O3_8h,
        O3_1h_max,
        standard=standard,
        missing=missing,
        round_concentration=round_concentration,
        above_top=above_top,
        negative=negative,
    )
    do_round = True if round_concentration is None else bool(round_concentration)
    if not do_round or above_top not in ("cap", "nan"):
        return reference()
    kw = {
        "standard": standard,
        "round_concentration": round_concentration,
        "above_top": above_top,
        "negative": negative,
    }
    # IAQI per pollutant as float (the public result) and as int16 code (-1 = NaN) for the daily
    # statistics: every IAQI is an integer in 0…500, so max / equality / thresholds on the codes are
    # the same decisions as on the floats, on 2-byte arrays.
    iaqis: dict[str, np.ndarray] = {}
    codes: list[np.ndarray] = []
    for p in pollutants:
        item = DAILY_ITEM[p]
        fb = O3_1h_max if (p == "O3_8h" and standard == HJ633_2012) else None
        fast = _iaqi_fast(item, values[p], standard, above_top)
        if fast is not None and not (fb is not None and item in SPECIAL_ABOVE):
            out, idx = fast
            iaqis[p] = out
            codes.append(_lookup(standard, item, above_top)[1][idx])
        else:  # scalars, negatives, fallback rule: derive the codes from the float result
            out = np.asarray(iaqi(item, values[p], fallback=fb, **kw), dtype=np.float64)
            iaqis[p] = out
            codes.append(np.where(np.isnan(out), -1, out).astype(np.int16))
    shape = np.broadcast_shapes(*(a.shape for a in iaqis.values()))
    if shape == ():  # all scalars: nothing to gain
        return reference()
    codes = [np.broadcast_to(c, shape) for c in codes]
    top = np.array(codes[0], dtype=np.int16)  # AQI code: running max, -1 only where all are missing
    missing_mask = np.zeros(shape, dtype=np.uint8)
    bit = np.empty(shape, dtype=np.uint8)
    flag = np.empty(shape, dtype=bool)
    for k, c in enumerate(codes):
        if k:
            np.maximum(top, c, out=top)
        np.less(c, 0, out=flag)
        np.left_shift(flag.view(np.uint8), k, out=bit)
        missing_mask |= bit
    if standard == HJ633_2026:
        top[top == 0] = 1  # 4.1.1: AQI range 1–500
    if missing == "hj633_2026":
        top[(missing_mask != 0) & (top <= 100)] = -1
    elif missing == "na":
        top[missing_mask != 0] = -1
    aqi = _AQI_FLOAT[top]
    level = _AQI_LEVEL[top]
    above50 = top > 50
    primary_mask = np.zeros(shape, dtype=np.uint8)
    exceeding_mask = np.zeros(shape, dtype=np.uint8) if standard == HJ633_2012 else None
    for k, c in enumerate(codes):
        np.equal(c, top, out=flag)
        flag &= above50
        np.left_shift(flag.view(np.uint8), k, out=bit)
        primary_mask |= bit
        if exceeding_mask is not None:
            np.greater(c, 100, out=flag)
            np.left_shift(flag.view(np.uint8), k, out=bit)
            exceeding_mask |= bit
    return DailyAQI(
        standard=standard,
        pollutants=pollutants,
        iaqi={p: iaqis[p] for p in pollutants},
        aqi=aqi,
        level=level,
        primary_mask=primary_mask,
        exceeding_mask=exceeding_mask,
        missing_mask=missing_mask,
    )


#: AQI code (0…500, index -1 = NA) → float AQI / level; see :func:`daily_aqi`.
_AQI_FLOAT = np.append(np.arange(501, dtype=np.float64), np.nan)
_AQI_LEVEL = aqi_level(_AQI_FLOAT)
_AQI_FLOAT.flags.writeable = False
_AQI_LEVEL.flags.writeable = False


def _daily_aqi_reference(
    SO2: Any,
    NO2: Any,
    PM10: Any,
    PM2_5: Any,
    CO: Any,
    O3_8h: Any,
    O3_1h_max: Any = None,
    *,
    standard: str,
    missing: str | None = None,
    round_concentration: bool | None = None,
    above_top: str = "cap",
    negative: str = "raise",
) -> DailyAQI:
    """The straightforward float implementation of :func:`daily_aqi` (reference for the fast path)."""
    check_air_standard(standard)
    if missing is None:
        missing = "hj633_2026" if standard == HJ633_2026 else "max_available"
    if missing not in MISSING_RULES:
        raise StandardsError(f"missing must be one of {MISSING_RULES}, not {missing!r}")
    values = {"SO2": SO2, "NO2": NO2, "PM10": PM10, "PM2_5": PM2_5, "CO": CO, "O3_8h": O3_8h}
    pollutants = DAILY_POLLUTANTS
    use_o3_1h = standard == HJ633_2012 and O3_1h_max is not None
    if use_o3_1h:
        pollutants = (*DAILY_POLLUTANTS, "O3_1h_max")
        values["O3_1h_max"] = O3_1h_max
    kw = {
        "standard": standard,
        "round_concentration": round_concentration,
        "above_top": above_top,
        "negative": negative,
    }
    iaqis: dict[str, np.ndarray] = {}
    for p in pollutants:
        fb = O3_1h_max if (p == "O3_8h" and standard == HJ633_2012) else None
        iaqis[p] = np.asarray(_iaqi_reference(DAILY_ITEM[p], values[p], fallback=fb, **kw), dtype=np.float64)
    shape = np.broadcast_shapes(*(a.shape for a in iaqis.values()))
    arrays = [np.broadcast_to(iaqis[p], shape) for p in pollutants]
    # running max / bit masks, one cheap pass per pollutant (no (k, n) stacking)
    aqi = np.full(shape, np.nan)
    missing_mask = np.zeros(shape, dtype=np.uint8)
    for k, a in enumerate(arrays):
        aqi = np.fmax(aqi, a)
        missing_mask |= np.isnan(a).astype(np.uint8) << np.uint8(k)
    any_missing = missing_mask != 0
    if standard == HJ633_2026:
        aqi = np.where(aqi < 1, 1.0, aqi)  # 4.1.1: AQI range 1–500
    if missing == "hj633_2026":
        aqi = np.where(any_missing & ~(aqi > 100), np.nan, aqi)
    elif missing == "na":
        aqi = np.where(any_missing, np.nan, aqi)
    level = aqi_level(aqi)
    above50 = aqi > 50
    primary_mask = np.zeros(shape, dtype=np.uint8)
    exceeding_mask = np.zeros(shape, dtype=np.uint8) if standard == HJ633_2012 else None
    for k, a in enumerate(arrays):
        primary_mask |= ((a == aqi) & above50).astype(np.uint8) << np.uint8(k)
        if exceeding_mask is not None:
            exceeding_mask |= (a > 100).astype(np.uint8) << np.uint8(k)
    return DailyAQI(
        standard=standard,
        pollutants=pollutants,
        iaqi={p: iaqis[p] for p in pollutants},
        aqi=aqi,
        level=level,
        primary_mask=primary_mask,
        exceeding_mask=exceeding_mask,
        missing_mask=missing_mask,
    )
