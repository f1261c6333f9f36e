"""No dead ends (issue 13): error pages in Chinese in the site layout, unit pages, measures list, API root."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_unknown_url_gives_the_chinese_404_in_the_site_layout(users, client_for, debug):
    with override_settings(DEBUG=debug):
        r = client_for(users["city"]).get("/no-such-page/")
    html = r.content.decode()
    assert r.status_code == 404
    assert "页面不存在" in html and 'class="topbar"' in html
    assert "Page not found" not in html and "URLconf" not in html


@override_settings(DEBUG=True)
def test_permission_denied_under_debug_is_the_chinese_403(users, client_for):
    r = client_for(users["viewer"]).get("/ledger/tasks/new/")  # a viewer does not break down measures
    assert r.status_code == 403
    html = r.content.decode()
    assert "无权访问" in html and 'class="topbar"' in html and "403 Forbidden" not in html


@override_settings(DEBUG=True)
def test_view_raising_404_under_debug(users, client_for, plan_2017):
    r = client_for(users["city"]).get("/plans/measures/999999/")
    assert r.status_code == 404 and "页面不存在" in r.content.decode()


@override_settings(DEBUG=True)
def test_api_keeps_json_errors_under_debug(users, client_for):
    r = client_for(users["city"]).get("/api/v1/plans/999999/")
    assert r.status_code == 404 and r["Content-Type"].startswith("application/json")


def test_every_signed_in_user_reads_any_units_public_page(users, client_for, plan_2017):
    c = client_for(users["city"])  # 海口市 reads 省质监局's page
    r = c.get("/orgs/QTS/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "省质监局" in html or "质量技术监督局" in html
    assert "/ledger/" not in html.split('class="container"')[1].split("</h1>")[1].split("cards")[0]
    own = c.get("/orgs/460100/").content.decode()
    assert "本单位任务" in own and "工作台账" in own
    units = c.get("/orgs/").content.decode()
    assert "/orgs/QTS/" in units and "用户数" not in units  # every unit listed; user counts for the office only
    assert "用户数" in client_for(users["office"]).get("/orgs/").content.decode()


def test_measures_list_with_filter_and_csv(users, client_for, plan_2017):
    c = client_for(users["viewer"])
    r = c.get("/plans/measures/")
    assert r.status_code == 200
    assert len(re.findall(r'href="/plans/measures/\d+/"', r.content.decode())) == 33  # the 2017 plan's 33
    qts = users["dept"].unit
    only = c.get(f"/plans/measures/?unit={qts.pk}").content.decode()
    assert 0 < len(re.findall(r'href="/plans/measures/\d+/"', only)) < 33
    csv = c.get("/plans/measures/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "编号,措施,牵头单位,配合单位,相关目标" and len(lines) == 34


def test_api_root_lists_the_endpoints(client, users, client_for):
    assert client.get("/api/v1/").status_code == 401  # like the schema and the docs: signed-in users only
    r = client_for(users["viewer"]).get("/api/v1/")
    assert r.status_code == 200
    data = r.json()
    assert data["endpoints"]["plans"]["measures"].endswith("/api/v1/measures/")
    assert data["endpoints"]["ledger"]["ledger/tasks"].endswith("/api/v1/ledger/tasks/")
    assert data["docs"].endswith("/api/docs/") and data["schema"].endswith("/api/schema/")


def test_api_docs_use_no_cdn(users, client_for):
    c = client_for(users["viewer"])
    html = c.get("/api/docs/").content.decode()
    assert "cdn" not in html.lower() and "googleapis" not in html and "<script>" not in html
    assert "/static/vendor/swagger-ui/" in html  # Swagger UI from npm, served by the platform itself
    redoc = c.get("/api/redoc/")
    assert redoc.status_code == 302 and redoc.url == "/api/docs/"  # one UI: /api/redoc/ leads to the same docs


def test_change_history_names_fields_by_label_and_values_by_display(users, client_for, plan_2017):
    from qualityplan.core.middleware import acting_as
    from qualityplan.plans.models import Target

    target = Target.objects.filter(plan=plan_2017).first()
    with acting_as(users["office"]):
        target.uncertain = not target.uncertain
        target.save()
    html = client_for(users["office"]).get(f"/history/plans/target/{target.pk}/").content.decode()
    label = str(Target._meta.get_field("uncertain").verbose_name)
    assert f"<td>{label}</td>" in html and "<td>uncertain</td>" not in html
    assert ">是<" in html and ">否<" in html and "True" not in html


def test_menu_shows_anonymous_users_only_public_pages(client, plan_2017):
    nav = client.get("/plans/").content.decode().split('<nav class="mainnav">')[1].split("</nav>")[0]
    assert "/plans/" in nav and "/plans/measures/" in nav
    for private in ("/indicators/", "/ledger/", "/supervision/", "/notifications/", 'href="/"'):
        assert private not in nav, private
