import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from qualityplan.indicators import services
from qualityplan.indicators.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(indicators_2017, sampling_rows):
    services.evaluation_run(year=2017, as_of=dt.date(2017, 11, 30))


def test_dashboard_shows_every_target_with_status(evaluated, users, client_for, django_assert_max_num_queries):
    c = client_for(users["office"])
    # cache miss (+ the shared plan switcher: its plan list, and the session write that remembers ?year=;
    # + the plan's map indicators); a hit: see test_dashboard_second_request_is_served_from_cache
    with django_assert_max_num_queries(16):
        r = c.get(reverse("indicators:dashboard") + "?year=2017")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<tr data-target="T') == 46
    assert "dashboard-data" in html and "vendor/hainan.json" in html


def test_dashboard_for_county_highlights_own_unit(evaluated, users, client_for):
    r = client_for(users["county"]).get(reverse("indicators:dashboard"))
    assert r.status_code == 200
    own = users["county"].unit
    assert own.code == "469002"
    assert f'<tr class="own"><td style="text-align:left">{own.name}</td>' in r.content.decode()
    data = re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', r.content.decode()).group(1)
    assert json.loads(data)["unit_name"] == own.name


def test_target_detail_drills_down_to_records(evaluated, users, client_for):
    c = client_for(users["office"])
    r = c.get(reverse("indicators:target", args=["T04"]) + "?year=2017")
    assert r.status_code == 200
    hk = next(e for e in r.context["units"] if e.unit.code == "460100")
    assert hk.drill.startswith("/monitoring/records/sampling/")
    rec = c.get(hk.drill)
    assert rec.status_code == 200 and rec.context["count"] == 100  # official samples only


def test_county_reporter_enters_and_submits_and_office_returns(indicators_2017, users, client_for):
    county = client_for(users["county"])
    r = county.get(reverse("indicators:report-open", args=["2017Q1"]))
    sub = Submission.objects.get(unit=users["county"].unit, period="2017Q1")
    assert r.url == reverse("indicators:report", args=[sub.pk])
    bad = county.post(r.url, {"action": "submit", "T25.numerator": "120", "T25.denominator": "100"})
    assert bad.status_code == 200 and "T25.numerator" in bad.content.decode()
    ok = county.post(r.url, {"action": "submit", "T25.numerator": "80", "T25.denominator": "100",
                             "T26.numerator": "95", "T26.denominator": "100"})  # fmt: skip
    assert ok.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"
    office = client_for(users["office"])
    office.post(r.url, {"action": "return", "reason": "请附统计报表"})
    sub.refresh_from_db()
    assert sub.status == "returned"
    page = county.get(r.url).content.decode()
    assert "请附统计报表" in page
    comp = office.get(reverse("indicators:completeness") + "?year=2017&as_of=2017-04-30")
    row = next(x for x in comp.context["rows"] if x["unit"].code == "469002")
    assert row["submitted"] == 1 and row["returned"] == 1
    # another county cannot open this form
    assert client_for(users["city"]).get(r.url).status_code == 404


def test_api_evaluations_list(evaluated, users, client_for, django_assert_max_num_queries):
    c = client_for(users["viewer"])
    with django_assert_max_num_queries(7):  # cache miss: session, user, stamps (3), count, page
        r = c.get("/api/v1/indicators/evaluations/?year=2017&period=2017&province=1")
    assert r.status_code == 200
    assert r.json()["count"] == 46


