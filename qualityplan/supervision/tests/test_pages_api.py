"""Pages and API within scope: a unit sees only items where it is 主办 or 协办."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from qualityplan.supervision.escalation import supervision_escalate

D = dt.date


@pytest.fixture
def items(make_item):
    a = make_item(lead="QTS", coop=("ENV",), title="质监主办事项", assign_on=D(2017, 1, 20), workdays=5)
    b = make_item(lead="460100", coop=(), title="海口主办事项", assign_on=D(2017, 1, 20), workdays=5)
    supervision_escalate(today=D(2017, 2, 3))
    return a, b


def test_pages_render(users, client_for, items):
    a, _ = items
    for role in ("office", "dept", "dept2", "city", "county", "viewer", "inspector"):
        c = client_for(users[role])
        for url in ("/supervision/", "/supervision/notices/", "/supervision/export.xlsx"):
            assert c.get(url).status_code == 200, (role, url)
    assert client_for(users["office"]).get(f"/supervision/items/{a.pk}/").status_code == 200
    assert client_for(users["office"]).get("/supervision/items/new/").status_code == 200
    assert client_for(users["dept"]).get("/supervision/items/new/").status_code == 403


def test_unit_never_sees_other_units_items_pages(users, client_for, items):
    a, b = items
    for role, visible, hidden in (("dept", a, b), ("dept2", a, b), ("city", b, a)):
        c = client_for(users[role])
        body = c.get("/supervision/").content.decode()
        assert visible.title in body and hidden.title not in body, role
        assert c.get(f"/supervision/items/{visible.pk}/").status_code == 200
        assert c.get(f"/supervision/items/{hidden.pk}/").status_code == 404
        notices = c.get("/supervision/notices/").content.decode()
        assert visible.number in notices and hidden.number not in notices
        assert c.post(f"/supervision/items/{hidden.pk}/do/accept/").status_code == 404
    county = client_for(users["county"]).get("/supervision/").content.decode()
    assert a.title not in county and b.title not in county


def test_unit_never_sees_other_units_items_api(users, client_for, items):
    a, b = items
    city = client_for(users["city"])
    assert [i["number"] for i in city.get("/api/v1/supervision/items/").json()["results"]] == [b.number]
    assert city.get(f"/api/v1/supervision/items/{a.pk}/").status_code == 404
    assert city.post(f"/api/v1/supervision/items/{a.pk}/transition/", {"action": "accept"}).status_code == 404
    assert {n["item"] for n in city.get("/api/v1/supervision/notices/").json()["results"]} == {b.pk}
    env = client_for(users["dept2"])  # 协办 of a
    assert [i["number"] for i in env.get("/api/v1/supervision/items/").json()["results"]] == [a.number]
    assert client_for(users["county"]).get("/api/v1/supervision/items/").json()["results"] == []
    assert len(client_for(users["office"]).get("/api/v1/supervision/items/").json()["results"]) == 2
    ws = load_workbook(io.BytesIO(city.get("/supervision/export.xlsx").content))["督办事项"]
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [b.number]


def test_api_transitions_and_forbidden_is_400(users, client_for, units):
    office = client_for(users["office"])
    r = office.post(
        "/api/v1/supervision/items/",
        {
            "title": "接口立项",
            "source": "hotline",
            "requirement": "办理",
            "lead_unit": units["QTS"].pk,
            "cooperating_units": [units["ENV"].pk],
            "deadline_workdays": 10,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    bad = office.post(f"/api/v1/supervision/items/{pk}/transition/", {"action": "close"})
    assert bad.status_code == 400 and bad.json()["extra"]["status"] == "registered"
    assert (
        office.post(f"/api/v1/supervision/items/{pk}/transition/", {"action": "assign"}).json()["status"] == "assigned"
    )
    dept = client_for(users["dept"])
    assert [a["action"] for a in dept.get(f"/api/v1/supervision/items/{pk}/actions/").json()] == ["accept"]
    assert (
        dept.post(f"/api/v1/supervision/items/{pk}/transition/", {"action": "accept"}).json()["status"] == "in_progress"
    )
    env = client_for(users["dept2"])
    assert (
        env.post(f"/api/v1/supervision/items/{pk}/transition/", {"action": "submit_report", "text": "x"}).status_code
        == 400
    )


def test_page_actions_flow(users, client_for, make_item):
    item = make_item()
    office, dept = client_for(users["office"]), client_for(users["dept"])
    office.post(f"/supervision/items/{item.pk}/do/assign/")
    dept.post(f"/supervision/items/{item.pk}/do/accept/")
    dept.post(f"/supervision/items/{item.pk}/do/submit_report/", {"text": "已办理"})
    office.post(f"/supervision/items/{item.pk}/do/start_review/")
    r = office.post(f"/supervision/items/{item.pk}/do/close/", follow=True)
    assert "销号" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "closed"
    r = dept.post(f"/supervision/items/{item.pk}/do/accept/", follow=True)
    assert "不允许" in r.content.decode()


def test_list_query_counts(users, client_for, make_item, django_assert_max_num_queries):
    for i in range(20):
        make_item(title=f"事项{i}", assign_on=D(2017, 1, 20))
    for role in ("office", "dept"):
        c = client_for(users[role])
        with django_assert_max_num_queries(10):
            assert c.get("/supervision/").status_code == 200
        with django_assert_max_num_queries(8):
            assert c.get("/api/v1/supervision/items/").status_code == 200
