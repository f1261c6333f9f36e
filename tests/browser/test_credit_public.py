"""Public credit query, signed out: a penalty shows on its last publicity day and not the day after."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_public_query_last_publicity_day(page, users, settings):
    from qualityplan.credit import services

    settings.CREDIT_PUBLIC_RATE = (1000, 60)
    ent = services.enterprise_get_or_create(uscc="91350100M000100Y43", name="海南公示演示有限公司")
    # 通报批评 decided 2024-01-31: 3 months from 2024-01-31 is 2024-04-30, so the last day is 2024-04-29
    services.event_create(
        user=users["dept"],
        enterprise=ent,
        kind="penalty",
        date=dt.date(2024, 1, 31),
        decision_no="琼质监罚〔2024〕31号",
        penalties=["通报批评"],
    )
    settings.QUALITYPLAN_TODAY = "2024-04-29"
    page.goto("/credit/public/")
    assert "登录" in page.locator("header").inner_text()  # signed out
    page.fill("input[name=q]", "公示演示")
    page.click("main form button")
    page.wait_for_selector(".public-result")
    assert page.locator("#as-of").inner_text() == "2024-04-29"
    assert "琼质监罚〔2024〕31号" in page.locator(".public-result").inner_text()
    screenshot(page, "credit-public-last-day")

    settings.QUALITYPLAN_TODAY = "2024-04-30"
    page.goto("/credit/public/?q=91350100M000100Y43")
    page.wait_for_selector(".public-result")
    assert page.locator("#as-of").inner_text() == "2024-04-30"
    assert "琼质监罚〔2024〕31号" not in page.locator("main").inner_text()
    assert page.locator(".public-none").count() == 1
    # the public cannot move the date
    page.goto("/credit/public/?q=91350100M000100Y43&as_of=2024-04-29")
    assert "琼质监罚〔2024〕31号" not in page.locator("main").inner_text()
    screenshot(page, "credit-public-day-after")
