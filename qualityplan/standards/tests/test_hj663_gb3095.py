import numpy as np
import pytest

from qualityplan.standards import editions
from qualityplan.standards.air import gb3095
from qualityplan.standards.air.hj663 import annual_statistics, meets_reduction_target, percentile, yoy_change
from qualityplan.standards.errors import UnknownEditionError, UnknownItemError


def test_percentile_hj663_worked_example():
    # CSDN worked example: {3,4,8,2,5,4} -> P90 = 6.5
    assert percentile([3, 4, 8, 2, 5, 4], 90) == pytest.approx(6.5)
    assert percentile([3, 4, np.nan, 8, 2, 5, 4], 90) == pytest.approx(6.5)
    assert np.isnan(percentile([np.nan], 50))


def test_annual_statistics_percentiles_per_pollutant():
    x = np.arange(1, 366, dtype=float)
    s = annual_statistics({"SO2": x, "PM2_5": x, "CO": x / 100, "O3_8h": x})
    assert s["SO2"]["p"] == 98 and s["PM2_5"]["p"] == 95 and s["CO"]["p"] == 95 and s["O3_8h"]["p"] == 90
    assert s["PM2_5"]["mean"] == 183 and s["PM2_5"]["complete"]
    assert s["O3_8h"]["percentile"] == pytest.approx(np.percentile(x, 90))
    s = annual_statistics({"PM10": x[:300]}, pm_percentile=98)
    assert s["PM10"]["p"] == 98 and not s["PM10"]["complete"]
    with pytest.raises(UnknownItemError):
        annual_statistics({"PM1": x})


def test_annual_statistics_grouped_matches_ungrouped():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 100, 50)
    g = np.array(["a"] * 20 + ["b"] * 30)
    s = annual_statistics({"NO2": x}, groups=g)
    assert s["groups"].tolist() == ["a", "b"]
    assert s["NO2"]["percentile"][1] == pytest.approx(annual_statistics({"NO2": x[20:]})["NO2"]["percentile"])


def test_yoy_and_reduction_target_exact():
    assert yoy_change(97, 100) == pytest.approx(-3)
    assert meets_reduction_target(97, 100, 3) is True
    assert meets_reduction_target(97.1, 100, 3) is False
    assert meets_reduction_target(48.5, 50, 3) is True  # exactly 3 % (float 48.5/50 noise irrelevant)
    assert meets_reduction_target([58.2, 58.3], [60, 60], 3).tolist() == [True, False]


def test_editions_by_date():
    assert editions.air_edition("2026-02-28") == "HJ633-2012"
    assert editions.air_edition("2026-03-01") == "HJ633-2026"
    assert editions.gb3095_limit_phase("2030-12-31") == "transition"
    assert editions.gb3095_limit_phase("2031-01-01") == "final"
    with pytest.raises(UnknownEditionError):
        editions.check_air_standard("HJ633")


def test_gb3095_limits_and_exceedance():
    assert gb3095.limit("PM2_5", "24h", phase="2012") == 75
    assert gb3095.limit("PM2_5", "24h", phase="transition") == 60
    assert gb3095.limit("PM2_5", "annual", phase="final") == 25
    assert gb3095.limit_on("2031-06-01", "NO2", "annual") == 30
    assert gb3095.exceeds([75, 75.4, 75.5, 76.5], "PM2_5", "24h", phase="2012").tolist() == [False, False, True, True]
    assert gb3095.exceedance_multiple(90, "PM2_5", "24h", phase="2012") == pytest.approx(0.2)
    with pytest.raises(UnknownItemError):
        gb3095.limit("CO", "annual", phase="2012")
    with pytest.raises(UnknownEditionError):
        gb3095.limit("CO", "24h", phase="2018")
