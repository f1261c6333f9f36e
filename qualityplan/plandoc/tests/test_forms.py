"""Issue 20: the forms of responsibility, numbering, deadlines and targets met in real plan documents.

Each test is a short text in the form the issue names; the expected readings are worked by hand from the text.
"""

import docx
import pytest

from qualityplan.plandoc import parse_file, parse_text
from qualityplan.plandoc.tables import table_lines

HEAD = "某市人民政府关于印发某市质量提升工作方案的通知\n某市人民政府\n2023年3月1日\n某市质量提升工作方案\n"


def measures(plan):
    return [(m["number"], m["lead_units"], m["cooperating_units"]) for m in plan["measures"]]


def test_plain_list_without_lead_marker_all_responsible():
    plan = parse_text(
        HEAD + "一、主要任务\n（一）加强标准化建设（市市场监管局、市发展改革委、市工业和信息化局负责）。\n"
    )
    assert measures(plan) == [("一.(一)", ["市市场监管局", "市发展改革委", "市工业和信息化局"], [])]


def test_first_listed_leads_convention_holds_for_later_measures():
    text = (
        HEAD + "一、主要任务\n（一）加强标准化建设（市市场监管局、市发展改革委负责，列第一位者为牵头单位，下同）。\n"
        "（二）实施品牌战略（市商务局、市文旅局、各区政府负责）。\n"
    )
    assert measures(parse_text(text)) == [
        ("一.(一)", ["市市场监管局"], ["市发展改革委"]),
        ("一.(二)", ["市商务局"], ["市文旅局", "各区政府"]),
    ]


def test_first_responsible_unit_leads_variant():
    text = HEAD + "一、措施\n（一）推进项目建设。\n责任单位：市发改委、市财政局（第一责任单位为牵头单位，下同）\n"
    assert measures(parse_text(text)) == [("一.(一)", ["市发改委"], ["市财政局"])]


def test_labelled_fields_keep_collective_names_as_written():
    text = (
        HEAD
        + "一、任务\n（一）开展质量提升行动（牵头单位：市市场监管局，配合单位：市工信局、市住建局，各区、县级市）。\n"
    )
    assert measures(parse_text(text)) == [
        ("一.(一)", ["市市场监管局"], ["市工信局", "市住建局", "各区、县级市"]),
    ]


def test_responsible_then_cooperating_labels_and_bracket_kinds():
    text = (
        HEAD + "一、任务\n（一）加强市场体系建设。〔责任单位：省发展改革委、省市场监管局按职责分工负责。具体任务均涉及"
        "相关市（州）人民政府，不再做分工，下同。〕\n（二）优化准入环境。【责任单位：省市场监管局；配合单位：省商务厅等】\n"
    )
    plan = parse_text(text)
    assert measures(plan) == [
        ("一.(一)", ["省发展改革委", "省市场监管局"], []),
        ("一.(二)", ["省市场监管局"], ["省商务厅"]),
    ]
    assert "open_list" in plan["measures"][1]["flags"]


def test_prose_lead_and_cooperating_on_own_line():
    text = HEAD + "一、治理畜牧业产品污染\n由乡三农服务中心承办，乡畜牧站、卫生院配合。\n"
    assert measures(parse_text(text)) == [("一", ["乡三农服务中心"], ["乡畜牧站", "卫生院"])]


def test_heading_units_hold_for_the_items_below():
    text = HEAD + "一、强化科技创新（区科技局牵头）\n（一）加强平台建设。\n（二）培育科技企业。\n"
    assert measures(parse_text(text)) == [("一.(一)", ["区科技局"], []), ("一.(二)", ["区科技局"], [])]


def test_chapter_section_article_numbering_nested():
    text = (
        HEAD + "第一章 总体要求\n第一条 到2025年，制造业产品质量合格率达到95%以上。\n第二章 主要任务\n第一节 产品质量\n"
        "第二条 加强标准化建设（市市场监管局牵头，市发展改革委配合）。\n"
    )
    plan = parse_text(text)
    assert measures(plan) == [("第二章.第一节.第二条", ["市市场监管局"], ["市发展改革委"])]
    (t,) = [t for t in plan["targets"] if t["value"] is not None]
    assert (t["where"], t["comparator"], t["value"], t["unit"], t["year"]) == ("第一章.第一条", ">=", 95, "%", 2025)


