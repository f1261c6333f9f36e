"""Groups of the units register: members named by code, unknown members, a spelling taken twice, and how a stored
group that lost a shipped member is reconciled (kept in add mode, restored by an upgrade).

A three-unit register written here; the expected members, names and report lines are worked out from it by hand.
"""

from __future__ import annotations

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.reconcile import Mode, Reconciliation
from qualityplan.orgs.models import Unit, UnitGroup, UnitName
from qualityplan.orgs.services import units_load_register

pytestmark = pytest.mark.django_db

UNITS = """\
units:
  - {code: "460100", kind: city, name: 海口市, short: 海口}
  - {code: "469002", kind: county, name: 琼海市, short: 琼海}
  - {code: QTS, kind: department, name: 省质监局, aliases: [省质量技术监督局]}
"""


def _register(tmp_path, groups: str):
    path = tmp_path / "units.yaml"
    path.write_text(UNITS + "groups:\n" + groups, encoding="utf-8")
    return path


PAIR = """\
  - {code: PAIR, name: 海口琼海两市, members: ["460100", "469002"]}
  - {code: LOCAL, name: 各市县政府, aliases: [各市县], members: ["kind:city", "kind:county"]}
"""


def _members(code: str) -> list[str]:
    return sorted(UnitGroup.objects.get(code=code).members.values_list("code", flat=True))


def test_members_by_code_and_by_kind(tmp_path):
    # spellings: 海口市 海口, 琼海市 琼海 (a city's or county's short name counts), 省质监局 省质量技术监督局 (a
    # department's alias), 海口琼海两市, 各市县政府 各市县: 2 + 2 + 2 + 1 + 2 = 9
    assert units_load_register(path=_register(tmp_path, PAIR)) == {"units": 3, "groups": 2, "names": 9}
    assert _members("PAIR") == ["460100", "469002"]
    assert _members("LOCAL") == ["460100", "469002"]  # the city and the county; not the department
    assert UnitName.objects.get(name="各市县").group.code == "LOCAL"


def test_an_unknown_member_is_refused_and_nothing_is_stored(tmp_path):
    path = _register(tmp_path, '  - {code: BAD, name: 某某单位, members: ["460100", "469999"]}\n')
    with pytest.raises(ApplicationError, match="Unknown group member '469999'") as exc:
        units_load_register(path=path)
    assert exc.value.extra == {"selector": "469999"}
    assert not Unit.objects.exists() and not UnitGroup.objects.exists()  # all or nothing


def test_a_group_cannot_take_a_units_spelling(tmp_path):
    path = _register(tmp_path, '  - {code: HK, name: 海口, members: ["460100"]}\n')  # 海口 is Haikou's short name
    with pytest.raises(ApplicationError, match="spelling '海口' is used twice") as exc:
        units_load_register(path=path)
    assert exc.value.extra == {"name": "海口"}


def test_a_lost_member_is_kept_out_in_add_mode_and_restored_by_an_upgrade(tmp_path):
    path = _register(tmp_path, PAIR)
    units_load_register(path=path)
    pair = UnitGroup.objects.get(code="PAIR")
    pair.members.remove(Unit.objects.get(code="469002"))  # the office took 琼海 out of the group

    rec = Reconciliation(mode=Mode.ADD)
    units_load_register(path=path, rec=rec)
    assert rec.kept == ["group PAIR: 1 shipped member(s) not in the stored group; stored kept"]
    assert _members("PAIR") == ["460100"]

    rec = Reconciliation(mode=Mode.UPGRADE)
    units_load_register(path=path, rec=rec)
    assert rec.changed == ["group PAIR: 1 member(s) added"] and rec.kept == []
    assert _members("PAIR") == ["460100", "469002"]


def test_an_extra_stored_member_is_removed_only_by_force(tmp_path):
    path = _register(tmp_path, PAIR)
    units_load_register(path=path)
    qts = Unit.objects.get(code="QTS")
    UnitGroup.objects.get(code="PAIR").members.add(qts)

    rec = Reconciliation(mode=Mode.UPGRADE)
    units_load_register(path=path, rec=rec)
    assert rec.refused == [
        f"group PAIR: member unit #{qts.pk}: no longer shipped; kept (bootstrap --upgrade --force removes it)"
    ]
    assert _members("PAIR") == ["460100", "469002", "QTS"]

    rec = Reconciliation(mode=Mode.FORCE)
    units_load_register(path=path, rec=rec)
    assert rec.removed == [f"group PAIR: member unit #{qts.pk}"]
    assert _members("PAIR") == ["460100", "469002"]
