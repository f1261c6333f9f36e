"""Sampling-inspection rates: pass rate (合格率) and its Wilson score interval.

Public functions
----------------
``pass_rate(qualified, sampled) -> percent``  合格率 = 合格批次 / 抽检批次 × 100 (NaN when sampled = 0)
``wilson_interval(successes, n, *, confidence=0.95) -> (low, high)``  proportions in [0, 1]
``failure_rate(qualified, sampled) -> percent``

Rates are unrounded; publish with :func:`qualityplan.standards.rounding.round_half_even`
(GB/T 8170) to the decimals the report uses.

References
----------
E. B. Wilson (1927), "Probable inference, the law of succession, and statistical inference",
JASA 22:209-212.  SAMR 抽检 notices for the rate definition.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np

from .errors import InvalidValueError


def _counts(k: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    if np.any(k < 0) or np.any(n < 0) or np.any(k > n):
        raise InvalidValueError("counts must satisfy 0 <= qualified <= sampled")
    return k, n


def pass_rate(qualified: Any, sampled: Any) -> Any:
    """合格率 in percent; NaN where nothing was sampled."""
    k, n = _counts(qualified, sampled)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 0, k * 100.0 / np.maximum(n, 1), np.nan)
    return float(out) if out.ndim == 0 else out


def failure_rate(qualified: Any, sampled: Any) -> Any:
    """不合格率 in percent (100 − 合格率)."""
    r = pass_rate(qualified, sampled)
    return 100.0 - r


def wilson_interval(successes: Any, n: Any, *, confidence: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a binomial proportion (NaN for n = 0).

    low, high = (p̂ + z²/2n ∓ z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n),  z = Φ⁻¹(1 − α/2).
    """
    if not 0 < confidence < 1:
        raise InvalidValueError("confidence must be in (0, 1)")
    k, n_ = _counts(successes, n)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n_
        denom = 1 + z * z / n_
        centre = p + z * z / (2 * n_)
        half = z * np.sqrt(p * (1 - p) / n_ + z * z / (4 * n_ * n_))
        low = np.where(n_ > 0, np.where(k == 0, 0.0, np.clip((centre - half) / denom, 0, 1)), np.nan)
        high = np.where(n_ > 0, np.where(k == n_, 1.0, np.clip((centre + half) / denom, 0, 1)), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
