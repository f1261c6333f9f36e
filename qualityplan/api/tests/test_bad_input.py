"""Malformed input is a 400 naming the field, never a 500; control characters are refused and never break exports."""

from __future__ import annotations

import datetime as dt

import pytest

from qualityplan.ledger.models import Task
from qualityplan.plans.models import Measure

pytestmark = pytest.mark.django_db


def test_task_list_with_a_non_numeric_unit_is_400_naming_unit(users, client_for, plan_2017):
    office = client_for(users["office"])
    r = office.get("/api/v1/ledger/tasks/", {"unit": "abc"})
    assert r.status_code == 400 and "unit" in r.json()
    r = office.get("/api/v1/ledger/tasks/", {"measure": "99999999999999999999"})
    assert r.status_code == 400 and "measure" in r.json()
    r = office.get("/api/v1/ledger/tasks/", {"status": "nonsense"})
    assert r.status_code == 400 and "status" in r.json()
    assert office.get("/api/v1/ledger/tasks/", {"overdue": "1", "q": "质量"}).status_code == 200
    page = office.get("/ledger/", {"unit": "abc"})
    assert page.status_code == 400


def test_open_submission_with_period_0000_is_400_naming_period(users, client_for, plan_2017):
    city = client_for(users["city"])
    for period in ("0000", "2017Q9", "abcd", "2017-13"):
        r = city.post("/api/v1/indicators/submissions/open/", {"period": period}, content_type="application/json")
        assert r.status_code == 400, (period, r.content)
        assert "period" in r.json()


def test_a_json_body_that_is_not_an_object_is_400(users, client_for, plan_2017):
    office = client_for(users["office"])
    for body in ("[]", "1", '"x"', "null"):
        r = office.post("/api/v1/indicators/submissions/1/return/", body, content_type="application/json")
        assert r.status_code == 400, (body, r.content)
        assert "non_field_errors" in r.json()
    r = office.post("/api/v1/indicators/submissions/1/return/", "{", content_type="application/json")
    assert r.status_code == 400


def test_control_characters_are_refused_naming_the_field(users, client_for, plan_2017):
    dept = client_for(users["dept"])
    measure = Measure.objects.restrict(users["dept"]).filter(plan=plan_2017).first()
    before = Task.objects.count()
    r = dept.post(
        "/api/v1/ledger/tasks/",
        {"measure": measure.pk, "title": "坏\x01标题", "owner_name": "李", "deadline": "2017-09-30"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "title" in r.json(), r.content
    r = dept.post(
        "/api/v1/ledger/tasks/",
        {
            "measure": measure.pk,
            "title": "好标题",
            "owner_name": "李",
            "deadline": "2017-09-30",
            "parts": [{"unit": 1, "description": "x\x7f"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "parts.0.description" in r.json(), r.content
    assert Task.objects.count() == before


def test_a_control_character_already_stored_does_not_break_the_export(users, client_for, plan_2017):
    measure = Measure.objects.filter(plan=plan_2017).first()
    Task.objects.create(
        plan=plan_2017,
        measure=measure,
        unit=users["dept"].unit,
        title="旧数据\x0b标题",
        owner_name="李\x01",
        deadline=dt.date(2017, 9, 30),
    )
    for user in (users["office"], users["dept"]):
        r = client_for(user).get("/ledger/export.xlsx")
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
