"""Normalisation, numbering, annotations, deadlines and malformed input."""

from __future__ import annotations

import json

import pytest

from qualityplan.plandoc import PlanDocError, default_register, normalize_text, parse_file, parse_text
from qualityplan.plandoc.annotations import parse_annotation
from qualityplan.plandoc.cli import main
from qualityplan.plandoc.deadlines import document_date, find_deadlines
from qualityplan.plandoc.structure import build_tree


def test_normalize_punctuation_spaces_and_broken_lines():
    raw = "1.加强计量工作:开展 “计量惠民” 活动(试点),覆盖率达到９５ ％以上;\r\n同时推进\n检测机构整合改革工作的全面实施和检查。\n2.下一项。"
    text = normalize_text(raw)
    assert text.splitlines()[0] == "1.加强计量工作：开展“计量惠民”活动（试点），覆盖率达到95%以上；"
    assert text.splitlines()[1] == "同时推进检测机构整合改革工作的全面实施和检查。" or "同时推进" in text
    assert text.splitlines()[-1] == "2.下一项。"


def test_numbering_hierarchy_all_levels():
    text = "一、任务\n（一）第一组\n1.事项甲。\n（1）细目。\n①更细。\n②再细。\n（2）细目二。\n2.事项乙。\n二、要求\n"
    roots = build_tree(text)
    numbers = [n.number for r in roots for n in r.walk()]
    assert numbers == [
        "一",
        "一.(一)",
        "一.(一).1",
        "一.(一).1.(1)",
        "一.(一).1.(1).①",
        "一.(一).1.(1).②",
        "一.(一).1.(2)",
        "一.(一).2",
        "二",
    ]


@pytest.mark.parametrize(
    ("content", "lead", "coop"),
    [
        ("责任单位：省质监局。配合单位：省工商局、各市县政府。", ["省质监局"], ["省工商局", "各市县政府"]),
        ("牵头单位：省质监局；配合单位：省工商局，省农业厅", ["省质监局"], ["省工商局", "省农业厅"]),
        ("省质监局、省工商局负责", ["省质监局", "省工商局"], []),
        ("省质监局牵头，省工商局配合", ["省质监局"], ["省工商局"]),
        ("省质监局负责，省工商局、省农业厅配合", ["省质监局"], ["省工商局", "省农业厅"]),
    ],
)
def test_annotation_forms(content, lead, coop):
    ann = parse_annotation(content, default_register())
    assert ann is not None
    assert (ann.lead, ann.cooperating) == (lead, coop)


def test_prose_in_brackets_is_not_an_annotation():
    assert parse_annotation("以下简称“通知”", default_register()) is None
    assert parse_annotation("2013-2020年", default_register()) is None


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("于2017年6月30日和12月5日前报送。", ["2017-06-30", "2017-12-05"]),
        ("6月30日前完成。", ["2017-06-30"]),
        ("二〇一一年六月二十八日前印发。", ["2011-06-28"]),
        ("年底前完成。", ["2017-12-31"]),
        ("上半年完成试点。", ["2017-06-30"]),
        ("年内建成。", ["2017-12-31"]),
        ("三季度末前完成。", ["2017-09-30"]),
        ("9月底前完成。", ["2017-09-30"]),
        ("报送2017年上半年工作总结。", []),
        ("自2017年3月1日起施行。", []),
    ],
)
def test_deadline_forms(text, dates):
    assert [d["date"] for d in find_deadlines(text, 0, len(text), 2017)] == dates


def test_document_date_line():
    assert document_date("二○一○年八月二日") == "2010-08-02"
    assert document_date("2017年2月24日") == "2017-02-24"
    assert document_date("2017年2月30日") is None


def test_empty_text_raises():
    with pytest.raises(PlanDocError):
        parse_text("  \n\n ")


def test_text_without_numbered_items_is_an_empty_plan_with_a_warning():
    plan = parse_text("关于做好质量工作的通知\n请各单位认真做好质量工作。")
    assert plan["measures"] == [] and plan["targets"] == []
    assert plan["warnings"] and "no numbered items" in plan["warnings"][0]


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02\x03binary\x00", b"PK\x03\x04not really a docx"],
)
def test_malformed_files_raise_plandoc_error(tmp_path, content):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(PlanDocError):
        parse_file(path)


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("测试计划\n一、任务\n（一）加强计量工作。（省质监局负责）\n".encode("gb18030"))
    plan = parse_file(path)
    assert plan["measures"][0]["lead_units"] == ["省质监局"]


def test_cli_json_yaml_explain_and_errors(tmp_path, capsys):
    seed = str(__import__("pathlib").Path(__file__).parent / "data" / "hainan-2017-action-plan.txt")
    assert main(["parse", seed, "--no-source"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert len(plan["measures"]) == 33 and "text" not in plan["source"]
    assert main(["parse", seed, "--format", "yaml"]) == 0
    assert capsys.readouterr().out.startswith("format: qualityplan.plan/1")
    assert main(["parse", seed, "--explain"]) == 0
    out = capsys.readouterr().out
    assert "三.(二).4 抓好水产品质量提升行动" in out and "<- " in out
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["parse", str(empty)]) == 2
    assert "empty document" in capsys.readouterr().err
    assert main(["parse", str(tmp_path / "missing.txt")]) == 2
    assert main(["parse", seed, "--units", str(tmp_path / "missing.yaml")]) == 2
