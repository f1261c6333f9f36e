"""A city self-scores an item with a note and evidence and submits; the office verifies with a reason and closes."""

import datetime as dt
from pathlib import Path

import pytest

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, login, screenshot

pytestmark = pytest.mark.browser

SCHEME = Path(__file__).resolve().parents[2] / "qualityplan" / "assessment" / "data" / "hainan-2017-scheme.yaml"


def test_unit_self_scores_and_office_verifies(browser, base_url, page, users, plan_2017, tmp_path):
    from qualityplan.assessment import services
    from qualityplan.assessment.choices import RoundStatus

    scheme, _ = services.scheme_load_file(path=SCHEME)
    rnd = services.round_open(user=users["office"], year=2017, scheme=scheme, self_deadline=dt.date(2018, 1, 15))
    services.round_transition(user=users["office"], rnd=rnd, to=RoundStatus.SELF_ASSESSMENT)
    haikou = users["city"].unit
    url = f"/assessment/rounds/{rnd.pk}/units/{haikou.pk}/"

    city = browser.new_context(base_url=base_url, locale="zh-CN")
    city.set_default_timeout(DEFAULT_TIMEOUT_MS)
    cp = city.new_page()
    try:
        login(cp, "t_haikou")
        cp.goto(url)
        evidence = tmp_path / "预算文件.pdf"
        evidence.write_bytes(b"%PDF-1.4\n%demo\n")
        manual = [row.get_attribute("id")[5:] for row in cp.locator("tr[data-rule=manual]:has(form.self-form)").all()]
        assert "2.1.2" in manual
        for code in manual:
            form = cp.locator(f"[id='item-{code}'] form.self-form")
            form.locator("input[name=points]").fill("3" if code == "2.1.2" else "2")
            form.locator("input[name=note]").fill("已列入财政预算" if code == "2.1.2" else "按计划完成")
            if code == "2.1.2":
                form.locator("input[name=file]").set_input_files(str(evidence))
            with cp.expect_navigation():
                form.locator("button").click()
        row = cp.locator("[id='item-2.1.2']")
        assert "3.00" in row.inner_text() and "预算文件.pdf" in row.inner_text()
        with cp.expect_navigation():
            cp.click("#submit-self")
        assert cp.locator("#unit-status").inner_text().strip() == "自评已提交"
        screenshot(cp, "assessment-self")
    finally:
        city.close()

    login(page, "t_office")
    page.goto(f"/assessment/rounds/{rnd.pk}/")
    with page.expect_navigation():
        page.click("button:has-text('核查评定')")
    page.goto(url)
    form = page.locator("[id='item-2.1.2'] form.verify-form")
    form.locator("input[name=points]").fill("2")
    with page.expect_navigation():
        form.locator("button").click()
    assert "核查意见" in page.locator(".messages").inner_text()  # a changed score needs a reason
    form = page.locator("[id='item-2.1.2'] form.verify-form")
    form.locator("input[name=points]").fill("2")
    form.locator("input[name=reason]").fill("经费未单列，扣1分")
    with page.expect_navigation():
        form.locator("button").click()
    assert "经费未单列" in page.locator("[id='item-2.1.2']").inner_text()
    with page.expect_navigation():
        page.click("#verify-unit")
    assert page.locator("#unit-status").inner_text().strip() == "已核定"
    score = page.locator("#score").inner_text().strip()
    assert score not in ("", "—")
    screenshot(page, "assessment-verify")
