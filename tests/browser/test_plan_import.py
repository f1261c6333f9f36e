"""Plan import review (issue 20): a real task-division table uploaded as .docx, doubtful items first, a unit list
fixed in place, the fix kept and offered as a regression case."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).resolve().parents[1] / "plandoc_corpus"


def test_upload_review_fix_and_export(page, demo):
    login(page, "office")
    page.goto("/plans/import/")
    page.set_input_files("input[type=file]", str(CORPUS / "xiamen-2019-measures-table.docx"))
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    assert "/plans/import/" in page.url
    rows = page.locator("section.items tr[id^=measures-]")
    assert rows.count() == 2
    # 一.(一) split by "第一责任单位为牵头单位" is flagged first_listed_leads and comes first
    assert rows.nth(0).get_attribute("id") == "measures-0" and "flagged" in rows.nth(0).get_attribute("class")
    assert rows.nth(0).locator("input[name=lead_units]").input_value() == "市发改委"
    assert rows.nth(0).locator("input[name=cooperating_units]").input_value() == "市财政局"
    # the ongoing deadline (持续推进) is shown with its kind and no date
    deadline = page.locator("#deadlines-0")
    assert deadline.locator("select[name=kind]").input_value() == "ongoing"
    assert deadline.locator("input[name=date]").input_value() == ""
    # hovering an item highlights its source text (static JS, no inline script)
    page.locator("#measures-1").hover()
    page.wait_for_selector("mark#src-measures-1.focus")
    screenshot(page, "plan-import-review")
    # fix the second measure's cooperating units in place
    page.locator("#measures-1 input[name=cooperating_units]").fill("市住房局、各区人民政府")
    with page.expect_navigation():
        page.locator("#measures-1 button[type=submit]").first.click()
    assert page.locator("#measures-1 input[name=cooperating_units]").input_value() == "市住房局、各区人民政府"
    assert "reviewed" in page.locator("#measures-1").get_attribute("class")
    assert "1 处修改" in page.locator("section.items").inner_text()
    with page.expect_download() as download:
        page.click("#export-case")
    assert download.value.suggested_filename.startswith("plandoc-case-")


def test_review_page_confirms_a_method(page, demo):
    from qualityplan.indicators.definitions import DEFINITIONS
    from qualityplan.indicators.methods import option_id

    seed = Path(__file__).resolve().parents[2] / "qualityplan" / "plans" / "data" / "hainan-2017-action-plan.txt"
    login(page, "office")
    page.goto("/plans/import/")
    page.set_input_files("input[type=file]", str(seed))
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    # the target the reader words "对生产企业覆盖频次" has no method: named above the table, listed first
    assert "对生产企业覆盖频次" in page.locator("#no-method").inner_text()
    assert "未找到计量方法" in page.locator("#method-table tbody tr").first.inner_text()
    page.locator("#method-28 select[name=option]").select_option(option_id(DEFINITIONS["T29"]))
    with page.expect_navigation():
        page.locator("#method-28 button[type=submit]").click()
    assert "已确认" in page.locator("#method-28").inner_text()
    assert "对生产企业覆盖频次" not in page.locator("#no-method").inner_text()
