"""Indicator dashboard in headless Chromium: every target has a status, the Hainan map renders with 19 regions."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def indicator_demo(transactional_db):
    """Units, the 2017 plan, demo users and the monitoring + indicator demo data (not the other apps')."""
    from django.core.management import call_command

    from qualityplan.indicators import demo as indicators_demo
    from qualityplan.monitoring import demo as monitoring_demo
    from qualityplan.orgs import demo as orgs_demo

    call_command("bootstrap", verbosity=0)
    orgs_demo.load_demo(year=2017)
    monitoring_demo.load_demo(year=2017)
    return indicators_demo.load_demo(year=2017)


def test_dashboard_every_target_has_status_and_map_has_19_regions(page, indicator_demo):
    from qualityplan.plans.models import Target

    login(page, "office")
    page.goto("/indicators/?year=2017&indicator=T15")
    rows = page.locator("#targets-table tbody tr[data-target]")
    assert rows.count() == Target.objects.filter(plan__year=2017).count() == 46
    statuses = page.locator("#targets-table tbody tr[data-target] .badge")
    assert statuses.count() == 46
    assert set(statuses.all_inner_texts()) <= {"已达成", "进展正常", "存在风险", "未达成", "无数据"}
    assert "存在风险" in statuses.all_inner_texts()

    page.wait_for_function("document.getElementById('chart-map').dataset.ready === '1'", timeout=15_000)
    option = page.evaluate(
        """() => {
            const inst = echarts.getInstanceByDom(document.getElementById('chart-map'));
            const o = inst.getOption();
            const regions = o.series.find(s => s.type === 'map');
            const yangpu = o.series.find(s => s.id === 'yangpu');
            return {n: regions.data.length, names: regions.data.map(d => d.name), map: regions.map,
                    yangpu: yangpu.data.map(d => d.name), canvases: document.querySelectorAll('#chart-map canvas').length};
        }"""
    )
    assert option["n"] == 19, option
    assert "三沙市" in option["names"] and "洋浦经济开发区" not in option["names"]
    assert option["yangpu"] == ["洋浦经济开发区"] and option["canvases"] >= 1
    # the other charts rendered too
    assert (
        page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-groups')).getOption().series.length")
        == 5
    )
    screenshot(page, "indicators-dashboard")

    # drill-down: a target's page lists units and links to the records behind each value
    page.click("#targets-table a:text('T04')")
    page.wait_for_selector("#unit-values")
    with page.expect_navigation():
        page.locator("#unit-values a").first.click()
    assert "/monitoring/records/sampling/" in page.url
    screenshot(page, "indicators-drilldown")
