"""Permission matrix: each role × each page and endpoint — allowed, or refused with no data leaked."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from qualityplan.core.models import ChangeLog
from qualityplan.plans.models import Target

ROLES = ["anon", "office", "dept", "dept2", "city", "county", "inspector", "viewer"]

# page → roles that get 200; others: anonymous is redirected to login (302), signed-in users get 403/404.
PAGES = {
    "/plans/": set(ROLES),
    "/plans/targets/": set(ROLES),
    "/plans/matrix/": set(ROLES) - {"anon"},
    "/orgs/": set(ROLES) - {"anon"},
    "/plans/measures/": set(ROLES),
    # a unit's public facts (name, code, type, its measures) are for every signed-in user (issue 13)
    "/orgs/469002/": set(ROLES) - {"anon"},
    "/orgs/QTS/": set(ROLES) - {"anon"},
}


def _client(role, users):
    if role == "anon":
        return Client()
    c = Client()
    c.force_login(users[role])
    return c


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_page_access_matrix(plan_2017, users, role):
    client = _client(role, users)
    for url, allowed in PAGES.items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url)
        elif role == "anon":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (role, url)
        else:
            assert response.status_code in (403, 404), (role, url)
            assert "海南" not in response.content.decode(), (role, url)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_read_access(plan_2017, users, role):
    client = _client(role, users)
    for url in ("/api/v1/plans/", "/api/v1/targets/", "/api/v1/measures/", "/api/v1/units/", "/api/v1/deadlines/"):
        response = client.get(url)
        assert response.status_code == 200, (role, url)
    assert client.get("/api/v1/targets/").json()["count"] == 46


@pytest.mark.django_db
def test_anonymous_sees_only_published_plans(plan_2017):
    plan_2017.status = "draft"
    plan_2017.save()
    anon = Client()
    assert anon.get("/api/v1/targets/").json()["count"] == 0
    assert anon.get("/api/v1/plans/").json()["count"] == 0
    assert anon.get("/plans/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, status", [("anon", 403), ("dept", 404), ("city", 404), ("viewer", 403), ("inspector", 403), ("office", 200)]
)
def test_api_write_only_office(plan_2017, users, role, status):
    plan_2017.__class__.objects.filter(pk=plan_2017.pk).update(status="draft")  # a published plan is not edited
    target = Target.objects.get(plan=plan_2017, code="T16")
    client = _client(role, users)
    response = client.patch(
        f"/api/v1/targets/{target.pk}/",
        {"baseline_year": 2016, "baseline_value": "40"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{target.version}"',
    )
    assert response.status_code in ((status,) if status != 403 else (401, 403)), response.content
    target.refresh_from_db()
    assert (target.baseline_year == 2016) == (role == "office")


@pytest.mark.django_db
def test_target_filters(plan_2017, users, units):
    client = _client("viewer", users)
    assert client.get("/api/v1/targets/?group=environment").json()["count"] == 16
    qionghai = units["469002"]
    codes = {t["code"] for t in client.get(f"/api/v1/targets/?unit={qionghai.pk}&page_size=100").json()["results"]}
    assert "T15" in codes  # 各市县空气质量优良天数比例 applies to every city/county
    fisheries = units["OCEAN"]
    codes = {t["code"] for t in client.get(f"/api/v1/targets/?unit={fisheries.pk}&page_size=100").json()["results"]}
    assert {"T30", "T31"} <= codes and "T15" not in codes
    html = client.get("/plans/targets/?group=engineering").content.decode()
    assert "建筑工程竣工验收合格率" in html and "金融服务" not in html


@pytest.mark.django_db
def test_measure_api_filter_by_unit_and_role(plan_2017, users, units):
    client = _client("office", users)
    qts = units["QTS"]
    lead = client.get(f"/api/v1/measures/?unit={qts.pk}&role=lead").json()
    assert {m["number"] for m in lead["results"]} >= {"三.(二).1", "三.(五).2"}
    row = next(m for m in lead["results"] if m["number"] == "三.(二).1")
    assert row["lead_units"] == ["省质监局"] and row["responsibilities"][0]["unit"] == "QTS"


@pytest.mark.django_db
def test_unit_page_shows_own_work(plan_2017, users):
    html = _client("county", users).get("/orgs/mine/", follow=True).content.decode()
    assert "琼海市" in html and "抓好质量工作考核" in html  # cooperates through 各市县政府
    assert "各市县空气质量优良天数比例达到98%以上" in html


@pytest.mark.django_db
def test_matrix_xlsx_export_reopens(plan_2017, users):
    response = _client("county", users).get("/plans/matrix/?format=xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["责任矩阵"]
    header = [c.value for c in ws[4]]
    assert header[:4] == ["单位代码", "单位", "牵头数", "配合数"] and len(header) == 4 + 33
    rows = {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True)}
    qts = rows["省质监局"]
    assert qts[header.index("三.(二).1")] == "牵"
    assert rows["琼海市"][header.index("三.(二).1")] == "配（组）"
    assert len(rows) == 44
    detail = wb["分工明细"]
    assert detail.cell(row=2, column=3).value == "省质量强省工作领导小组办公室"


@pytest.mark.django_db
def test_list_query_counts_are_pinned(plan_2017, users, django_assert_max_num_queries):
    client = _client("office", users)
    client.get("/plans/matrix/")  # warm up session/content types
    with django_assert_max_num_queries(12):
        client.get("/api/v1/measures/?page_size=100")
    with django_assert_max_num_queries(8):
        client.get("/api/v1/targets/?page_size=100")
    with django_assert_max_num_queries(12):
        client.get("/plans/matrix/")
    with django_assert_max_num_queries(12):
        client.get("/plans/targets/")


@pytest.mark.django_db
def test_audit_log_records_who_and_before_after(plan_2017, users):
    plan_2017.__class__.objects.filter(pk=plan_2017.pk).update(status="draft")  # a published plan is not edited
    client = _client("office", users)
    target = Target.objects.get(plan=plan_2017, code="T16")
    client.patch(
        f"/api/v1/targets/{target.pk}/",
        {"baseline_value": "38.5"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{target.version}"',
    )
    entry = ChangeLog.objects.filter(object_id=str(target.pk), content_type__model="target", action="update").first()
    assert entry.user == users["office"]
    assert ("baseline_value", None, "38.5000") in entry.changed_fields or (
        "baseline_value",
        None,
        "38.5",
    ) in entry.changed_fields
    page = client.get(f"/history/plans/target/{target.pk}/").content.decode()
    label = str(Target._meta.get_field("baseline_value").verbose_name)  # the field by its label (issue 13)
    assert f"<td>{label}</td>" in page and "t_office" in page
    assert _client("dept", users).get(f"/history/plans/target/{target.pk}/").status_code == 403


@pytest.mark.django_db
def test_login_is_throttled(users):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "t_qts", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "t_qts", "password": "test-pass-2017"})
    assert response.status_code in (403, 429) or "锁定" in response.content.decode()
