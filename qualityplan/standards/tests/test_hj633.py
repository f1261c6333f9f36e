import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityplan.standards.air import hj633
from qualityplan.standards.air.hj633 import ITEMS, daily_aqi, iaqi
from qualityplan.standards.errors import InvalidValueError, StandardsError, UnknownEditionError, UnknownItemError

EDITIONS = ("HJ633-2012", "HJ633-2026")
LEVELS = (0, 50, 100, 150, 200, 300, 400, 500)

# HJ 633-2012 表 1, typed from the standard's text (../shared/docs/domain/air-quality.md §1.1), not read from the
# module: a typo in the module's table must fail here. PM10/PM2.5 1-h values use the 24-h rows (HJ 633-2026 4.2.4;
# the 2012 choice is documented in docs/standards.md).
TABLE_2012 = {
    "SO2_24H": (0, 50, 150, 475, 800, 1600, 2100, 2620),
    "SO2_1H": (0, 150, 500, 650, 800),
    "NO2_24H": (0, 40, 80, 180, 280, 565, 750, 940),
    "NO2_1H": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "PM10_24H": (0, 50, 150, 250, 350, 420, 500, 600),
    "PM10_1H": (0, 50, 150, 250, 350, 420, 500, 600),
    "CO_24H": (0, 2, 4, 14, 24, 36, 48, 60),
    "CO_1H": (0, 5, 10, 35, 60, 90, 120, 150),
    "O3_1H": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "O3_8H": (0, 100, 160, 215, 265, 800),
    "PM25_24H": (0, 35, 75, 115, 150, 250, 350, 500),
    "PM25_1H": (0, 35, 75, 115, 150, 250, 350, 500),
}
# HJ 633-2026 表 3: identical except PM10 daily IAQI 100 at 120 (was 150) and PM2.5 daily IAQI 100 at 60 (was 75).
TABLE_2026 = {
    **TABLE_2012,
    "PM10_24H": (0, 50, 120, 250, 350, 420, 500, 600),
    "PM10_1H": (0, 50, 120, 250, 350, 420, 500, 600),
    "PM25_24H": (0, 35, 60, 115, 150, 250, 350, 500),
    "PM25_1H": (0, 35, 60, 115, 150, 250, 350, 500),
}
TABLES = {"HJ633-2012": TABLE_2012, "HJ633-2026": TABLE_2026}
EDGES = [
    (std, item, bp, level)
    for std in EDITIONS
    for item, row in TABLES[std].items()
    for bp, level in zip(row, LEVELS, strict=False)
]


def test_module_covers_the_typed_items():
    for std in EDITIONS:
        assert set(TABLES[std]) == set(ITEMS)


def quantum(item):
    return 0.1 if item.startswith("CO") else 1


@pytest.mark.parametrize(("std", "item", "bp", "level"), EDGES)
def test_iaqi_every_breakpoint_edge(std, item, bp, level):
    q = quantum(item)
    assert iaqi(item, bp, standard=std) == level
    if bp > 0:
        assert iaqi(item, bp - q, standard=std) <= level
        assert iaqi(item, round(bp - q, 1), standard=std, round_concentration=False) < level + 1
    top = TABLES[std][item][-1]
    if bp < top:
        assert iaqi(item, round(bp + q, 1), standard=std) > level


@pytest.mark.parametrize(
    ("std", "item", "conc", "expected"),
    [
        # air-quality.md §6: aqi-hub float noise + ceil; HJ 633 式 1 gives these exactly
        ("HJ633-2012", "CO_24H", 2.2, 55),
        ("HJ633-2026", "CO_24H", 2.2, 55),
        ("HJ633-2012", "CO_1H", 65.4, 218),
        # SO2 24-h table (aqi-hub uses the 1-h column)
        ("HJ633-2012", "SO2_24H", 150, 100),
        ("HJ633-2012", "SO2_24H", 475, 150),
        ("HJ633-2012", "SO2_24H", 480, 151),
        # 2026 PM breakpoints
        ("HJ633-2026", "PM25_24H", 60, 100),
        ("HJ633-2012", "PM25_24H", 60, 82),
        ("HJ633-2026", "PM10_24H", 120, 100),
        ("HJ633-2012", "PM10_24H", 120, 85),
        ("HJ633-2026", "PM25_1H", 60, 100),
    ],
)
def test_iaqi_worked_examples(std, item, conc, expected):
    assert iaqi(item, conc, standard=std) == expected


