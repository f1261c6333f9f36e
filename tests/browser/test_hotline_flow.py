"""One 12345 complaint from intake to 办结 in the browser, with a 退单 and an extension, as the hotline agent, the
units and the office; the caller's phone number is never shown unmasked to another unit nor exported.

The platform's date is pinned to Fri 29 Sep 2017 (``QUALITYPLAN_TODAY``), the eve of National Day: the complaint
received Thu 28 Sep 16:00 is due on the 15th working day after it — 29, 30 Sep (make-up Saturday), 9–13, 16–20,
23–25 Oct → 25 Oct 2017; an extension of 5 working days moves it to 26, 27, 30, 31 Oct, 1 Nov → 1 Nov 2017.
"""

import io

import pytest
from openpyxl import load_workbook

from qualityplan.orgs.roles import Role
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, login, screenshot

pytestmark = pytest.mark.browser
PHONE = "13912345678"


def act(page, action: str, selects: dict | None = None, **fields):
    form = page.locator(f"form[data-action={action}]")
    for name, value in (selects or {}).items():
        form.locator(f"[name={name}]").select_option(value)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button").click()


def status(page) -> str:
    return page.locator("#order-status").inner_text().strip()


def new_page(browser, base_url, username):
    ctx = browser.new_context(base_url=base_url, locale="zh-CN")
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = ctx.new_page()
    login(page, username)
    return ctx, page


def test_complaint_from_intake_to_closing(browser, base_url, page, users, units, make_user, settings):
    from qualityplan.hotline.models import DispatchRule

    settings.QUALITYPLAN_TODAY = "2017-09-29"
    make_user("t_hotline", Role.HOTLINE, None)
    rule = DispatchRule.objects.create(subject="product", region=units["460100"], lead_unit=units["460100"])
    rule.cooperating_units.set([units["QTS"]])

    login(page, "t_hotline")  # the hotline agent registers and dispatches
    page.goto("/hotline/orders/new/")
    page.fill("input[name=received_at]", "2017-09-28T16:00")
    page.fill("input[name=caller_name]", "刘来电")
    page.fill("input[name=caller_phone]", PHONE)
    page.select_option("select[name=category]", "complaint")
    page.select_option("select[name=subject]", "product")
    page.select_option("select[name=region]", str(units["460100"].pk))
    page.fill("input[name=title]", "电饭煲内胆涂层脱落")
    page.fill("textarea[name=content]", "在海口某商场购买的电饭煲使用一个月内胆涂层脱落，要求退换并查处。")
    with page.expect_navigation():
        page.click("#order-form button")
    assert status(page) == "登记"
    order_url = page.url
    assert PHONE in page.locator("#caller-phone").inner_text()
    act(page, "dispatch")
    assert status(page) == "已派单"
    assert page.locator("#order-deadline").inner_text().startswith("2017-10-25")
    assert "海口市" in page.locator("#order-units").inner_text()

    qts_ctx, qts = new_page(browser, base_url, "t_qts")
    haikou_ctx, haikou = new_page(browser, base_url, "t_haikou")
    office_ctx, office = new_page(browser, base_url, "t_office")
    try:
        qts.goto(order_url)  # cooperating unit: sees the order, the caller masked
        assert PHONE not in qts.content() and "139****5678" in qts.locator("#caller-phone").inner_text()
        assert qts.locator("form[data-action=sign]").count() == 0

        haikou.goto(order_url)  # handling unit: sees the caller, returns the order with reason and basis
        assert PHONE in haikou.locator("#caller-phone").inner_text()
        act(
            haikou,
            "return",
            reason="生产企业位于省级监管范围，非属地可处理",
            basis="《省质监局职能配置、内设机构和人员编制规定》",
        )
        assert status(haikou) == "退单审核"

        office.goto(order_url)  # the office re-dispatches to the provincial bureau (a catalogue override)
        act(office, "reassign", selects={"unit": "QTS"})
        assert status(office) == "已派单" and "省质监局" in office.locator("#order-units").inner_text()
        assert haikou.goto(order_url).status == 404  # Haikou no longer handles it

        qts.goto(order_url)  # now the handling unit: the caller in clear
        assert PHONE in qts.locator("#caller-phone").inner_text()
        act(qts, "sign")
        act(qts, "start")
        assert status(qts) == "办理中"
        act(qts, "request_extension", reason="须委托检验机构对涂层检验", days="5")
        assert status(qts) == "延期审批"

        office.goto(order_url)
        act(office, "approve_extension")
        assert office.locator("#order-deadline").inner_text().startswith("2017-11-01")

        qts.goto(order_url)
        act(qts, "reply", text="经检验涂层附着力不合格，已责令销售者退货并对生产企业立案调查。")
        assert status(qts) == "已办复"

        page.goto(order_url)
        act(page, "review")
        act(page, "review_pass")
        assert status(page) == "待回访"
        act(page, "visit", selects={"satisfaction": "satisfied", "resolved": "true"}, note="已退货")
        assert status(page) == "已办结"
        events = page.locator("#events").inner_text()
        for label in ("登记", "派单", "退单", "改派", "签收", "申请延期", "批准延期", "办复", "回访办结"):
            assert label in events
        screenshot(page, "hotline-order-closed")

        env_ctx, env = new_page(browser, base_url, "t_env")  # an unrelated unit sees nothing
        try:
            assert env.goto(order_url).status == 404
            assert PHONE not in env.goto("/hotline/").text()
        finally:
            env_ctx.close()

        exported = office.request.get("/hotline/export.xlsx")  # the office's export: no caller data at all
        assert exported.ok
        wb = load_workbook(io.BytesIO(exported.body()))
        cells = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
        assert "电饭煲内胆涂层脱落" in cells and PHONE not in cells and "刘来电" not in cells
    finally:
        for ctx in (qts_ctx, haikou_ctx, office_ctx):
            ctx.close()