@pytest.mark.parametrize(
    ("words", "kind", "date", "date_from"),
    [
        ("6月中旬", "range", "2023-06-20", "2023-06-11"),
        ("9月底前", "date", "2023-09-30", None),
        ("年底前", "date", "2023-12-31", None),
        ("年内", "date", "2023-12-31", None),
        ("上半年", "date", "2023-06-30", None),
    ],
)
def test_deadline_words(words, kind, date, date_from):
    plan = parse_text(HEAD + f"一、任务\n（一）完成质量状况分析报告，{words}完成（市市场监管局负责）。\n")
    (d,) = plan["deadlines"]
    assert (d["kind"], d["date"], d.get("date_from")) == (kind, date, date_from)


@pytest.mark.parametrize("words", ["长期坚持", "持续推进"])
def test_ongoing_deadline_in_a_time_field(words):
    plan = parse_text(HEAD + f"一、任务\n（一）深化改革。\n责任单位：市发改委\n时限要求：{words}\n")
    (d,) = plan["deadlines"]
    assert (d["kind"], d["date"], d["original"], d["where"], d["what"]) == (
        "ongoing",
        None,
        words,
        "一.(一)",
        "深化改革",
    )


def test_ongoing_words_in_prose_are_not_deadlines():
    plan = parse_text(HEAD + "一、任务\n（一）持续推进质量提升行动（市市场监管局负责）。\n")
    assert plan["deadlines"] == []


def test_month_without_yue_read_as_month_end_and_flagged():
    plan = parse_text(HEAD + "一、目标\n2022年8底前，各项指标全部达标。\n二、任务\n（一）创建工作（区农业局负责）。\n")
    (d,) = plan["deadlines"]
    assert d["date"] == "2022-08-31" and d["uncertain"]


def test_notice_deadlines_before_the_plan():
    text = (
        "某省质量强省办关于印发分工方案的通知\n请各单位于3月16日前将联络表报省质量强省办。\n某省质量强省工作领导小组\n"
        "2018年3月13日\n某省质量提升分工方案\n一、任务\n（一）开展行动（省市场监管局负责）。\n"
    )
    dates = [d["date"] for d in parse_text(text)["deadlines"]]
    assert dates == ["2018-03-16"]


@pytest.mark.parametrize(
    ("sentence", "comparator", "value", "value_max", "unit"),
    [
        ("到2020年，农产品质量安全监测合格率达到98%以上。", ">=", 98, None, "%"),
        ("城镇居民人均可支配收入占比提高2个百分点。", "increase_by", 2, None, "个百分点"),
        ("PM2.5年均浓度控制在35微克/立方米以内。", "<=", 35, None, "微克/立方米"),
        ("新增省级名牌产品10个。", ">=", 10, None, "个"),
        ("力争培育8—10个百亿企业。", ">=", 8, 10, "个"),
        ("食品抽检合格率不低于97%。", ">=", 97, None, "%"),
        ("制造业质量竞争力指数稳定在83以上。", ">=", 83, None, None),
    ],
)
def test_target_forms(sentence, comparator, value, value_max, unit):
    plan = parse_text(HEAD + "一、主要目标\n" + sentence + "\n二、任务\n（一）开展行动（市市场监管局负责）。\n")
    t = next(t for t in plan["targets"] if t["value"] is not None)
    assert (t["comparator"], t["value"], t.get("value_max"), t["unit"]) == (comparator, value, value_max, unit)


def test_several_figures_in_one_sentence_and_a_baseline_year():
    plan = parse_text(
        HEAD + "一、主要目标\n到2020年，单位地区生产总值能耗比2015年下降15%，主要工业产品合格率达到93%，"
        "培育名牌产品20个。\n二、任务\n（一）开展行动（市市场监管局负责）。\n"
    )
    got = [(t["comparator"], t["value"], t["unit"], t.get("baseline_year"), t.get("year")) for t in plan["targets"]]
    assert got == [
        ("reduce_by", 15, "%", 2015, 2020),
        (">=", 93, "%", None, 2020),
        ("=", 20, "个", None, 2020),
    ]
    assert plan["targets"][0]["indicator"] == "单位地区生产总值能耗"


