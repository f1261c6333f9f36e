"""The units register (ADR 0002): what it loads, how written names resolve, the `units` command, users and roles.

Expected figures are counted from the plan's text and GB/T 2260 (../shared/data/hainan-regions-2017.csv), not from the
loader: 19 cities/counties (4 prefecture-level cities, 15 county-level units) plus Yangpu as its own unit.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.models import Unit, UnitGroup, UnitName, User
from qualityplan.orgs.roles import Role
from qualityplan.orgs.selectors import NameResolver, local_government_units, unit_get_by_name_or_code

pytestmark = pytest.mark.django_db


def test_register_has_the_cities_counties_and_yangpu(units):
    assert Unit.objects.filter(kind=UnitKind.CITY).count() == 4  # 海口, 三亚, 三沙, 儋州
    assert Unit.objects.filter(kind=UnitKind.COUNTY).count() == 15
    assert list(Unit.objects.filter(kind=UnitKind.ZONE).values_list("code", flat=True)) == ["YANGPU"]
    assert local_government_units().count() == 20
    assert units["460100"].gb_code == "460100"
    assert units["YANGPU"].gb_code == ""  # Yangpu has no GB/T 2260 code


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("海口市", "460100"),
        ("海口", "460100"),  # cities/counties by their short names
        ("保亭", "469029"),
        ("白沙县", "469025"),
        ("洋浦经济开发区管委会", "YANGPU"),  # the administration is an alias of the unit, never Danzhou
        ("469003", "460400"),  # Danzhou's legacy code
        ("  琼海市  ", "469002"),  # padding is not part of a name
    ],
)
def test_written_names_resolve_to_units(units, written, code):
    hit = NameResolver.load().resolve(written)
    assert hit.unit is not None and hit.unit.code == code
    assert hit.known


def test_collective_names_resolve_to_groups_with_members(units):
    resolver = NameResolver.load()
    hit = resolver.resolve("各市、县、自治县人民政府")
    assert hit.group is not None and hit.group.code == "CITIES_COUNTIES"
    members = set(hit.group.members.values_list("code", flat=True))
    assert len(members) == 19 and "YANGPU" not in members  # the plan's 各市县 are the 19 cities/counties


def test_unknown_names_stay_unresolved(units):
    hit = NameResolver.load().resolve("某某不存在的单位")
    assert not hit.known and hit.written == "某某不存在的单位"
    assert unit_get_by_name_or_code("某某不存在的单位") is None
    assert unit_get_by_name_or_code("469002").name == "琼海市"


def test_provincial_issuer_without_the_province_prefix(units):
    # the plan writes 质监局 where it means 省质监局
    hit = NameResolver.load().resolve("质监局")
    assert hit.unit is not None and hit.unit.code == "QTS"


def test_units_command_reports_and_is_idempotent(units, tmp_path):
    out = io.StringIO()
    call_command("units", "load", stdout=out)
    assert "units: 44" in out.getvalue()
    assert UnitName.objects.filter(name="洋浦开发区").exists()
    before = (Unit.objects.count(), UnitGroup.objects.count(), UnitName.objects.count())
    call_command("units", "load", stdout=io.StringIO())
    assert (Unit.objects.count(), UnitGroup.objects.count(), UnitName.objects.count()) == before


def test_units_command_refuses_a_broken_register(units, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - {code: X1, kind: department}\n", encoding="utf-8")  # no name
    with pytest.raises(CommandError, match="name"):
        call_command("units", "load", str(bad), stdout=io.StringIO())
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        "units:\n  - {code: X1, kind: department, name: 甲局, aliases: [同名]}\n"
        "  - {code: X2, kind: department, name: 乙局, aliases: [同名]}\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="used twice"):
        call_command("units", "load", str(twice), stdout=io.StringIO())
    missing = tmp_path / "missing.yaml"
    with pytest.raises(CommandError, match="cannot read"):
        call_command("units", "load", str(missing), stdout=io.StringIO())


def test_users_and_roles(users):
    assert users["office"].is_office and not users["office"].is_reporter
    assert users["dept"].is_reporter and users["city"].is_reporter
    assert not users["viewer"].is_reporter and not users["viewer"].is_office
    assert set(Role.reporters()) == {Role.DEPT_REPORTER, Role.CITY_REPORTER}
    assert User.objects.filter(role=Role.INSPECTOR).get().unit.code == "QTS"


def test_demo_users_and_logins_command(units):
    from qualityplan.orgs.demo import DEMO_PASSWORD, load_demo

    assert load_demo() == {"users": 8}  # one per role, and the 12345 hotline agent
    assert load_demo() == {"users": 0}  # idempotent
    office = User.objects.get(username="office")
    assert office.check_password(DEMO_PASSWORD) and office.role == Role.OFFICE
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for username in ("office", "qts", "env", "haikou", "qionghai", "inspector", "viewer", "hotline"):
        assert username in text
