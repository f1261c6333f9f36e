"""Data scope, decided in one place (`RestrictedQuerySet.restrict`): each role × view/change on reference data,
unit-owned rows, rows owned through a relation, province-context rows and public rows (ADR 0002)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from qualityplan.core.querysets import CHANGE, VIEW

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations(units):
    from qualityplan.monitoring.models import Station

    haikou = Station.objects.create(code="S-HK", name="海口站", kind="air", unit=units["460100"])
    qionghai = Station.objects.create(code="S-QH", name="琼海站", kind="air", unit=units["469002"])
    return haikou, qionghai


@pytest.fixture
def tasks(plan_2017, units):
    """Two ledger tasks: one led by QTS, one by Haikou (unit-owned through ``unit``)."""
    from qualityplan.ledger.models import Task

    measure = plan_2017.measures.order_by("order").first()
    common = {"plan": plan_2017, "measure": measure, "owner_name": "张三", "deadline": "2017-06-30"}
    qts = Task.objects.create(unit=units["QTS"], title="质监任务", **common)
    haikou = Task.objects.create(unit=units["460100"], title="海口任务", **common)
    return qts, haikou


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_anonymous_sees_public_rows_only_and_writes_nothing(plan_2017, stations):
    from qualityplan.monitoring.models import Station
    from qualityplan.orgs.models import Unit
    from qualityplan.plans.models import Plan, Target

    anon = AnonymousUser()
    assert _ids(Plan.objects.restrict(anon, VIEW)) == {plan_2017.pk}  # published
    assert Target.objects.restrict(anon, VIEW).count() == plan_2017.targets.count()
    assert not Station.objects.restrict(anon, VIEW).exists()  # no scope_public: nothing
    assert Unit.objects.restrict(anon, VIEW).count() == Unit.objects.count()  # the register is public
    assert not Unit.objects.restrict(anon, CHANGE).exists()
    assert not Plan.objects.restrict(anon, CHANGE).exists()
    assert _ids(Plan.objects.restrict(None, VIEW)) == {plan_2017.pk}  # no user at all: as anonymous

    Plan.objects.filter(pk=plan_2017.pk).update(status="draft")
    assert not Plan.objects.restrict(anon, VIEW).exists()  # drafts are never public


def test_office_reads_and_writes_everything(users, tasks):
    from qualityplan.ledger.models import Task
    from qualityplan.orgs.models import Unit

    office = users["office"]
    assert _ids(Task.objects.restrict(office, CHANGE)) == {t.pk for t in tasks}
    assert Unit.objects.restrict(office, CHANGE).count() == Unit.objects.count()


def test_viewer_reads_all_writes_nothing(users, tasks):
    from qualityplan.ledger.models import Task
    from qualityplan.orgs.models import Unit

    viewer = users["viewer"]
    assert _ids(Task.objects.restrict(viewer, VIEW)) == {t.pk for t in tasks}
    assert not Task.objects.restrict(viewer, CHANGE).exists()
    assert not Unit.objects.restrict(viewer, CHANGE).exists()


def test_inspector_reads_all_and_writes_only_inspection_records(users, tasks, monkeypatch):
    from qualityplan.ledger.models import Task

    inspector = users["inspector"]
    assert _ids(Task.objects.restrict(inspector, VIEW)) == {t.pk for t in tasks}
    assert not Task.objects.restrict(inspector, CHANGE).exists()
    monkeypatch.setattr(Task, "scope_inspector_writes", True, raising=False)
    assert _ids(Task.objects.restrict(inspector, CHANGE)) == {t.pk for t in tasks}


def test_reporters_read_reference_data_and_their_own_rows(users, tasks, units):
    from qualityplan.ledger.models import Task
    from qualityplan.orgs.models import Unit

    qts_task, haikou_task = tasks
    dept, city = users["dept"], users["city"]
    # reference data (no owning unit): everyone signed in reads it, no reporter writes it
    assert Unit.objects.restrict(city, VIEW).count() == Unit.objects.count()
    assert not Unit.objects.restrict(city, CHANGE).exists()
    # unit-owned rows: only their own unit's, for reading and for writing
    assert _ids(Task.objects.restrict(dept, VIEW)) >= {qts_task.pk}
    assert haikou_task.pk not in _ids(Task.objects.restrict(dept, VIEW))
    assert _ids(Task.objects.restrict(city, CHANGE)) == {haikou_task.pk}
    assert qts_task.pk not in _ids(Task.objects.restrict(city, CHANGE))


def test_province_context_rows_are_read_by_every_signed_in_user_but_written_by_their_unit(users, stations):
    from qualityplan.monitoring.models import Station

    haikou, qionghai = stations
    city = users["city"]
    assert _ids(Station.objects.restrict(city, VIEW)) == {haikou.pk, qionghai.pk}  # scope_read_all
    assert _ids(Station.objects.restrict(city, CHANGE)) == {haikou.pk}


def test_a_reporter_without_a_unit_sees_and_writes_no_unit_rows(make_user, tasks):
    from qualityplan.ledger.models import Task
    from qualityplan.orgs.roles import Role

    orphan = make_user("t_orphan", Role.CITY_REPORTER, None)
    assert not Task.objects.restrict(orphan, VIEW).exists()
    assert not Task.objects.restrict(orphan, CHANGE).exists()