@pytest.mark.parametrize(
    ("item", "conc", "expected"),
    [("PM25_24H", 4.9, 7), ("O3_8H", 102.4, 52), ("PM10_24H", 352.1, 203), ("CO_24H", 2.2, 55)],
)
def test_iaqi_unrounded_is_exact(item, conc, expected):
    assert iaqi(item, conc, standard="HJ633-2012", round_concentration=False) == expected


def test_concentration_rounding_gbt8170_half_even():
    # 75.5 -> 76 (odd 75 rounds up), 76.5 -> 76 (even stays); CO 0.85 -> 0.8, 0.75 -> 0.8
    s = "HJ633-2012"
    assert iaqi("PM25_24H", 75.5, standard=s) == iaqi("PM25_24H", 76, standard=s)
    assert iaqi("PM25_24H", 76.5, standard=s) == iaqi("PM25_24H", 76, standard=s)
    assert iaqi("CO_24H", 0.85, standard=s) == iaqi("CO_24H", 0.8, standard=s) == 20
    assert iaqi("CO_24H", 0.75, standard=s) == 20


def test_special_rules_above_800():
    assert iaqi("SO2_1H", 801, standard="HJ633-2026") == 200
    assert iaqi("SO2_1H", 801, standard="HJ633-2012", fallback=150) == 100
    assert np.isnan(iaqi("SO2_1H", 801, standard="HJ633-2012"))
    assert iaqi("O3_8H", 820, standard="HJ633-2026") == 300
    assert iaqi("O3_8H", 820, standard="HJ633-2012", fallback=1100) == 450
    assert iaqi("SO2_1H", 800, standard="HJ633-2012") == 200
    res = iaqi("SO2_1H", [100, 900, 900], standard="HJ633-2012", fallback=[np.nan, 2620, 50])
    assert res.tolist() == [34, 500, 50]


def test_above_top_and_missing_and_negative():
    assert iaqi("PM25_24H", 501, standard="HJ633-2026") == 500
    assert iaqi("PM25_24H", 501, standard="HJ633-2012") == 500
    assert np.isnan(iaqi("PM25_24H", 501, standard="HJ633-2012", above_top="nan"))
    assert iaqi("PM25_24H", 501, standard="HJ633-2026", above_top="nan") == 500
    assert np.isnan(iaqi("PM25_24H", np.nan, standard="HJ633-2012"))
    assert np.isnan(iaqi("PM25_24H", None, standard="HJ633-2012"))
    with pytest.raises(InvalidValueError):
        iaqi("PM25_24H", -1, standard="HJ633-2012")
    assert np.isnan(iaqi("PM25_24H", [-1.0], standard="HJ633-2012", negative="nan")[0])


def test_unknown_item_and_edition_raise():
    with pytest.raises(UnknownItemError):
        iaqi("PM1_24H", 1, standard="HJ633-2012")
    with pytest.raises(UnknownEditionError):
        iaqi("PM25_24H", 1, standard="HJ633-2018")
    with pytest.raises(ValueError):
        daily_aqi(1, 1, 1, 1, 1, 1, standard="HJ633")
    with pytest.raises(StandardsError):
        daily_aqi(1, 1, 1, 1, 1, 1, standard="HJ633-2026", missing="guess")


def test_daily_aqi_2012_uses_o3_1h_max_as_seventh_item():
    r = daily_aqi(10, 20, 30, 20, 0.5, 150, 380, standard="HJ633-2012")
    assert r.aqi == 190
    assert r.primary_pollutants.item() == "O3_1h_max"
    assert r.exceeding_pollutants.item() == "O3_1h_max"
    r = daily_aqi(10, 20, 30, 20, 0.5, 820, 1100, standard="HJ633-2012")
    assert r.aqi == 450
    r26 = daily_aqi(10, 20, 30, 20, 0.5, 150, 380, standard="HJ633-2026")
    assert r26.aqi == 92 and r26.exceeding_pollutants is None


def test_daily_aqi_primary_ties_levels_categories_colours():
    r = daily_aqi([10, 10, 10], [20, 20, 20], [150, 50, 51], [75, 35, 20], [0.5] * 3, [50] * 3, standard="HJ633-2012")
    assert r.aqi.tolist() == [100, 50, 51]
    assert r.primary_pollutants.tolist() == ["PM10;PM2_5", "", "PM10"]
    assert r.level.tolist() == [2, 1, 2]
    assert r.category.tolist() == ["良", "优", "良"]
    assert r.colour.tolist() == ["黄色", "绿色", "黄色"]
    assert hj633.aqi_colour(r.level, rgb_hex=True).tolist() == ["#FFFF00", "#00E400", "#FFFF00"]
    assert hj633.aqi_level([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500, np.nan]).tolist() == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 0
    ]  # fmt: skip


