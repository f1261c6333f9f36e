"""Scheme validation: the shipped scheme parses; invalid schemes are refused with a message naming the item."""

from pathlib import Path

import pytest
import yaml

from qualityplan.assessment.scheme import CheckContext, SchemeError, parse

SHIPPED = Path(__file__).resolve().parents[1] / "data" / "hainan-2017-scheme.yaml"
TARGETS = {f"T{i:02d}" for i in range(1, 47)}
CTX = CheckContext(target_codes=TARGETS, registry_kinds={"brand_product", "trademark"})


def small(**over):
    data = {
        "code": "t",
        "year": 2017,
        "title": "test",
        "total": 10,
        "bonus_cap": 1,
        "items": [
            {
                "code": "1",
                "title": "目标",
                "points": 6,
                "children": [
                    {"code": "1.1", "title": "空气", "points": 4, "rule": {"type": "attainment", "target": "T15"}},
                    {"code": "1.2", "title": "工程", "points": 2, "rule": {"type": "manual"}},
                ],
            },
            {"code": "2", "title": "任务", "points": 4, "rule": {"type": "ledger_tasks"}},
        ],
        "bonus": [
            {
                "code": "B1",
                "title": "名牌",
                "points": 2,
                "rule": {"type": "registry", "kind": "brand_product", "per_item": 0.5},
            }
        ],
        "veto": [{"code": "V1", "title": "事件"}],
    }
    data.update(over)
    return data


def refuse(data) -> SchemeError:
    with pytest.raises(SchemeError) as exc:
        parse(yaml.safe_dump(data, allow_unicode=True), context=CTX)
    return exc.value


def test_shipped_scheme_is_valid_against_the_2017_plan_targets():
    scheme = parse(SHIPPED.read_text(encoding="utf-8"), context=CheckContext(target_codes=TARGETS))
    assert scheme.total == 100
    assert sum(i.points for i in scheme.items) == 100
    assert [i.code for i in scheme.items] == ["1", "2"]
    assert scheme.item("1").points == 40 and scheme.item("2").points == 60
    assert {v.code for v in scheme.veto} == {"V1", "V2"}
    assert all(i.basis for i in scheme.leaves()), "every rule documents its basis"


def test_small_scheme_parses():
    scheme = parse(small(), context=CTX)
    assert [i.code for i in scheme.leaves()] == ["1.1", "1.2", "2", "B1"]
    assert scheme.item("1.1").level == 2 and scheme.item("1.1").parent == "1"


def test_children_points_not_adding_up_names_the_item():
    data = small()
    data["items"][0]["children"][0]["points"] = 5
    err = refuse(data)
    assert "1「目标」" in err.message and "7" in err.message and "6" in err.message
    assert err.extra["errors"][0]["item"] == "1"


def test_top_level_not_adding_up_to_total():
    err = refuse(small(total=12))
    assert err.extra["errors"][0]["item"] == "total"
    assert "12" in err.message


def test_unknown_rule_names_the_item():
    data = small()
    data["items"][1]["rule"] = {"type": "astrology"}
    err = refuse(data)
    assert "项目 2" in err.message and "astrology" in err.message


def test_rule_pointing_at_missing_target_names_the_item_and_target():
    data = small()
    data["items"][0]["children"][0]["rule"]["target"] = "T99"
    err = refuse(data)
    assert "1.1" in err.message and "T99" in err.message


def test_duplicate_item_code():
    data = small()
    data["items"][0]["children"][1]["code"] = "1.1"
    err = refuse(data)
    assert "1.1" in err.message and "重复" in err.message


def test_leaf_without_rule_and_bonus_without_cap():
    data = small(bonus_cap=0)
    del data["items"][1]["rule"]
    err = refuse(data)
    items = [e["item"] for e in err.extra["errors"]]
    assert "2" in items and "bonus_cap" in items
    assert "另有" in err.message


def test_bad_rule_parameters():
    data = small()
    data["items"][0]["children"][0]["rule"] = {
        "type": "attainment",
        "target": "T15",
        "partial": "stepped",
        "steps": [[0.8, 0.5], [0.9, 0.7]],
    }
    data["bonus"][0]["rule"] = {"type": "registry", "kind": "unicorns"}
    err = refuse(data)
    messages = " ".join(e["message"] for e in err.extra["errors"])
    assert "从高到低" in messages and "unicorns" in messages and "per_item" in messages


def test_manual_only_rules_are_not_bonus_restricted_but_ledger_is():
    data = small()
    data["bonus"].append({"code": "B2", "title": "x", "points": 1, "rule": {"type": "ledger_tasks"}})
    err = refuse(data)
    assert "B2" in err.message and "加分项" in err.message


def test_not_yaml_and_missing_fields():
    with pytest.raises(SchemeError, match="YAML"):
        parse("a: [1, 2", context=CTX)
    with pytest.raises(SchemeError, match="items"):
        parse("code: x\nyear: 2017\ntitle: t\n", context=CTX)


def test_grade_floors_must_be_ordered():
    err = refuse(small(grades={"A": 80, "B": 90, "C": 60}))
    assert err.extra["errors"][0]["item"] == "grades"
