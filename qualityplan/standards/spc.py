"""Statistical signals on failure rates of sampling inspections (pure NumPy; used by quality-risk detection).

A **p-chart** (Shewhart control chart for a proportion; GB/T 17989.2-2020 / ISO 7870-2, the classical 3σ limits)
compares the failure rate ``x / n`` of one product category in one city/county and period with the province rate
``p̄`` of the same category: centre line ``p̄``, limits ``p̄ ± k·√(p̄(1 − p̄)/n)`` (k = 3), the lower limit clamped at 0.
``z = (x/n − p̄) / √(p̄(1 − p̄)/n)``.

When counts are small the normal approximation behind the 3σ limits is poor, so the signal is decided by the **exact
binomial upper tail** ``P(X ≥ x | n, p̄)`` against the one-sided 3σ tail probability ``α = 0.00135`` (the area above
+3σ of a normal distribution). "Small" is ``n·p̄ < 5`` or ``n·(1 − p̄) < 5`` (the usual rule of thumb).

A **run rule**: a failure rate rising in three consecutive periods (strictly increasing) signals a trend even inside
the limits.

Everything here is arithmetic on counts; which records count, and the thresholds an office sets, live in the Django
app that uses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .errors import InvalidValueError

SIGMA_K = 3.0
#: one-sided tail probability above +3σ of the standard normal distribution, 1 − Φ(3)
ALPHA_3SIGMA = 0.0013498980316301035
SMALL_EXPECTED = 5.0


def binomial_upper_tail(x: int, n: int, p: float) -> float:
    """``P(X ≥ x)`` for ``X ~ Binomial(n, p)``, exact (sum of terms in log space; no approximation)."""
    if n < 0 or x < 0:
        raise InvalidValueError("x and n must be non-negative")
    if not 0.0 <= p <= 1.0:
        raise InvalidValueError(f"p must be in [0, 1], got {p}")
    if x <= 0:
        return 1.0
    if x > n:
        return 0.0
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    k = np.arange(x, n + 1, dtype=np.float64)
    log_terms = (
        (math.lgamma(n + 1) - np.array([math.lgamma(v + 1) for v in k]) - np.array([math.lgamma(n - v + 1) for v in k]))
        + k * log_p
        + (n - k) * log_q
    )
    top = log_terms.max()
    return float(min(1.0, math.exp(top) * np.exp(log_terms - top).sum()))


@dataclass(frozen=True)
class PChartPoint:
    failed: int
    total: int
    rate: float
    centre: float
    lower: float
    upper: float
    z: float | None
    tail: float  # P(X ≥ failed | total, centre), exact
    small: bool  # the exact tail decides (counts too small for the normal approximation)
    signal: bool  # above the upper limit (or, when small, tail ≤ α)

    @property
    def rule(self) -> str:
        if not self.signal:
            return ""
        return "exact_binomial" if self.small else "above_3sigma"


def p_chart_point(failed: int, total: int, centre: float, *, k: float = SIGMA_K, alpha: float = ALPHA_3SIGMA):
    """One point of a p-chart: limits for this ``total``, z, the exact tail and whether it signals (upper side)."""
    if total <= 0:
        raise InvalidValueError("total must be positive")
    if failed < 0 or failed > total:
        raise InvalidValueError("failed must be between 0 and total")
    if not 0.0 <= centre <= 1.0:
        raise InvalidValueError("centre must be a rate in [0, 1]")
    rate = failed / total
    sigma = math.sqrt(centre * (1.0 - centre) / total)
    upper = centre + k * sigma
    lower = max(0.0, centre - k * sigma)
    z = (rate - centre) / sigma if sigma > 0 else None
    tail = binomial_upper_tail(failed, total, centre)
    small = total * centre < SMALL_EXPECTED or total * (1.0 - centre) < SMALL_EXPECTED
    signal = (failed > 0 and tail <= alpha) if small else rate > upper
    return PChartPoint(failed, total, rate, centre, lower, upper, z, tail, small, signal)


def rising_run(rates: list[float | None], length: int = 3) -> bool:
    """True when the last ``length`` rates are known and strictly increasing (the run rule)."""
    if len(rates) < length:
        return False
    tail = rates[-length:]
    if any(r is None for r in tail):
        return False
    return all(a < b for a, b in zip(tail, tail[1:], strict=False))
