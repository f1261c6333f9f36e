"""Further documents in other real formats: counts and the forms each one exercises."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualityplan.plandoc import UnitRegister, parse_file

DATA = Path(__file__).parent / "data"

ZHANGYE_REGISTER = {
    "province": {"code": "620700", "name": "张掖市"},
    "units": [
        {"code": "QTS", "name": "市质监局", "short": "质监局", "aliases": ["张掖市质量技术监督局"]},
        {"code": "MIIT", "name": "市工信委"},
        {"code": "AGRI", "name": "市农牧局"},
        {"code": "SAIC", "name": "市工商局"},
        {"code": "FDA", "name": "市食品药品监管局"},
        {"code": "HEALTH", "name": "市卫生局"},
    ],
    "groups": [{"code": "COUNTIES", "name": "各县区政府", "aliases": ["各县（区）人民政府"]}],
}


def _parse(name: str, register: UnitRegister | None = None) -> dict:
    return parse_file(DATA / name, register=register)


def _targets(plan: dict) -> list[tuple]:
    return [(t["where"], t["indicator"], t["comparator"], t["value"], t["unit"]) for t in plan["targets"]]


def _spans_ok(plan: dict) -> None:
    text = plan["source"]["text"]
    for t in plan["targets"]:
        assert text[t["span"][0] : t["span"][1]] == t["text"]
    for d in plan["deadlines"]:
        assert text[d["original_span"][0] : d["original_span"][1]] == d["original"]


def test_zhangye_city_plan_with_lead_and_cooperating_labels():
    plan = _parse("zhangye-2011-quality-revitalization.txt", UnitRegister(ZHANGYE_REGISTER))
    assert (plan["title"], plan["issuer"], plan["date"], plan["year"]) == (
        "张掖市推进质量振兴工作方案",
        "张掖市人民政府办公室",
        "2011-06-28",
        2011,
    )
    assert plan["source"]["issuer_level"] == "city"
    assert _targets(plan) == [
        ("一", "全市主要产品质量国家监督抽查合格率", ">=", 90, "%"),
        ("一", "重点食品安全监测抽检合格率", ">=", 95, "%"),
        ("一", "主要农产品质量安全例行监测合格率", "=", 96, "%"),
        ("一", "规模以上工业企业质量损失率", "<=", 2.5, "%"),
        ("一", "重大质量安全事故发生起数", "=", 0, None),
        ("二.(三)", "中国名牌产品", ">=", 3, "个"),
        ("二.(三)", "甘肃名牌产品", ">=", 10, "个"),
        ("二.(三)", "张掖名牌产品", ">=", 20, "个"),
        ("二.(四)", "新建农业标准化示范区数", ">=", 5, "个"),
        ("二.(四)", "无公害农产品产地认定面积", ">=", 150, "万亩"),
    ]
    approx = plan["targets"][2]
    assert "approximate" in approx["flags"]
    ranged = plan["targets"][5]
    assert ranged["value_max"] == 5 and ranged["uncertain"]
    measures = {m["number"]: m for m in plan["measures"]}
    assert list(measures) == ["二.(一)", "二.(二)", "二.(三)", "二.(四)", "二.(五)"]
    assert measures["二.(三)"]["lead_units"] == ["市质监局"]
    assert measures["二.(三)"]["cooperating_units"] == ["市工信委", "市农牧局", "市工商局"]
    assert measures["二.(五)"]["cooperating_units"] == ["市卫生局", "市质监局", "市工商局", "市农牧局"]
    assert "open_list" in measures["二.(五)"]["flags"]
    assert measures["二.(一)"]["lead_resolved"] == [
        {"written": "各县区政府", "group": "COUNTIES", "name": "各县区政府"}
    ]
    assert not any("unknown_unit" in m["flags"] for m in plan["measures"])
    assert [(d["date"], d["where"], d["original"]) for d in plan["deadlines"]] == [
        ("2011-12-31", "二.(二)", "2011年底前"),
        ("2011-09-30", "二.(五)", "9月底前"),
        ("2011-07-15", "三.(一)", "7月15日前"),
        ("2011-12-31", "三.(二)", "年底前"),
    ]
    assert plan["deadlines"][3]["uncertain"]  # 每年年底前: recurring
    _spans_ok(plan)


def test_zhangye_with_the_hainan_register_keeps_unknown_units_verbatim():
    plan = _parse("zhangye-2011-quality-revitalization.txt")
    m = plan["measures"][2]
    assert m["lead_units"] == ["市质监局"]
    assert m["lead_resolved"] == [{"written": "市质监局", "unknown": True}]
    assert "unknown_unit" in m["flags"]
    assert any(w.startswith("unknown units") for w in plan["warnings"])


def test_beihai_task_division_first_listed_leads_and_prose_forms():
    plan = _parse("beihai-2010-task-division.txt")
    assert (plan["issuer"], plan["date"], plan["year"]) == ("北海市人民政府", "2010-08-02", 2010)
    got = {m["number"]: (m["lead_units"], m["cooperating_units"]) for m in plan["measures"]}
    assert got == {
        "一.(一)": (["北海市人民政府"], ["合浦县人民政府"]),
        "一.(二)-1": (["市发展改革委"], ["市财政局"]),
        "一.(二)-2": (["市财政局"], []),
        "一.(三)": (["市工业和信息化委"], ["市质监局", "市商务局"]),  # units on their own line
        "二.(一)": (["市质监局"], ["市工商局", "市食品药品监管局"]),  # A牵头，B配合
        "二.(二)": (["市住房城乡建设委"], ["市交通运输局", "市水利局"]),  # bare list in brackets
        "二.(三)": (["市旅游局"], ["市商务局", "市卫生局"]),  # split by 、 and ，, trailing 等
        "三.(一)": (["市质监局"], ["市农业局", "市海洋局"]),
        "三.(二)": (["市质监局"], []),
    }
    flags = {m["number"]: m["flags"] for m in plan["measures"]}
    assert "several_annotations" in flags["一.(二)-1"] and "first_listed_leads" in flags["一.(三)"]
    assert "open_list" in flags["二.(三)"]
    targets = _targets(plan)
    assert ("一.(三)", "主要工业产品质量抽查合格率", ">=", 90, "%") in targets
    assert ("一.(三)", "优等品率", ">=", 60, "%") in targets  # 分别达到…和…
    assert ("二.(一)", "万元GDP质量损失率", "<=", 0.5, "%") in targets  # 不超过
    assert ("二.(二)", "市政工程优良率", "=", 60, "%") in targets  # 左右
    assert len(targets) == 11
    assert [(d["date"], d["original"]) for d in plan["deadlines"]] == [
        ("2010-06-30", "上半年"),
        ("2010-12-31", "年内"),
        ("2010-12-31", "2010年12月31日前"),
    ]
    _spans_ok(plan)


def test_hainan_2018_workpoints_abbreviations_and_levels():
    plan = _parse("hainan-2018-quality-workpoints.txt")
    assert (plan["title"], plan["issuer"], plan["date"], plan["year"]) == (
        "2018年海南省质量强省工作要点",
        "海南省质量强省工作领导小组办公室",
        "2018-03-16",
        2018,
    )
    resolved = {m["number"]: [r.get("unit") or r.get("group") for r in m["lead_resolved"]] for m in plan["measures"]}
    assert resolved == {
        "二.(一).1": ["QTS", "MIIT"],  # 质监局 → 省质监局 (provincial issuer)
        "二.(一).2": ["FDA"],
        "二.(一).3": ["TOURISM", "COMMERCE"],
        "二.(二).1.(1)": ["QTS", "AGRI"],
        "二.(二).1.(2)": ["QTS"],
        "二.(二).2.①": ["QTS"],
        "二.(二).2.②": ["QTS", "CIQ", "DRC", "460200"],
    }
    m2 = plan["measures"][1]
    assert m2["cooperating_units"] == ["省农业厅", "省卫计委"]
    assert [r["unit"] for r in m2["cooperating_resolved"]] == ["AGRI", "HEALTH"]
    assert plan["measures"][0]["lead_resolved"][0]["via"] == "short"
    targets = {t["indicator"]: t for t in plan["targets"]}
    noisy = targets["药品抽检合格率"]
    assert noisy["value"] == 98.5 and noisy["uncertain"] and "noisy_number" in noisy["flags"]
    assert targets["食品安全抽检合格率"]["value"] == 97.5  # "97.5 %以上": stray space
    assert (targets["旅游投诉结案率"]["value"], targets["按时办结率"]["value"]) == (95, 98)
    assert (targets["PM2.5年均浓度"]["comparator"], targets["PM2.5年均浓度"]["unit"]) == ("<=", "微克/立方米")
    assert targets["城镇污水处理率"]["comparator"] == "qualitative"
    assert targets["检查集贸市场计量器具数"]["comparator"] == ">="  # 1000台（件）以上
    assert len(plan["targets"]) == 17
    assert [d["date"] for d in plan["deadlines"]] == [
        "2018-06-30",
        "2018-06-30",
        "2018-12-31",
        "2018-12-31",
        "2018-09-30",
        "2018-12-10",
    ]
    assert plan["warnings"] == []
    _spans_ok(plan)


def test_document_without_annotations_still_gives_measures():
    plan = _parse("danzhou-2019-no-annotations.txt")
    assert [m["number"] for m in plan["measures"]] == ["二.(一)", "二.(二)", "二.(三)", "二.(四)"]
    assert all(m["lead_units"] == [] and "no_units" in m["flags"] for m in plan["measures"])
    assert any("no responsibility annotations" in w for w in plan["warnings"])
    assert ("一", "制造业产品质量合格率", ">=", 93, "%") in _targets(plan)
    assert [d["date"] for d in plan["deadlines"]] == ["2019-12-31", "2019-12-31", "2019-12-20"]


@pytest.mark.parametrize(
    "name",
    ["zhangye-2011-quality-revitalization.txt", "beihai-2010-task-division.txt", "hainan-2018-quality-workpoints.txt"],
)
def test_docx_reads_like_text(tmp_path, name):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / (name + ".docx")
    document.save(str(path))
    from_docx, from_txt = parse_file(path), parse_file(DATA / name)
    assert _targets(from_docx) == _targets(from_txt)
    assert [(m["number"], m["lead_units"]) for m in from_docx["measures"]] == [
        (m["number"], m["lead_units"]) for m in from_txt["measures"]
    ]
