import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualityplan.standards import workdays as w
from qualityplan.standards.errors import UnknownCalendarYearError

D = dt.date


@pytest.fixture(autouse=True)
def _clean_overrides():
    w.clear_overrides()
    yield
    w.clear_overrides()


def test_is_workday_spring_festival_2024_and_makeup_sundays():
    # 国办发明电〔2023〕7号: 2月10日至17日放假调休, 2月4日(星期日)、2月18日(星期日)上班
    assert w.is_workday(D(2024, 2, 4)) is True
    assert w.is_workday(D(2024, 2, 18)) is True
    assert not any(w.is_workday(D(2024, 2, d)) for d in range(10, 18))
    assert w.is_workday(D(2024, 2, 9)) is True


def test_add_workdays_across_spring_festival():
    assert w.add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 18)
    assert w.add_workdays(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert w.add_workdays(D(2024, 2, 8), 3) == D(2024, 2, 19)
    assert w.add_workdays(D(2024, 2, 19), -1) == D(2024, 2, 18)
    assert w.add_workdays(D(2024, 2, 18), -1) == D(2024, 2, 9)
    assert w.add_workdays(D(2024, 2, 12), 0) == D(2024, 2, 12)


def test_add_workdays_from_holiday_counts_from_next_workday():
    assert w.add_workdays(D(2024, 2, 12), 1) == D(2024, 2, 18)
    assert w.add_workdays(D(2024, 2, 12), -1) == D(2024, 2, 9)


def test_makeup_saturday_national_day_2023():
    # 2023: 9月29日至10月6日放假, 10月7日(星期六)、10月8日(星期日)上班
    assert w.is_workday(D(2023, 10, 7)) is True
    assert w.add_workdays(D(2023, 9, 28), 1) == D(2023, 10, 7)
    assert w.workdays_between(D(2023, 9, 28), D(2023, 10, 9)) == 3


def test_workdays_between_sign_and_datetime_input():
    assert w.workdays_between("2024-02-08", "2024-02-19") == 3
    assert w.workdays_between("2024-02-19", "2024-02-08") == -3
    assert w.workdays_between(dt.datetime(2024, 1, 1, 9), dt.datetime(2024, 1, 1, 18)) == 0


def test_vectorised_matches_scalar():
    starts = np.array(["2024-02-08", "2023-09-28", "2025-01-24"], dtype="datetime64[D]")
    res = w.add_workdays(starts, np.array([3, 1, 5]))
    assert [w.add_workdays(s.item(), n) for s, n in zip(starts, [3, 1, 5], strict=True)] == list(res.tolist())
    assert w.workdays_between(starts, res).tolist() == [3, 1, 5]


def test_unknown_year_raises_clear_error():
    with pytest.raises(UnknownCalendarYearError, match="register_year"):
        w.is_workday(D(2099, 1, 5))
    with pytest.raises(ValueError):  # subclass of ValueError
        w.add_workdays(D(2026, 12, 28), 10)


def test_register_year_override_table():
    year = max(w.known_years()) + 1
    new_year = D(year, 1, 1)
    w.register_year(year, holidays=[new_year], workdays=[])
    assert year in w.known_years()
    assert w.is_workday(new_year) is False
    assert w.is_workday(D(year, 1, 2)) is (D(year, 1, 2).weekday() < 5)


def test_set_override_corrects_one_day():
    w.set_override(D(2024, 2, 9), False)
    assert w.add_workdays(D(2024, 2, 8), 1) == D(2024, 2, 18)


@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 6, 30)), st.integers(min_value=1, max_value=60))
def test_add_then_count_roundtrip(start, n):
    end = w.add_workdays(start, n)
    assert w.workdays_between(start, end) == n
    assert w.is_workday(end)
    back = w.add_workdays(end, -n)
    assert w.workdays_between(back, end) == n
