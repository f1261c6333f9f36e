"""No lost updates: ETag / If-Match on the API (412 stale, 428 missing), the first value survives."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from qualityplan.ledger.models import Task
from qualityplan.plans.models import Measure, Target

pytestmark = pytest.mark.django_db


def _task(plan, user):
    measure = Measure.objects.filter(plan=plan).first()
    return Task.objects.create(
        plan=plan, measure=measure, unit=user.unit, title="原标题", owner_name="李", deadline=dt.date(2017, 9, 30)
    )


def test_two_stale_task_writes_the_second_gets_412_and_the_first_survives(plan_2017, users, client_for):
    task = _task(plan_2017, users["dept"])
    first, second = client_for(users["dept"]), client_for(users["office"])
    url = f"/api/v1/ledger/tasks/{task.pk}/"
    etag_first = first.get(url).headers["ETag"]
    etag_second = second.get(url).headers["ETag"]
    assert etag_first == etag_second == '"1"'
    r = first.patch(url, {"title": "第一人修改"}, content_type="application/json", HTTP_IF_MATCH=etag_first)
    assert r.status_code == 200 and r.headers["ETag"] == '"2"'
    r = second.patch(url, {"title": "第二人修改"}, content_type="application/json", HTTP_IF_MATCH=etag_second)
    assert r.status_code == 412
    task.refresh_from_db()
    assert task.title == "第一人修改" and task.version == 2


def test_patch_without_if_match_is_428_and_changes_nothing(plan_2017, users, client_for):
    plan_2017.__class__.objects.filter(pk=plan_2017.pk).update(status="draft")  # a published plan is not edited
    target = Target.objects.get(plan=plan_2017, code="T16")
    before = (target.baseline_value, target.version)
    office = client_for(users["office"])
    r = office.patch(f"/api/v1/targets/{target.pk}/", {"baseline_value": "38.5"}, content_type="application/json")
    assert r.status_code == 428
    target.refresh_from_db()
    assert (target.baseline_value, target.version) == before


def test_target_put_and_patch_with_a_fresh_etag(plan_2017, users):
    token = Token.objects.create(user=users["office"])
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    plan_2017.__class__.objects.filter(pk=plan_2017.pk).update(status="draft")  # a published plan is not edited
    target = Target.objects.get(plan=plan_2017, code="T16")
    url = f"/api/v1/targets/{target.pk}/"
    etag = client.get(url).headers["ETag"]
    r = client.patch(url, {"baseline_value": "38.5"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert r.status_code == 200, r.content
    assert r.json()["baseline_value"] in ("38.5", "38.5000", 38.5)
    assert r.headers["ETag"] == f'"{target.version + 1}"'
    r = client.patch(url, {"baseline_value": "40"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert r.status_code == 412


def test_stale_if_match_on_an_action_is_412(plan_2017, users, client_for):
    task = _task(plan_2017, users["dept"])
    dept = client_for(users["dept"])
    task.title = "别人改过"
    task.save()
    r = dept.post(
        f"/api/v1/ledger/tasks/{task.pk}/progress/",
        {"status": "in_progress", "narrative": "进展"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert r.status_code == 412
    assert not task.updates.exists()
