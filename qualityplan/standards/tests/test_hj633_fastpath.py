"""The lookup-table fast paths of iaqi / daily_aqi give exactly the reference implementation's results."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualityplan.standards.air import hj633
from qualityplan.standards.air.hj633 import BREAKPOINTS, ITEMS, daily_aqi, iaqi
from qualityplan.standards.errors import InvalidValueError

EDITIONS = ("HJ633-2012", "HJ633-2026")
# offsets around a table edge, in the item's own unit: exact edge, GB/T 8170 ties, one quantum,
# the 1e-6 reading resolution and values just below it
OFFSETS = (0, 0.5, -0.5, 1, -1, 0.05, -0.05, 0.1, -0.1, 0.15, 1e-6, -1e-6, 4e-7, -4e-7, 6e-7, 0.4999999, 0.5000001)


def edge_values(item: str, std: str) -> list[float]:
    vals = [float(b) + d for b in BREAKPOINTS[std][item] for d in OFFSETS]
    return [v for v in vals if v >= 0]


def concentrations(item: str, std: str):
    edges = st.sampled_from(edge_values(item, std))
    top = float(BREAKPOINTS[std][item][-1])
    return st.one_of(
        edges,
        edges,
        st.floats(min_value=0, max_value=top * 1.2, allow_nan=False),
        st.decimals(min_value=0, max_value=round(top * 1.1), places=2).map(float),
        st.decimals(min_value=0, max_value=round(top * 1.1), places=1).map(float),
        st.just(float("nan")),
        st.floats(min_value=top, max_value=1e9),
    )


def assert_same_array(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype
    assert a.shape == b.shape
    np.testing.assert_array_equal(a, b)


@settings(max_examples=400, deadline=None)
@given(st.data(), st.sampled_from(EDITIONS), st.sampled_from(ITEMS), st.sampled_from(["cap", "nan"]))
def test_iaqi_fast_path_equals_reference(data, std, item, above_top):
    xs = np.array(data.draw(st.lists(concentrations(item, std), min_size=1, max_size=40)))
    fb = None
    if item in hj633.SPECIAL_ABOVE and data.draw(st.booleans()):
        fb_item = hj633.SPECIAL_ABOVE[item][1]
        fb = np.array(data.draw(st.lists(concentrations(fb_item, std), min_size=xs.size, max_size=xs.size)))
    kw = {"standard": std, "fallback": fb, "above_top": above_top}
    assert_same_array(iaqi(item, xs, **kw), hj633._iaqi_reference(item, xs, **kw))
    # 2-D and integer input take the same path
    assert_same_array(iaqi(item, xs.reshape(1, -1), **kw), hj633._iaqi_reference(item, xs.reshape(1, -1), **kw))
    ints = np.nan_to_num(np.minimum(xs, 1e6), nan=0).astype(np.int64)
    kw["fallback"] = None
    assert_same_array(iaqi(item, ints, **kw), hj633._iaqi_reference(item, ints, **kw))


@pytest.mark.parametrize("std", EDITIONS)
@pytest.mark.parametrize("item", ITEMS)
def test_iaqi_fast_path_every_edge(std, item):
    xs = np.array(edge_values(item, std) + [np.nan, 0.0, -0.0, 1e12, 4e12])
    for above_top in ("cap", "nan"):
        got = iaqi(item, xs, standard=std, above_top=above_top)
        assert_same_array(got, hj633._iaqi_reference(item, xs, standard=std, above_top=above_top))


def test_iaqi_out_of_range_inputs_take_the_reference_path():
    xs = np.array([1.0, -2.0, np.nan, 60.0])
    with pytest.raises(InvalidValueError):
        iaqi("PM25_24H", xs, standard="HJ633-2026")
    for std in EDITIONS:
        got = iaqi("PM25_24H", xs, standard=std, negative="nan")
        assert_same_array(got, hj633._iaqi_reference("PM25_24H", xs, standard=std, negative="nan"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        huge = np.array([np.inf, 1e13, 1e20, 5.0, np.nan])
        assert_same_array(iaqi("SO2_24H", huge, standard="HJ633-2012"), [np.nan] * 3 + [5.0, np.nan])
        assert_same_array(
            iaqi("SO2_24H", huge, standard="HJ633-2012"), hj633._iaqi_reference("SO2_24H", huge, standard="HJ633-2012")
        )
    assert_same_array(iaqi("CO_24H", np.array([]), standard="HJ633-2026"), np.array([]))
    mixed = [2.2, None, "3"]
    assert_same_array(iaqi("CO_24H", mixed, standard="HJ633-2026"), [55.0, np.nan, 75.0])
    assert_same_array(
        iaqi("CO_24H", mixed, standard="HJ633-2026"), hj633._iaqi_reference("CO_24H", mixed, standard="HJ633-2026")
    )


def assert_same_daily(a, b):
    assert a.standard == b.standard
    assert a.pollutants == b.pollutants
    assert a.iaqi.keys() == b.iaqi.keys()
    for p in a.iaqi:
        assert_same_array(a.iaqi[p], b.iaqi[p])
    for name in ("aqi", "level", "primary_mask", "missing_mask", "category", "colour"):
        assert_same_array(getattr(a, name), getattr(b, name))
    if b.exceeding_mask is None:
        assert a.exceeding_mask is None
    else:
        assert_same_array(a.exceeding_mask, b.exceeding_mask)
    for name in ("primary_pollutants", "exceeding_pollutants", "missing_pollutants"):
        if getattr(b, name) is not None:
            assert_same_array(getattr(a, name), getattr(b, name))


@settings(max_examples=250, deadline=None)
@given(
    st.data(),
    st.sampled_from(EDITIONS),
    st.sampled_from([None, "hj633_2026", "max_available", "na"]),
    st.sampled_from(["cap", "nan"]),
    st.booleans(),
    st.integers(min_value=1, max_value=30),
)
def test_daily_aqi_fast_path_equals_reference(data, std, missing, above_top, with_o3_1h, n):
    cols = []
    for p in (*hj633.DAILY_POLLUTANTS, "O3_1h_max"):
        item = hj633.DAILY_ITEM[p]
        cols.append(np.array(data.draw(st.lists(concentrations(item, std), min_size=n, max_size=n))))
    if not with_o3_1h:
        cols[-1] = None
    if data.draw(st.booleans()):  # one pollutant as a scalar: broadcasting
        k = data.draw(st.integers(0, 5))
        cols[k] = float(cols[k][0])
    kw = {"standard": std, "missing": missing, "above_top": above_top}
    assert_same_daily(daily_aqi(*cols, **kw), hj633._daily_aqi_reference(*cols, **kw))
    if n == 1:  # all scalars
        scalars = [None if c is None else float(np.ravel(c)[0]) for c in cols]
        assert_same_daily(daily_aqi(*scalars, **kw), hj633._daily_aqi_reference(*scalars, **kw))


def test_daily_aqi_fast_path_other_options_and_errors():
    cols = [np.array([10.0, 200.0, np.nan, -1.0]) for _ in range(6)]
    with pytest.raises(InvalidValueError):
        daily_aqi(*cols, standard="HJ633-2026")
    for std in EDITIONS:
        for rc in (None, True, False):
            kw = {"standard": std, "negative": "nan", "round_concentration": rc}
            assert_same_daily(daily_aqi(*cols, **kw), hj633._daily_aqi_reference(*cols, **kw))
    empty = [np.array([])] * 6
    assert_same_daily(
        daily_aqi(*empty, standard="HJ633-2012"), hj633._daily_aqi_reference(*empty, standard="HJ633-2012")
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=7), st.lists(st.integers(0, 127), max_size=50))
def test_mask_labels_table_equals_reference(k, masks):
    names = tuple(f"P{i}" for i in range(k))
    m = np.array(masks, dtype=np.uint8) & np.uint8((1 << k) - 1)
    assert_same_array(hj633._mask_labels(names, m), hj633._mask_labels_reference(names, m))
    if masks:
        assert_same_array(hj633._mask_labels(names, m[0]), hj633._mask_labels_reference(names, m[0]))
