"""Pages and API within each role's scope: a unit never sees another unit's tasks."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from qualityplan.ledger import services
from qualityplan.ledger.models import Summary

D = dt.date


@pytest.fixture
def two_tasks(make_task, users, plan_2017):
    """A QTS task with an ENV part, and an AGRI-like second unit's task created by the office."""
    from qualityplan.plans.models import Measure

    qts = make_task(title="质监局的任务")
    agri_measure = Measure.objects.filter(
        plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="AGRI"
    )[0]
    agri = services.task_create(
        user=users["office"],
        unit=agri_measure.responsibilities.filter(unit__code="AGRI").first().unit,
        measure=agri_measure,
        title="农业厅的任务",
        owner_name="农",
        deadline=D(2017, 8, 1),
    )
    return qts, agri


def test_pages_render_for_every_role(users, client_for, two_tasks, plan_2017):
    services.summaries_create_expected(plan=plan_2017)
    qts, _ = two_tasks
    for role in ("office", "dept", "dept2", "city", "viewer"):
        c = client_for(users[role])
        for url in ("/ledger/", "/ledger/parts/", "/ledger/summaries/", "/ledger/board/"):
            assert c.get(url).status_code == 200, (role, url)
    assert client_for(users["office"]).get("/ledger/tasks/new/").status_code == 200
    assert client_for(users["dept"]).get("/ledger/tasks/new/").status_code == 200


def test_unit_never_sees_other_units_tasks_pages(users, client_for, two_tasks):
    qts, agri = two_tasks
    dept = client_for(users["dept"])  # QTS
    body = dept.get("/ledger/").content.decode()
    assert "质监局的任务" in body and "农业厅的任务" not in body
    assert dept.get(f"/ledger/tasks/{agri.pk}/").status_code == 404
    # the cooperating unit (ENV) sees the QTS task through its part, but not the AGRI task
    env = client_for(users["dept2"])
    body = env.get("/ledger/").content.decode()
    assert "质监局的任务" in body and "农业厅的任务" not in body
    assert env.get(f"/ledger/tasks/{qts.pk}/").status_code == 200
    assert "质监局的任务" in env.get("/ledger/parts/").content.decode()
    city = client_for(users["city"])
    assert "质监局的任务" not in city.get("/ledger/").content.decode()
    assert city.get(f"/ledger/tasks/{qts.pk}/").status_code == 404
    office = client_for(users["office"]).get("/ledger/").content.decode()
    assert "质监局的任务" in office and "农业厅的任务" in office


def test_unit_never_sees_other_units_tasks_api(users, client_for, two_tasks):
    qts, agri = two_tasks
    dept = client_for(users["dept"])
    titles = [t["title"] for t in dept.get("/api/v1/ledger/tasks/").json()["results"]]
    assert titles == ["质监局的任务"]
    assert dept.get(f"/api/v1/ledger/tasks/{agri.pk}/").status_code == 404
    assert (
        dept.post(f"/api/v1/ledger/tasks/{agri.pk}/progress/", {"status": "done", "narrative": "x"}).status_code == 404
    )
    city = client_for(users["city"])
    assert city.get("/api/v1/ledger/tasks/").json()["results"] == []
    assert city.get("/api/v1/ledger/parts/").json()["results"] == []
    env = client_for(users["dept2"])
    assert [p["unit_code"] for p in env.get("/api/v1/ledger/parts/").json()["results"]] == ["ENV"]
    # ENV may report on its part but not on the task itself
    part = qts.parts.get()
    ok = env.post(
        f"/api/v1/ledger/tasks/{qts.pk}/progress/", {"status": "on_track", "narrative": "数据", "part": part.pk}
    )
    assert ok.status_code == 201
    denied = env.post(f"/api/v1/ledger/tasks/{qts.pk}/progress/", {"status": "done", "narrative": "x"})
    assert denied.status_code == 400 and "牵头单位" in denied.json()["message"]
    assert len(client_for(users["office"]).get("/api/v1/ledger/tasks/").json()["results"]) == 2