def test_api_submission_workflow(indicators_2017, users, client_for):
    county = client_for(users["county"])
    r = county.post("/api/v1/indicators/submissions/open/", {"period": "2017Q2"}, content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    bad = county.post(f"/api/v1/indicators/submissions/{pk}/values/", {"values": {"T25": {"numerator": "5", "denominator": "4"}}},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "T25.numerator" in bad.json()["extra"]["errors"]
    county.post(f"/api/v1/indicators/submissions/{pk}/values/", {"values": {"T25": {"numerator": "3", "denominator": "4"},
                "T26": {"numerator": "3", "denominator": "4"}}}, content_type="application/json")  # fmt: skip
    assert county.post(f"/api/v1/indicators/submissions/{pk}/submit/").json()["status"] == "submitted"
    office = client_for(users["office"])
    r = office.post(f"/api/v1/indicators/submissions/{pk}/return/", {"reason": "x"}, content_type="application/json")
    assert r.json()["status"] == "returned"


def test_openapi_schema_includes_indicator_and_import_endpoints(users, client_for):
    r = client_for(users["office"]).get("/api/schema/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "/api/v1/indicators/evaluations/" in text and "/api/v1/monitoring/imports/" in text


# ------------------------------------------------------------------------------------- caching

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _page(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200
    return CSRF.sub(r"\1…", r.content.decode())


def test_dashboard_second_request_is_served_from_cache(evaluated, users, client_for, django_assert_max_num_queries):
    c = client_for(users["office"])
    url = reverse("indicators:dashboard") + "?year=2017&indicator=T04"
    first = _page(c, url)
    # session, user, stamps (3), nav, the switcher's plan list — none of the dashboard's own reads
    with django_assert_max_num_queries(9):
        assert _page(c, url) == first
    cache.clear()
    assert _page(c, url) == first


def test_cached_dashboard_reflects_a_new_evaluation_run(evaluated, users, client_for):
    from qualityplan.monitoring.models import SamplingRecord

    c = client_for(users["office"])
    url = reverse("indicators:dashboard") + "?year=2017"
    before = _page(c, url)
    assert _page(c, url) == before  # cached now
    # the same as_of (same heading), different data: every failing sample now passes
    SamplingRecord.objects.filter(result="不合格").update(result="合格", failing_items="")
    services.evaluation_run(year=2017, as_of=dt.date(2017, 11, 30))
    after = _page(c, url)
    assert after != before
    cache.clear()
    assert _page(c, url) == after  # what an empty cache renders: nothing stale


def test_dashboard_cache_is_not_shared_across_data_scopes(evaluated, users, client_for):
    url = reverse("indicators:dashboard") + "?year=2017&indicator=T15"
    office = _page(client_for(users["office"]), url)  # fills the cache with every unit's rows
    city = _page(client_for(users["city"]), url)
    county = _page(client_for(users["county"]), url)
    assert len({office, city, county}) == 3
    cache.clear()
    assert _page(client_for(users["county"]), url) == county
    assert _page(client_for(users["city"]), url) == city


def test_cached_api_list_reflects_a_new_evaluation_run(evaluated, users, client_for, django_assert_max_num_queries):
    c = client_for(users["viewer"])
    url = "/api/v1/indicators/evaluations/?year=2017&period=2017&province=1"
    before = c.get(url).json()
    with django_assert_max_num_queries(5):  # session, user, stamps (3)
        assert c.get(url).json() == before
    services.evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    after = c.get(url).json()
    assert after != before and {e["as_of"] for e in after["results"]} == {"2017-12-31"}
    county = client_for(users["county"]).get("/api/v1/indicators/evaluations/?year=2017&period=2017").json()
    assert {e["unit_code"] for e in county["results"]} <= {None, "469002"}


def test_department_map_shows_the_indicators_it_leads(evaluated, users, make_user, client_for):
    """Issue 13: 省食品药品监管局 (FDA) leads T04 (food pass rate): its map and comparison show the city/county
    rows of T04 (the fixture samples Haikou and Sanya), not a blank map; province rows stay as context; rows of
    indicators it does not lead stay hidden."""
    from qualityplan.indicators import selectors
    from qualityplan.orgs.roles import Role

    fda = make_user("t_fda", Role.DEPT_REPORTER, "FDA")
    rows = selectors.evaluations_visible(user=fda, year=2017, period="2017")
    unit_rows = rows.filter(unit__isnull=False)
    led = set(selectors.led_indicators(fda).values_list("code", flat=True))
    assert "T04" in led and "T15" not in led
    assert set(unit_rows.values_list("target__code", flat=True)) == {"T04"}
    assert {"460100", "460200"} <= set(unit_rows.values_list("unit__code", flat=True))
    assert rows.filter(unit__isnull=True).count() == 46  # province context: every target
    html = client_for(fda).get(reverse("indicators:dashboard") + "?year=2017").content.decode()
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["indicator"] == "T04"
    haikou = next(m for m in data["map"] if m["code"] == "460100")
    assert haikou["value"] is not None  # the region is coloured, not grey
    # a city still sees only its own unit rows
    county_units = set(
        selectors.evaluations_visible(user=users["county"], year=2017, period="2017")
        .filter(unit__isnull=False)
        .values_list("unit__code", flat=True)
    )
    assert county_units <= {"469002"}
