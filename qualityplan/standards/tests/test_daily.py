import numpy as np
import pytest

from qualityplan.standards.air.daily import daily_from_hourly, good_day_ratio, period_key
from qualityplan.standards.errors import InvalidValueError, StandardsError


def hourly(n_days=1, stations=("A",), value=50.0):
    st = np.repeat(np.array(stations), 24 * n_days)
    days = np.tile(np.repeat(np.arange(n_days), 24), len(stations))
    date = (np.datetime64("2025-07-01") + days).astype("datetime64[D]")
    hour = np.tile(np.arange(24), n_days * len(stations))
    vals = {p: np.full(st.size, value) for p in ("SO2", "NO2", "PM10", "PM2_5", "O3")}
    vals["CO"] = np.full(st.size, 1.0)
    return st, date, hour, vals


def test_24h_mean_needs_20_valid_hours():
    st, date, hour, vals = hourly()
    vals["PM10"][:4] = np.nan  # 20 valid
    vals["SO2"][:5] = np.nan  # 19 valid
    r = daily_from_hourly(st, date, hour, vals, standard="HJ633-2026")
    assert r["PM10"][0] == 50 and r["n_PM10"][0] == 20
    assert np.isnan(r["SO2"][0]) and r["n_SO2"][0] == 19
    # 2026 5.3.1: SO2 missing and AQI <= 100 -> AQI NA, day not valid
    assert np.isnan(r["aqi"][0]) and not r["valid"][0]


def test_mda8_windows_inside_natural_day():
    st, date, hour, vals = hourly()
    o3 = np.arange(24, dtype=float) * 10  # rising; the best window is hours 16..23
    vals["O3"] = o3
    r = daily_from_hourly(st, date, hour, vals, standard="HJ633-2026")
    assert r["O3_8h"][0] == pytest.approx(o3[16:24].mean())
    assert r["n_O3_8h_windows"][0] == 17
    assert r["O3_1h_max"][0] == 230


def test_mda8_window_needs_6_hours_and_14_windows_unless_exceeding():
    st, date, hour, vals = hourly()
    o3 = np.full(24, 100.0)
    o3[:6] = np.nan  # windows ending 8..13 have < 6 valid hours except some
    vals["O3"] = o3
    r = daily_from_hourly(st, date, hour, vals, standard="HJ633-2026")
    # window ending e (8..24) covers e-8..e-1; valid hours = 8 - max(0, 6-(e-8)) -> ends 12..24 valid = 13 windows
    assert r["n_O3_8h_windows"][0] == 13
    assert np.isnan(r["O3_8h"][0])
    vals["O3"] = np.where(np.isnan(o3), np.nan, 170.0)
    r = daily_from_hourly(st, date, hour, vals, standard="HJ633-2026")
    assert r["O3_8h"][0] == 170  # fewer windows but above 160 -> valid


def test_city_is_mean_of_valid_stations_and_rows_are_sorted():
    st, date, hour, vals = hourly(n_days=2, stations=("S1", "S2"))
    vals["PM2_5"] = np.where(st == "S1", 30.0, 50.0)
    vals["NO2"][(st == "S2")] = np.nan  # station 2 has no NO2
    r = daily_from_hourly(st, date, hour, vals, standard="HJ633-2012", city=np.full(st.size, "Haikou"))
    assert r["scope"].tolist() == ["station"] * 4 + ["city"] * 2
    assert r["entity"].tolist() == ["S1", "S1", "S2", "S2", "Haikou", "Haikou"]
    assert r["PM2_5"][4] == 40 and r["NO2"][4] == 50
    assert r["n_NO2"][4] == 1


def test_duplicates_negative_and_unknown_pollutant_raise():
    st, date, hour, vals = hourly()
    with pytest.raises(InvalidValueError):
        daily_from_hourly(np.r_[st, st[:1]], np.r_[date, date[:1]], np.r_[hour, hour[:1]],
                          {k: np.r_[v, v[:1]] for k, v in vals.items()}, standard="HJ633-2026")  # fmt: skip
    vals["SO2"][3] = -1
    with pytest.raises(InvalidValueError):
        daily_from_hourly(st, date, hour, vals, standard="HJ633-2026")
    with pytest.raises(StandardsError):
        daily_from_hourly(st, date, hour, {"PM1": vals["SO2"]}, standard="HJ633-2026")


def test_good_day_ratio_grouped_and_ungrouped():
    aqi = np.array([50, 100, 101, np.nan, 30, 200])
    ent = np.array(["a", "a", "a", "a", "b", "b"])
    g = good_day_ratio(aqi)
    assert g.valid_days.tolist() == [5] and g.good_days.tolist() == [3]
    assert g.ratio_percent[0] == pytest.approx(60)
    g = good_day_ratio(aqi, groups=ent)
    assert g.groups[0].tolist() == ["a", "b"]
    assert g.ratio_percent.tolist() == pytest.approx([200 / 3, 50])
    # a valid day without AQI counts as not good
    g = good_day_ratio(aqi, valid=np.ones(6, bool))
    assert g.valid_days[0] == 6 and g.good_days[0] == 3


def test_period_key():
    d = np.array(["2025-01-31", "2025-02-01"], dtype="datetime64[D]")
    assert period_key(d, "month").tolist() == ["2025-01", "2025-02"]
    assert period_key(d, "year").tolist() == ["2025", "2025"]
    with pytest.raises(StandardsError):
        period_key(d, "week")
