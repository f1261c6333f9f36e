"""The one clock in the demo: pinned to 2017-11-30, no page shows the real current year or an impossible overdue."""

import datetime as dt
import re

import pytest

from tests.browser.conftest import load_demo, login, screenshot

pytestmark = pytest.mark.browser

PINNED = dt.date(2017, 11, 30)
# a standard's edition (HJ 633-2026, GB 3095-2012) is a name, not a date
STANDARD_NAME = re.compile(r"\b(?:HJ|GB|GB/T)\s*[\d.]+-\d{4}")
OVERDUE = re.compile(r"逾期\s*(\d+)\s*(个工作日|天|日)")


@pytest.fixture
def pinned_demo(settings, transactional_db, tmp_path_factory):
    settings.QUALITYPLAN_TODAY = PINNED.isoformat()
    load_demo(tmp_path_factory)


def _weekdays(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)


def test_office_crawl_finds_no_real_year_and_no_impossible_overdue(pinned_demo, page):
    # the real calendar year, read here on purpose: the pages must not show it
    real_year = str(dt.datetime.now().year)  # noqa: DTZ005
    # nothing in 2017 can be overdue longer than the year so far: days and (an upper bound of) working days
    max_days = (PINNED - dt.date(2017, 1, 1)).days
    max_workdays = _weekdays(dt.date(2017, 1, 1), PINNED)
    login(page, "office")
    for path in ("/supervision/", "/ledger/", "/indicators/completeness/", "/ledger/board/", "/indicators/",
                 "/plans/", "/assessment/"):  # fmt: skip
        page.goto(path)
        text = STANDARD_NAME.sub("", page.locator("main").inner_text())
        assert real_year not in text, (path, text[max(0, text.find(real_year) - 60) : text.find(real_year) + 60])
        for n, kind in OVERDUE.findall(text):
            assert int(n) <= (max_workdays if kind == "个工作日" else max_days), (path, n, kind)
    page.goto("/indicators/completeness/")
    assert "截至 2017-11-30" in page.locator("h1").inner_text()
    screenshot(page, "one-clock-completeness")
