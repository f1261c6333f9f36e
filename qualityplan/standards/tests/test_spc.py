"""p-chart limits, exact binomial tails and the run rule, against values worked by hand."""

import math

import pytest

from qualityplan.standards.errors import InvalidValueError
from qualityplan.standards.spc import ALPHA_3SIGMA, binomial_upper_tail, p_chart_point, rising_run


def test_alpha_is_the_normal_tail_above_three_sigma():
    # 1 − Φ(3) = erfc(3/√2)/2 = 0.0013498980316…
    assert pytest.approx(0.00134989803163, abs=1e-14) == ALPHA_3SIGMA


@pytest.mark.parametrize(
    ("x", "n", "p", "expected"),
    [
        # n = 10, p = 0.1: 1 − (0.9^10 + 10·0.1·0.9^9 + 45·0.01·0.9^8)
        #                = 1 − (0.3486784401 + 0.387420489 + 0.1937102445) = 0.0701908264
        (3, 10, 0.1, 0.0701908264),
        # n = 5, p = 0.01: 1 − 0.99^5 = 1 − 0.9509900499 = 0.0490099501
        (1, 5, 0.01, 0.0490099501),
        # n = 4, p = 0.5: P(X ≥ 4) = 1/16
        (4, 4, 0.5, 0.0625),
        # n = 20, p = 0.05: P(X ≥ 20) = 0.05^20
        (20, 20, 0.05, 0.05**20),
        # edges: x ≤ 0 → 1, x > n → 0, p = 0 → 0 (x ≥ 1)
        (0, 7, 0.3, 1.0),
        (8, 7, 0.3, 0.0),
        (1, 7, 0.0, 0.0),
    ],
)
def test_binomial_upper_tail_worked_by_hand(x, n, p, expected):
    assert binomial_upper_tail(x, n, p) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_binomial_tail_large_counts_matches_a_sum_of_exact_terms():
    # n = 2000, p = 0.02, x = 60: computed independently with integer binomials and exact fractions
    from fractions import Fraction

    n, x, p = 2000, 60, Fraction(2, 100)
    exact = sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))
    assert binomial_upper_tail(x, n, 0.02) == pytest.approx(float(exact), rel=1e-9)


def test_p_chart_large_counts_by_hand():
    # p̄ = 0.02, n = 100: σ = √(0.02·0.98/100) = √0.000196 = 0.014; UCL = 0.02 + 3·0.014 = 0.062
    point = p_chart_point(7, 100, 0.02)
    assert point.upper == pytest.approx(0.062)
    assert point.lower == 0.0  # 0.02 − 0.042 < 0 → clamped
    assert point.z == pytest.approx((0.07 - 0.02) / 0.014)  # 3.5714…
    # n·p̄ = 2 < 5: the counts are small, so the exact tail decides: P(X ≥ 7 | 100, 0.02) = 0.0040621 > α → no signal
    assert point.small
    assert point.tail == pytest.approx(0.0040620541, rel=1e-7)
    assert not point.signal


def test_p_chart_signal_above_the_upper_limit():
    # p̄ = 0.05, n = 400: σ = √(0.05·0.95/400) = √0.00011875 = 0.0108972…; UCL = 0.05 + 0.0326917 = 0.0826917
    inside = p_chart_point(33, 400, 0.05)  # 0.0825 ≤ UCL
    above = p_chart_point(34, 400, 0.05)  # 0.085 > UCL
    assert inside.upper == pytest.approx(0.05 + 3 * math.sqrt(0.00011875))
    assert not inside.small and not inside.signal
    assert above.signal and above.rule == "above_3sigma"
    assert above.lower == pytest.approx(0.05 - 3 * math.sqrt(0.00011875))


def test_p_chart_small_counts_use_the_exact_tail():
    # p̄ = 0.01, n = 10: P(X ≥ 3) = 1 − (0.99^10 + 10·0.01·0.99^9 + 45·0.0001·0.99^8)
    #                              = 1 − (0.9043820750 + 0.0913517247 + 0.0041523511) = 0.0001138492 ≤ α → signal
    point = p_chart_point(3, 10, 0.01)
    assert point.small
    assert point.tail == pytest.approx(0.0001138492, rel=1e-6)
    assert point.signal and point.rule == "exact_binomial"
    # P(X ≥ 2) = 1 − (0.9043820750 + 0.0913517247) = 0.0042662003 > α → no signal
    assert not p_chart_point(2, 10, 0.01).signal


def test_p_chart_rejects_impossible_counts():
    with pytest.raises(InvalidValueError):
        p_chart_point(5, 4, 0.1)
    with pytest.raises(InvalidValueError):
        p_chart_point(0, 0, 0.1)
    with pytest.raises(InvalidValueError):
        p_chart_point(1, 4, 1.5)


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ([0.01, 0.02, 0.03], True),
        ([0.05, 0.01, 0.02, 0.03], True),
        ([0.01, 0.02, 0.02], False),  # not strictly rising
        ([0.01, None, 0.03], False),  # a missing period breaks the run
        ([0.01, 0.02], False),
    ],
)
def test_rising_run(rates, expected):
    assert rising_run(rates) is expected
