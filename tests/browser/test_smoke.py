"""Smoke test: the login page renders in Chinese, a demo user logs in and reaches the home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_in_chinese_and_demo_user_reaches_home(page, demo):
    page.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "登录" in page.title()
    assert page.locator("main h1").inner_text() == "登录"
    assert page.locator("main form button[type=submit]").inner_text() == "登录"
    screenshot(page, "login")

    login(page, "haikou")
    assert "/accounts/login/" not in page.url
    header = page.locator("header .userbox").inner_text()
    assert "赵海口" in header or "haikou" in header, header
    assert "退出" in header
    # htmx was served from qualityplan/static/vendor/ (make setup) by the live server's static handler.
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "home-haikou")