def test_api_create_task_and_progress(users, client_for, qts_measure, units):
    c = client_for(users["dept"])
    r = c.post(
        "/api/v1/ledger/tasks/",
        {
            "measure": qts_measure.pk,
            "title": "接口创建",
            "owner_name": "李",
            "deadline": "2017-09-30",
            "milestones": [{"title": "起草", "due_date": "2017-06-30"}],
            "parts": [{"unit": units["ENV"].pk, "description": "配合"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["parts"][0]["unit_code"] == "ENV" and len(r.json()["milestones"]) == 1
    task_id = r.json()["id"]
    r = c.post(f"/api/v1/ledger/tasks/{task_id}/progress/", {"status": "cancelled", "narrative": "x"})
    assert r.status_code == 400 and r.json()["extra"]["field"] == "reason"
    etag = c.get(f"/api/v1/ledger/tasks/{task_id}/").headers["ETag"]
    r = c.patch(
        f"/api/v1/ledger/tasks/{task_id}/",
        {"deadline": "2017-10-31"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert r.status_code == 200 and r.json()["deadline"] == "2017-10-31"


def test_summary_scope_and_board_api(users, client_for, plan_2017):
    services.summaries_create_expected(plan=plan_2017)
    city = client_for(users["city"])
    rows = city.get("/api/v1/ledger/summaries/").json()["results"]
    assert {r["unit_code"] for r in rows} == {"460100"}
    other = Summary.objects.filter(unit=users["county"].unit).first()
    assert city.get(f"/api/v1/ledger/summaries/{other.pk}/").status_code == 404
    assert city.get(f"/ledger/summaries/{other.pk}/").status_code == 404
    mine = rows[0]["id"]
    assert (
        city.post(f"/api/v1/ledger/summaries/{mine}/submit/", {"text": "总结", "next_year_plan": "计划"}).status_code
        == 200
    )
    office = client_for(users["office"])
    r = office.post(f"/api/v1/ledger/summaries/{mine}/return/", {"reason": "内容不全"})
    assert r.status_code == 200 and r.json()["status"] == "returned"
    board = office.get("/api/v1/ledger/summaries/board/").json()
    assert board["counts"]["returned"] == 1


def test_summary_page_submit_and_office_return(users, client_for, plan_2017):
    services.summaries_create_expected(plan=plan_2017)
    s = Summary.objects.get(unit=users["city"].unit, kind="half_year")
    city = client_for(users["city"])
    assert city.post(f"/ledger/summaries/{s.pk}/", {"action": "submit", "text": "上半年"}).status_code == 302
    s.refresh_from_db()
    assert s.status == "submitted"
    office = client_for(users["office"])
    office.post(f"/ledger/summaries/{s.pk}/", {"action": "return", "reason": "补充数据"})
    s.refresh_from_db()
    assert s.status == "returned"
    assert "退回待重报" in office.get("/ledger/board/").content.decode()


def test_task_page_progress_with_evidence(users, client_for, two_tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    qts, _ = two_tasks
    c = client_for(users["dept"])
    r = c.post(
        f"/ledger/tasks/{qts.pk}/",
        {"status": "on_track", "narrative": "起草完成", "files": [SimpleUploadedFile("a.pdf", b"%PDF")]},
    )
    assert r.status_code == 302
    page = c.get(f"/ledger/tasks/{qts.pk}/").content.decode()
    assert "起草完成" in page and "a" in page
    bad = c.post(
        f"/ledger/tasks/{qts.pk}/",
        {"status": "on_track", "narrative": "x", "files": [SimpleUploadedFile("a.exe", b"x")]},
    )
    assert bad.status_code == 200 and "不允许" in bad.content.decode()


def test_exports_are_scoped(users, client_for, two_tasks):
    import io

    def titles(resp):
        ws = load_workbook(io.BytesIO(resp.content))["任务台账"]
        return [row[3] for row in ws.iter_rows(min_row=3, values_only=True)]

    assert titles(client_for(users["dept"]).get("/ledger/export.xlsx?unit=999")) == ["质监局的任务"]
    assert sorted(titles(client_for(users["office"]).get("/ledger/export.xlsx"))) == ["农业厅的任务", "质监局的任务"]


def test_task_list_query_count(users, client_for, make_task, django_assert_max_num_queries):
    for i in range(30):
        make_task(title=f"任务{i}")
    c = client_for(users["dept"])
    with django_assert_max_num_queries(12):
        assert c.get("/ledger/").status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/ledger/tasks/").status_code == 200
