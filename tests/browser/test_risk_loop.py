"""A 12345 complaint followed end to end in the browser: intake → 研判 → targeted sampling → failing result back →
credit event → closing, then the loop view."""

import datetime as dt

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def submit(page, selector: str):
    with page.expect_navigation():
        page.locator(selector).locator("button").first.click()


def test_risk_loop_view(page, users, units, settings):
    from qualityplan.credit import services as credit_services
    from qualityplan.monitoring.models import SamplingRecord
    from qualityplan.risk.demo import ensure_level_rules
    from qualityplan.risk.models import Risk

    ensure_level_rules()  # earlier browser tests flush the database, data migrations included
    settings.QUALITYPLAN_TODAY = "2017-09-04"
    login(page, "t_office")
    page.goto("/risk/new/")
    page.select_option("select[name=source_type]", "complaint")
    page.fill("input[name=source_ref]", "12345-20170901-0042")
    page.fill("input[name=product_category]", "蔬菜")
    page.fill("input[name=product_name]", "豇豆")
    page.select_option("select[name=region]", str(units["469002"].pk))
    page.fill("textarea[name=description]", "市民反映豇豆食用后头晕，怀疑农药残留超标。")
    page.fill("input[name=received_on]", "2017-09-01")
    with page.expect_navigation():
        page.click("main form button")
    risk = Risk.objects.get()
    assert risk.number in page.locator("h1").inner_text()

    page.goto("/risk/")  # the map of open risks by city/county (ECharts from our static files, no inline script)
    page.wait_for_selector("#risk-map[data-ready='1']", timeout=15000)
    page.goto(f"/risk/{risk.pk}/")

    form = page.locator("#review-form")
    form.locator("select[name=stage]").select_option("work")
    form.locator("select[name=probability]").select_option("3")
    form.locator("select[name=severity]").select_option("3")
    form.locator("textarea[name=opinion]").fill("投诉属实，需抽查")
    submit(page, "#review-form")
    assert "II级" in page.locator("main").inner_text()

    form = page.locator("#disposal-form")
    form.locator("select[name=kind]").select_option("sampling")
    form.locator("input[name=planned_samples]").fill("2")
    submit(page, "#disposal-form")
    assert "2017-09-07" in page.locator("main").inner_text()  # level II: 3 working days

    bad = SamplingRecord.objects.create(
        sample_no="J-1", enterprise="琼海某蔬菜合作社", uscc="91350100M000100Y43", unit=units["469002"],
        product_category="蔬菜", product_group="agri", sampling_date=dt.date(2017, 9, 5), result="不合格",
        failing_items="毒死蜱", sample_type="监督抽检",
    )  # fmt: skip
    settings.QUALITYPLAN_TODAY = "2017-09-06"
    page.reload()
    with page.expect_navigation():
        page.get_by_role("button", name="回流抽查结果").click()
    assert "J-1" in page.locator("main").inner_text()
    credit_services.sample_event_sync(user=users["dept"], sampling_record=bad, received_on=dt.date(2017, 9, 8))

    page.locator("textarea[name$=result]").first.fill("抽查 1 批次不合格（毒死蜱），已立案")
    with page.expect_navigation():
        page.get_by_role("button", name="报告结果").click()
    page.locator("form[action$='/close/'] textarea[name=result]").fill("问题产品已下架，企业已整改")
    submit(page, "form[action$='/close/']")

    page.goto(f"/risk/{risk.pk}/loop/")
    loop = page.locator("#loop")
    assert "12345-20170901-0042" in loop.locator("[data-step=source]").inner_text()
    assert "工作研判" in loop.locator("[data-step=review]").inner_text()
    assert "监督抽查" in loop.locator("[data-step=disposal]").inner_text()
    assert "毒死蜱" in loop.locator("[data-step=samples]").inner_text()
    assert "监督抽检不合格" in loop.locator("[data-step=credit]").inner_text()
    assert "琼海市" in loop.locator("[data-step=assessment]").inner_text()
    assert "问题产品已下架" in loop.locator("[data-step=close]").inner_text()
    screenshot(page, "risk-loop")
