"""A supervision item from 立项 to 销号 in the browser, with a returned report in between (office ↔ 主办 unit)."""

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS, login, screenshot  # noqa: F401

pytestmark = pytest.mark.browser


def act(page, action: str, **fields):
    form = page.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button").click()


def status(page) -> str:
    return page.locator("#item-status").inner_text().strip()


def test_item_from_registration_to_closing_with_a_return(browser, base_url, page, users, units):
    login(page, "t_office")
    page.goto("/supervision/items/new/")
    page.fill("input[name=title]", "浏览器测试督办事项")
    page.select_option("select[name=source]", "leader_instruction")
    page.fill("textarea[name=requirement]", "按批示要求办理并报告。")
    page.select_option("select[name=lead_unit]", str(units["QTS"].pk))
    page.select_option("select[name=cooperating_units]", [str(units["ENV"].pk)])
    page.fill("input[name=deadline_workdays]", "10")
    with page.expect_navigation():
        page.click("#create-item")
    assert status(page) == "立项"
    item_url = page.url
    assert "琼质督〔" in page.locator("h1").inner_text()
    act(page, "assign")
    assert status(page) == "交办"
    assert page.locator("#item-deadline").inner_text().strip()[:2] == "20"  # a computed date

    unit_ctx = browser.new_context(base_url=base_url, locale="zh-CN")
    unit_ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    unit = unit_ctx.new_page()
    try:
        login(unit, "t_qts")
        unit.goto(item_url)
        assert unit.locator("form[data-action=assign]").count() == 0  # the office's actions are not offered
        act(unit, "accept")
        assert status(unit) == "办理中"
        act(unit, "submit_report", text="第一次报告：已开展排查。")
        assert status(unit) == "已报告"

        page.goto(item_url)
        act(page, "start_review")
        assert status(page) == "审核"
        act(page, "return", comment="未说明整改措施，请补充。")
        assert status(page) == "退回重办"
        assert "退回" in page.locator("#reports").inner_text()

        unit.goto(item_url)
        assert "未说明整改措施" in unit.locator("#reports").inner_text()
        act(unit, "submit_report", text="第二次报告：已补充整改措施和长效机制。")
        assert status(unit) == "已报告"
    finally:
        unit_ctx.close()

    page.goto(item_url)
    act(page, "start_review")
    act(page, "close", comment="同意销号")
    assert status(page) == "销号"
    events = page.locator("#events").inner_text()
    for label in ("立项", "交办", "签收", "报告办理情况", "审核", "退回重办", "销号"):
        assert label in events
    assert page.locator("form[data-action]").count() == 0  # nothing left to do
    screenshot(page, "supervision-closed")