def test_daily_aqi_missing_rules():
    nan = np.nan
    # 2026 5.3.1: missing item, AQI <= 100 -> NA; > 100 -> published
    r = daily_aqi([10, 10], [nan, nan], [30, 30], [20, 100], [0.5, 0.5], [50, 50], standard="HJ633-2026")
    assert np.isnan(r.aqi[0]) and r.aqi[1] == 137
    assert r.missing_pollutants.tolist() == ["NO2", "NO2"]
    assert r.level.tolist() == [0, 3] and r.category.tolist() == ["", "轻度污染"]
    assert r.primary_pollutants.tolist() == ["", "PM2_5"]
    # 2012 default: max of available
    r = daily_aqi(10, nan, 30, 20, 0.5, 50, standard="HJ633-2012")
    assert r.aqi == 30
    r = daily_aqi(10, nan, 30, 20, 0.5, 50, standard="HJ633-2012", missing="na")
    assert np.isnan(r.aqi)
    r = daily_aqi(nan, nan, nan, nan, nan, nan, standard="HJ633-2012")
    assert np.isnan(r.aqi) and r.level == 0


def test_2026_aqi_range_starts_at_one():
    assert daily_aqi(0, 0, 0, 0, 0, 0, standard="HJ633-2026").aqi == 1
    assert daily_aqi(0, 0, 0, 0, 0, 0, standard="HJ633-2012").aqi == 0


def reference_iaqi(item, conc, std):
    """Independent reference: Fractions on the decimal string, GB/T 8170 rounding, ceil."""
    c = Fraction(str(conc))
    q = Fraction(1, 10) if item.startswith("CO") else Fraction(1)
    k, r = divmod(c, q)
    if 2 * r > q or (2 * r == q and k % 2 == 1):
        k += 1
    c = k * q
    bps = [Fraction(b) for b in TABLES[std][item]]
    if c > bps[-1]:
        return None
    for i in range(len(bps) - 1):
        if bps[i] <= c <= bps[i + 1]:
            lo, hi = LEVELS[i], LEVELS[i + 1]
            return math.ceil((hi - lo) * (c - bps[i]) / (bps[i + 1] - bps[i]) + lo)
    raise AssertionError


decimals = st.decimals(min_value=0, max_value=1300, places=2, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(EDITIONS), st.sampled_from([i for i in ITEMS if i not in hj633.SPECIAL_ABOVE]), decimals)
def test_iaqi_matches_exact_fraction_reference(std, item, d):
    ref = reference_iaqi(item, d, std)
    got = iaqi(item, float(d), standard=std)
    assert got == (500 if ref is None else ref)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(EDITIONS), st.sampled_from(ITEMS), st.lists(decimals, min_size=2, max_size=30))
def test_iaqi_monotone_and_scalar_equals_vectorised(std, item, values):
    xs = np.array(sorted(float(v) for v in values))
    fb = np.full(xs.shape, 100.0)
    vec = iaqi(item, xs, standard=std, fallback=fb)
    scal = [iaqi(item, x, standard=std, fallback=100.0) for x in xs]
    np.testing.assert_array_equal(vec, scal)
    if item not in hj633.SPECIAL_ABOVE:
        assert np.all(np.diff(vec) >= 0)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(EDITIONS), st.lists(st.lists(decimals, min_size=7, max_size=7), min_size=1, max_size=20))
def test_aqi_is_max_iaqi(std, rows):
    m = np.array(rows, dtype=float)
    m[:, 4] /= 100  # CO in mg/m3
    r = daily_aqi(*m.T, standard=std)
    expected = np.max(np.stack([r.iaqi[p] for p in r.pollutants]), axis=0)
    if std == "HJ633-2026":
        expected = np.maximum(expected, 1)
    np.testing.assert_array_equal(r.aqi, expected)
    for i, row in enumerate(m):
        one = daily_aqi(*row, standard=std)
        assert one.aqi == r.aqi[i]
        assert one.primary_pollutants.item() == r.primary_pollutants[i]