def test_table_rows_become_measures_with_merged_and_continuation_rows():
    rows = [
        ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
        ["一、产品质量", "一、产品质量", "一、产品质量", "一、产品质量", "一、产品质量"],  # merged group row
        ["1", "开展质量提升行动", "市市场监管局", "市工信局、", "2023年6月底前"],
        ["", "", "", "各区政府", ""],  # continuation after a page break
        ["2", "推进标准化建设", "市市场监管局", "市农业农村局", "长期坚持"],
    ]
    assert table_lines(rows) == [
        "一、产品质量",
        "1.开展质量提升行动。",
        "牵头单位：市市场监管局",
        "配合单位：市工信局，各区政府",
        "完成时限：2023年6月底前",
        "2.推进标准化建设。",
        "牵头单位：市市场监管局",
        "配合单位：市农业农村局",
        "完成时限：长期坚持",
    ]


def test_docx_task_division_table(tmp_path):
    d = docx.Document()
    d.add_paragraph("某市人民政府办公室关于印发重点任务分工的通知")
    d.add_paragraph("某市人民政府办公室")
    d.add_paragraph("2023年2月1日")
    d.add_paragraph("某市质量工作重点任务分工方案")
    table = d.add_table(rows=0, cols=4)
    for row in (
        ["序号", "重点任务", "责任单位", "完成时间"],
        ["1", "开展质量月活动", "市市场监管局、市委宣传部", "9月底前"],
        ["2", "推进品牌建设", "市商务局", "持续推进"],
    ):
        cells = table.add_row().cells
        for c, v in zip(cells, row, strict=True):
            c.text = v
    path = tmp_path / "t.docx"
    d.save(path)
    plan = parse_file(path)
    assert measures(plan) == [("1", ["市市场监管局", "市委宣传部"], []), ("2", ["市商务局"], [])]
    assert [(x["kind"], x["date"], x["where"]) for x in plan["deadlines"]] == [
        ("date", "2023-09-30", "1"),
        ("ongoing", None, "2"),
    ]


def test_non_task_table_stays_tab_separated():
    assert table_lines([["指标", "2022年", "2023年"], ["合格率", "95", "96"]]) == [
        "指标\t2022年\t2023年",
        "合格率\t95\t96",
    ]


@pytest.mark.parametrize(
    ("annotation", "lead", "cooperating"),
    [
        ("（发展改革委牵头，工业和信息化部、财政部等按职责分工负责）", ["发展改革委"], ["工业和信息化部", "财政部"]),
        ("（省发展改革委、省财政厅牵头，各市州政府负责落实）", ["省发展改革委", "省财政厅"], ["各市州政府"]),
        ("（省市场监管局负责，省直有关部门按职责分工负责）", ["省市场监管局"], ["省直有关部门"]),
        (
            "（市场监管总局、工业和信息化部按职责分工负责，地方各级人民政府负责落实）",
            ["市场监管总局", "工业和信息化部"],
            ["地方各级人民政府"],
        ),
        ("（省工业和信息化厅牵头；配合单位：省科技厅）", ["省工业和信息化厅"], ["省科技厅"]),
    ],
)
def test_role_groups_without_labels(annotation, lead, cooperating):
    plan = parse_text(HEAD + "一、任务\n（一）加强质量基础设施建设。" + annotation + "\n")
    assert measures(plan) == [("一.(一)", lead, cooperating)]


def test_articles_of_general_provisions_are_not_measures():
    plan = parse_text(
        HEAD.replace("工作方案", "实施细则")
        + "第一章总则\n第一条为提升城市管理水平，制定本细则。\n第二条坚持以人民为中心。\n"
    )
    assert plan["measures"] == []
    assert [s["number"] for s in plan["sections"]] == ["第一章", "第一章.第一条", "第一章.第二条"]
