"""Shared pytest fixtures (loaded by the root conftest.py): units register, the Hainan 2017 plan, a user per role.

Pure packages (standards, plandoc) have their own conftest and need none of this.
"""

from __future__ import annotations

import pytest

from qualityplan.orgs.roles import Role

PASSWORD = "test-pass-2017"


@pytest.fixture
def units(db):
    from qualityplan.orgs.models import Unit
    from qualityplan.orgs.services import units_load_register

    units_load_register()
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def plan_2017(units):
    from qualityplan.ops.management.commands.bootstrap import PLANS_DIR
    from qualityplan.plans import interchange
    from qualityplan.plans.services import plan_load

    plan, _ = plan_load(data=interchange.read_plan_file(PLANS_DIR / "hainan-2017.json"))
    return plan


@pytest.fixture
def make_user(units):
    from qualityplan.orgs.models import User

    def _make(username: str, role: str, unit_code: str | None):
        user = User.objects.create(username=username, role=role, unit=units.get(unit_code) if unit_code else None)
        user.set_password(PASSWORD)
        user.save()
        return user

    return _make


@pytest.fixture
def users(make_user):
    """One user per role: office, dept (QTS), dept2 (ENV), city (Haikou), county (Qionghai), inspector, viewer."""
    return {
        "office": make_user("t_office", Role.OFFICE, "OFFICE"),
        "dept": make_user("t_qts", Role.DEPT_REPORTER, "QTS"),
        "dept2": make_user("t_env", Role.DEPT_REPORTER, "ENV"),
        "city": make_user("t_haikou", Role.CITY_REPORTER, "460100"),
        "county": make_user("t_qionghai", Role.CITY_REPORTER, "469002"),
        "inspector": make_user("t_inspector", Role.INSPECTOR, "QTS"),
        "viewer": make_user("t_viewer", Role.VIEWER, "OFFICE"),
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)``: a Django test client logged in as ``user``."""
    from django.test import Client

    def _client(user):
        c = Client()
        c.force_login(user)
        return c

    return _client
