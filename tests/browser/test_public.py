"""The public portal in headless Chromium, signed out: the walk (plan, a target with the map, the credit query, an
open-data download, the calendar), axe-core on every page (0 serious / critical), keyboard-only navigation, 200 %
text without loss. axe-core comes from npm (package.json) and is served from our static files (CSP: script-src 'self')."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(demo, settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    settings.PUBLIC_RATE = (0, 60)
    settings.CREDIT_PUBLIC_RATE = (10_000, 60)
    from qualityplan.public.models import Publication

    return {p.kind + ":" + p.key: p for p in Publication.objects.filter(withdrawn_at__isnull=True)}


def axe(page) -> list[dict]:
    """Serious and critical axe-core violations of the current page (WCAG 2.x A/AA rules and best practices)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe.min.js")
    assert page.evaluate("axe.version") == "4.10.3"
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def check(page, name: str, problems: dict) -> None:
    found = axe(page)
    if found:
        problems[page.url] = found
    screenshot(page, f"public-{name}")


def test_public_portal_signed_out(page, portal):
    """One demo load (the slow part) for the three checks."""
    _walk_with_axe(page, portal)
    _keyboard_only_navigation(page)
    _text_at_200_percent_without_loss(page, portal)


def _walk_with_axe(page, portal):
    problems: dict[str, list] = {}
    page.goto("/public/")
    assert "登录" not in page.content()  # the portal has no sign-in at all
    check(page, "home", problems)

    # the plan of the year: targets, measures, responsible units
    page.get_by_role("link", name=portal["plan:2017"].title).click()
    page.wait_for_selector("h1")
    assert "开展质量宣传，塑造良好的质量氛围" in page.inner_text("main")
    check(page, "plan", problems)

    # a target with the map (and its data table)
    page.goto(f"/public/p/{portal['evaluation:2017'].slug}/")
    check(page, "evaluation", problems)
    ev = portal["evaluation:2017"].data
    target = next(t for t in ev["targets"] if len(t["regions"]) >= 18)
    page.get_by_role("link", name=target["indicator"], exact=True).first.click()
    page.wait_for_selector("#target-map[data-ready='1']", state="attached", timeout=15_000)
    assert page.locator("#map-table tbody tr").count() == len(target["regions"])
    n = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('target-map')).getOption().series[0].data.length"
    )
    assert n == len(target["regions"])
    check(page, "target-map", problems)

    # the credit query (the credit module's public selectors)
    page.get_by_role("navigation").get_by_role("link", name="信用查询").click()
    page.get_by_label("企业名称或统一社会信用代码").fill("海南")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector(".public-result")
    assert page.locator("#as-of").inner_text() == "2017-11-30"
    check(page, "credit", problems)

    # open data: the catalogue, the dictionary, a CSV download with the same rows as its JSON
    page.get_by_role("navigation").get_by_role("link", name="开放数据").click()
    check(page, "open-data", problems)
    with page.expect_download() as info:
        page.locator('a[href$="/open-data/plan-2017.csv"]').click()
    body = Path(info.value.path()).read_bytes()
    assert body[:3] == b"\xef\xbb\xbf"
    rows = list(csv.DictReader(io.StringIO(body[3:].decode())))
    as_json = page.request.get("/open-data/plan-2017.json").json()["rows"]
    assert len(rows) == len(as_json) == 46
    page.goto("/open-data/dictionary/")
    check(page, "dictionary", problems)

    # the calendar
    page.goto("/public/")
    page.get_by_role("navigation").get_by_role("link", name="宣传日历").click()
    assert "3·15 国际消费者权益日" in page.inner_text("main")
    assert "措施 三.(六)" in page.inner_text("main")
    check(page, "calendar", problems)

    # the other published items (registries, sampling announcements, blacklist)
    for key, pub in portal.items():
        if key.split(":")[0] in ("registry", "sampling", "blacklist"):
            page.goto(f"/public/p/{pub.slug}/")
            check(page, key.replace(":", "-"), problems)
    assert problems == {}


def _keyboard_only_navigation(page):
    page.goto("/public/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")  # visible when focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.goto("/public/")
    labels = []
    for _ in range(6):
        page.keyboard.press("Tab")
        labels.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert labels[:6] == ["跳到正文", "海南省质量强省 · 信息公开", "首页", "信用查询", "宣传日历", "开放数据"]
    # focus is visible (outline) and Enter follows the link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/open-data/")
    # the credit form works with the keyboard alone
    page.goto("/public/credit/")
    page.locator("input[name=q]").focus()
    page.keyboard.type("海南")
    page.keyboard.press("Enter")
    page.wait_for_selector(".public-result")


def _text_at_200_percent_without_loss(page, portal):
    ev = portal["evaluation:2017"]
    code = next(t["code"] for t in ev.data["targets"] if t["regions"])
    urls = ("/public/", f"/public/p/{portal['plan:2017'].slug}/", f"/public/p/{ev.slug}/targets/{code}/",
            "/public/credit/", "/public/calendar/", "/open-data/")  # fmt: skip
    # mobile first: a 360 px phone, no horizontal scrolling, axe clean
    page.set_viewport_size({"width": 360, "height": 740})
    for url in urls:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"), url
        assert axe(page) == [], url
    screenshot(page, "public-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    for url in urls:
        page.goto(url)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        # no horizontal scrolling of the page (tables scroll inside their own region), nav and heading visible
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"), url
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") >= 48, url
        for link in page.get_by_role("navigation").first.get_by_role("link").all():
            assert link.is_visible(), url
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1281, url
    screenshot(page, "public-200-percent")
