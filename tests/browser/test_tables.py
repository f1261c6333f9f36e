"""Issue 13: long tables show all their rows (no inner scroll box), sort by a header click, filter, export the rows
shown as CSV, and the page fits a 1366×768 screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_targets_table_full_height_sort_filter_export(page, users, plan_2017):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, users["viewer"].username)
    page.goto("/plans/targets/")
    rows = page.locator(".table tbody tr")
    assert rows.count() == 46
    # no fixed-height scroll box: the wrapper is as tall as its table
    heights = page.evaluate(
        "() => { const w = document.querySelector('.table-wrap'); return [w.clientHeight, w.scrollHeight]; }"
    )
    assert heights[0] == heights[1], heights
    # the page fits the screen's width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    code = page.locator(".table thead th").first
    code.click()
    code.click()  # descending
    assert code.get_attribute("aria-sort") == "descending"
    assert rows.first.locator("td").first.inner_text() == "T46"

    page.fill(".table-tools input[type=search]", "空气")
    shown = page.locator(".table tbody tr:not([hidden])")
    n = shown.count()
    assert 0 < n < 46
    with page.expect_download() as info:
        page.click(".table-tools .table-export")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert text[0].startswith("代码,位置,类别")
    assert len(text) == n + 1  # the header and exactly the rows shown
    screenshot(page, "targets-table-1366")
