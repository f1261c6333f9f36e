"""UnitRegister: names, aliases, abbreviations by issuer level, groups, unknown."""

from __future__ import annotations

import pytest

from qualityplan.plandoc import UnitRegister, default_register


@pytest.fixture(scope="module")
def register():
    return default_register()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("省质监局", {"unit": "QTS"}),
        ("省质量强省领导小组办公室", {"unit": "OFFICE"}),  # alias
        ("海南省质量技术监督局", {"unit": "QTS"}),
        ("海南省卫生计生委", {"unit": "HEALTH"}),  # 海南省 prefix → 省
        ("各市县政府", {"group": "CITIES_COUNTIES"}),
        ("省质量强省工作领导小组各成员单位", {"group": "LEADING_GROUP_MEMBERS"}),
        ("洋浦经济开发区管委会", {"unit": "YANGPU"}),
        ("三亚", {"unit": "460200"}),
    ],
)
def test_resolve_known_names(register, written, expected):
    got = register.resolve(written, level="province").as_dict()
    assert got["written"] == written
    assert {k: got[k] for k in expected} == expected


def test_abbreviation_resolves_only_for_a_provincial_issuer(register):
    assert register.resolve("质监局", level="province").as_dict()["unit"] == "QTS"
    assert register.resolve("质监局", level="city").as_dict() == {"written": "质监局", "unknown": True}
    assert register.resolve("质监局", level=None).as_dict()["unknown"]


def test_unknown_is_kept_verbatim(register):
    assert register.resolve("省大数据管理局").as_dict() == {"written": "省大数据管理局", "unknown": True}


def test_register_from_plain_dict_and_yaml(tmp_path):
    data = {"units": [{"code": "A", "name": "市质监局", "aliases": ["市质量技术监督局"]}], "groups": []}
    reg = UnitRegister(data)
    assert reg.resolve("市质量技术监督局").code == "A"
    path = tmp_path / "r.yaml"
    path.write_text("units:\n  - {code: A, name: 市质监局}\n", encoding="utf-8")
    assert UnitRegister.from_yaml(path).resolve("市质监局").kind == "unit"
    assert UnitRegister.empty().resolve("市质监局").kind == "unknown"


def test_looks_like_unit(register):
    assert register.looks_like_unit("市水利局")
    assert register.looks_like_unit("各县区政府")
    assert not register.looks_like_unit("由企业自行")
