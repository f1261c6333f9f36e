"""A county reporter logs in, sees only its own unit's work, and exports the responsibility matrix."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.browser.conftest import login, screenshot


def test_county_reporter_sees_own_tasks_and_exports_matrix(page, users, plan_2017, tmp_path):
    login(page, "t_qionghai")
    page.locator("header nav").get_by_role("link", name="本单位任务").click()
    page.wait_for_url("**/orgs/469002/**")
    assert page.locator("main h1").inner_text().startswith("琼海市")
    # 琼海市 leads nothing and cooperates on all 33 measures through 各市县政府
    assert page.locator("#n-lead").inner_text() == "0"
    assert page.locator("#n-coop").inner_text() == "33"
    assert "抓好质量工作考核" in page.locator("#coop-measures").inner_text()
    screenshot(page, "unit-qionghai")

    # another unit's public page is readable (issue 13: no dead links), its internal work is not linked
    response = page.goto("/orgs/460100/")
    assert response.status == 200
    assert page.locator("main h1").inner_text().startswith("海口市")
    assert page.locator("main").get_by_role("link", name="工作台账").count() == 0

    page.goto("/plans/matrix/")
    rows = page.locator("#matrix tbody tr")
    assert rows.count() == 44
    qts = page.locator('#matrix tr[data-unit="QTS"] td.lead')
    assert qts.count() >= 5
    page.set_viewport_size({"width": 1600, "height": 1000})
    screenshot(page, "matrix")

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.name == "responsibility-matrix-2017.xlsx"
    ws = load_workbook(path)["责任矩阵"]
    units = [row[1] for row in ws.iter_rows(min_row=5, values_only=True)]
    assert "琼海市" in units and "省质监局" in units and len(units) == 44


def test_english_switch(page, users, plan_2017):
    login(page, "t_office")
    page.goto("/plans/")
    with page.expect_navigation():  # the select submits the language form on change
        page.select_option("header select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header nav").get_by_role("link", name="Responsibility matrix").count() == 1
