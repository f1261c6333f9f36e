"""Exact decimal handling and GB/T 8170-2008 rounding (四舍六入五成双).

Binary floats cannot represent most decimal values (``0.85`` is 0.84999999999999997…), so every
boundary decision in this package is taken on **scaled integers**: a value ``x`` is represented as
``round(x * 10**SCALE_DIGITS)`` (``SCALE_DIGITS = 6``, i.e. a resolution of 1e-6 in the value's own
unit).  Any input given with at most six decimals is therefore represented *exactly*, and table
edges (``2.2 mg/m³`` → IAQI 55, not 56) behave as in the printed standard.  Decimal inputs
(``Decimal("0.85")``) and strings are accepted by :func:`to_scaled` too.

Public functions
----------------
``to_scaled(x, digits=SCALE_DIGITS) -> int64 array``
    decimal value → scaled integer (NaN → ``MISSING``).
``from_scaled(n, digits=SCALE_DIGITS) -> float array``
``round_scaled_half_even(n, quantum) -> int64 array``
    GB/T 8170 rounding of scaled integers to a multiple of ``quantum`` (also scaled).
``round_half_even(x, decimals=0)``
    GB/T 8170 rounding of floats / arrays / Decimals to ``decimals`` places, exact on the decimal
    reading of the input (``round_half_even(0.85, 1) == 0.8``, ``round_half_even(0.75, 1) == 0.8``).
``gbt8170_round(value, quantum="1") -> Decimal``
    the scalar Decimal version, ``quantize`` with ``ROUND_HALF_EVEN``.

References
----------
GB/T 8170-2008 《数值修约规则与极限数值的表示和判定》 3.2 (进舍规则): 拟舍弃数字的最左一位数字小于 5 则舍去,
大于 5 则进一; 是 5 且其后无数字或皆为 0 时, 所保留的末位数字为奇数则进一, 为偶数则舍去.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np

SCALE_DIGITS = 6
SCALE = 10**SCALE_DIGITS
#: Sentinel for a missing value in scaled-integer arrays.
MISSING = np.iinfo(np.int64).min


def as_float_array(x: Any) -> np.ndarray:
    """Convert scalars, lists, arrays, Decimals, strings or ``None`` to a float64 array (None/'' → NaN)."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return x.astype(np.float64, copy=False)
    if isinstance(x, np.ndarray) and x.dtype.kind in "iub":
        return x.astype(np.float64)
    if x is None:
        return np.array(np.nan)
    if isinstance(x, (int, float, Decimal, np.number)):
        return np.array(float(x))
    if isinstance(x, str):
        return np.array(float(x) if x.strip() else np.nan)
    arr = np.asarray(x, dtype=object)
    if arr.dtype == object:
        flat = [np.nan if (v is None or (isinstance(v, str) and not v.strip())) else float(v) for v in arr.ravel()]
        return np.array(flat, dtype=np.float64).reshape(arr.shape)
    return arr.astype(np.float64)


def to_scaled(x: Any, digits: int = SCALE_DIGITS) -> np.ndarray:
    """Scale decimal values to int64 ``round(x * 10**digits)``; NaN becomes :data:`MISSING`.

    Floats are read as the nearest value with ``digits`` decimals, which is the decimal the user
    typed for any input with at most ``digits`` decimals.  Values above ~9.2e12 (digits=6) overflow.
    """
    if isinstance(x, Decimal) or (isinstance(x, str) and x.strip()):
        return np.array(int((Decimal(x) * (10**digits)).to_integral_value(ROUND_HALF_EVEN)), dtype=np.int64)
    arr = as_float_array(x)
    nan = np.isnan(arr)
    out = np.rint(np.where(nan, 0.0, arr) * float(10**digits)).astype(np.int64)
    return np.where(nan, MISSING, out) if nan.any() else out


def from_scaled(n: np.ndarray, digits: int = SCALE_DIGITS) -> np.ndarray:
    """Inverse of :func:`to_scaled`: int64 → float64, :data:`MISSING` → NaN."""
    n = np.asarray(n)
    out = n.astype(np.float64) / float(10**digits)
    return np.where(n == MISSING, np.nan, out)


def round_scaled_half_even(n: np.ndarray, quantum: int) -> np.ndarray:
    """Round scaled integers to a multiple of ``quantum`` (same scale) with GB/T 8170 half-even.

    :data:`MISSING` stays missing.  Works for negative numbers symmetrically.
    """
    n = np.asarray(n, dtype=np.int64)
    missing = n == MISSING
    safe = np.where(missing, 0, n)
    q, r = np.divmod(safe, quantum)  # r in [0, quantum)
    twice = 2 * r
    up = (twice > quantum) | ((twice == quantum) & (q % 2 == 1))
    out = (q + up) * quantum
    return np.where(missing, MISSING, out)


def round_half_even(x: Any, decimals: int = 0) -> Any:
    """GB/T 8170 rounding to ``decimals`` places on the decimal reading of ``x``.

    Scalars (float / int / Decimal / str) give a float (a Decimal for Decimal input); arrays give
    float arrays; NaN stays NaN.
    """
    if isinstance(x, Decimal):
        return gbt8170_round(x, Decimal(1).scaleb(-decimals))
    if decimals > SCALE_DIGITS:
        raise ValueError(f"decimals must be <= {SCALE_DIGITS}")
    scaled = to_scaled(x)
    rounded = round_scaled_half_even(scaled, 10 ** (SCALE_DIGITS - decimals))
    out = from_scaled(rounded)
    # from_scaled divides by 10**6; re-round to the target grid to drop binary noise
    out = np.round(out, decimals)
    return float(out) if out.ndim == 0 else out


def gbt8170_round(value: Decimal | str | int | float, quantum: Decimal | str = "1") -> Decimal:
    """Round one value to ``quantum`` (e.g. ``"0.1"``) with ROUND_HALF_EVEN (GB/T 8170 3.2).

    Floats are first converted through ``repr`` (``0.85`` → ``Decimal("0.85")``).
    """
    d = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))
    return d.quantize(Decimal(str(quantum)), rounding=ROUND_HALF_EVEN)
