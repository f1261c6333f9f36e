"""Generated .docx reopened with python-docx (page setup, fonts, content); .xlsx reopened with openpyxl."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook

from qualityplan.reports import gbt9704
from qualityplan.reports.gbt9704 import east_asia_font

pytestmark = pytest.mark.django_db


def check_page_setup(doc):
    for s in doc.sections[:1]:
        mm = [
            round(v.mm, 1)
            for v in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
        ]
        assert mm == [210, 297, 37, 35, 28, 26]  # A4; GB/T 9704 margins (twips rounding < 0.05 mm)
        grid = s._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:type")) == "lines"
        assert int(grid.get(qn("w:linePitch"))) * 28 <= Mm(225).twips  # 28 lines fit the type area
        assert int(grid.get(qn("w:linePitch"))) * 29 > Mm(225).twips
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    condense = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")))  # 1/20 pt per character
    assert 28 * (16 + condense / 20) <= Mm(156).pt < 29 * (16 + condense / 20)  # exactly 28 characters a line
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing == Pt(22.75)
    assert doc.settings.odd_and_even_pages_header_footer
    odd = doc.sections[0].footer.paragraphs[0]
    even = doc.sections[0].even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right on odd pages, left on even pages (outside edge)
    assert odd.text.startswith("— ") and odd.text.endswith(" —")
    assert "PAGE" in odd._p.xml
    assert all(r.font.size == Pt(14) for r in odd.runs)
    fonts = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml")).blob.decode()
    assert 'w:name="方正小标宋简体"' in fonts and 'w:val="宋体"' in fonts and 'w:val="仿宋"' in fonts


def runs_with(doc, text):
    return [r for p in doc.paragraphs for r in p.runs if text in r.text]


def closed_round(round_2017, users, evaluation):
    from qualityplan.assessment import services
    from qualityplan.assessment.choices import RoundStatus

    evaluation("T15", "460100", "met", 99.2)
    evaluation("T02", "469002", "missed", 90.0)
    services.round_transition(user=users["office"], rnd=round_2017, to=RoundStatus.SELF_ASSESSMENT)
    services.round_transition(user=users["office"], rnd=round_2017, to=RoundStatus.VERIFICATION)
    for ua in round_2017.assessments.select_related("unit"):
        for i, it in enumerate(ua.items.filter(rule_type="manual")):
            services.item_verify(
                user=users["office"],
                item=it,
                points=it.max_points * D("0.8") if i % 2 else it.max_points,
                reason="核查",
            )
        services.unit_verify(user=users["office"], ua=ua)
    services.veto_record(
        user=users["office"],
        rnd=round_2017,
        unit=round_2017.assessments.get(unit__code="460200").unit,
        code="V1",
        occurred_on=dt.date(2017, 9, 1),
        description="某镇发生区域性质量安全事件",
    )
    return services.round_transition(user=users["office"], rnd=round_2017, to=RoundStatus.CLOSED)


def test_builder_layout_and_fonts():
    d = gbt9704.OfficialDocument()
    d.issuer_mark("海南省质量强省建设协调推进工作领导小组办公室文件")
    d.doc_number("琼质强办〔2018〕1号")
    d.title("关于测试的通报")
    d.heading1("一、总体情况")
    d.heading2("（一）具体情况")
    d.para("正文。")
    doc = Document(io.BytesIO(d.to_bytes()))
    check_page_setup(doc)
    mark = runs_with(doc, "领导小组办公室文件")[0]
    assert str(mark.font.color.rgb) == "FF0000" and east_asia_font(mark) == "方正小标宋简体"
    number_p = next(p for p in doc.paragraphs if "琼质强办" in p.text)
    assert 'w:color="FF0000"' in number_p._p.xml  # red separator line under the document number
    title = runs_with(doc, "关于测试的通报")[0]
    assert title.font.size == Pt(22) and east_asia_font(title) == "方正小标宋简体"
    assert next(p for p in doc.paragraphs if p.text == "关于测试的通报").alignment == 1
    assert east_asia_font(runs_with(doc, "一、总体情况")[0]) == "黑体"
    assert east_asia_font(runs_with(doc, "（一）具体情况")[0]) == "楷体_GB2312"
    body = runs_with(doc, "正文。")[0]
    assert east_asia_font(body) == "仿宋_GB2312" and body.font.size == Pt(16)


def test_province_report_and_score_sheets(round_2017, users, evaluation):
    from qualityplan.assessment import documents

    rnd = closed_round(round_2017, users, evaluation)
    doc = Document(io.BytesIO(documents.province_report_docx(rnd)))
    check_page_setup(doc)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2017年度市县政府质量工作考核结果的通报" in text
    assert "参加考核的 20 个市县中" in text and "一个月内" in text
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["排名", "市县", "得分", "等级", "上年得分（等级）"]
    assert len(table.rows) == 21
    assert "抄送" in text and "印发" in text

    sheets = documents.score_sheets_docx(rnd)
    assert len(sheets) == 20
    ua, blob = next((ua, b) for ua, b in sheets if ua.unit.code == "460100")
    doc = Document(io.BytesIO(blob))
    check_page_setup(doc)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"考核得分 {ua.score:.2f} 分" in text and f"考核等级 {ua.grade} 级" in text
    rows = doc.tables[0].rows[1:]
    assert sum(D(r.cells[3].text) for r in rows) == ua.score  # the sheet's points add up to the score
    assert any("T15" in r.cells[4].text for r in rows)


def test_results_xlsx(round_2017, users, evaluation):
    from qualityplan.assessment import documents

    rnd = closed_round(round_2017, users, evaluation)
    wb = load_workbook(io.BytesIO(documents.results_xlsx(rnd, user=users["office"])))
    ws = wb["考核结果"]
    assert ws.cell(1, 1).value == "排名" and ws.max_row == 21
    assert wb["逐项得分"].max_row == 1 + 20 * 30
    wb = load_workbook(io.BytesIO(documents.results_xlsx(rnd, user=users["city"])))
    assert wb["考核结果"].max_row == 2  # a city reporter gets its own row only
    ua = rnd.assessments.get(unit__code="460100")
    ws = load_workbook(io.BytesIO(documents.unit_sheet_xlsx(ua)))["评分表"]
    assert sum(D(str(ws.cell(r, 4).value)) for r in range(2, ws.max_row + 1)) == ua.score


def test_summary_drafts(plan_2017, units, evaluation):
    from qualityplan.assessment import documents

    evaluation("T15", "460100", "met", 99.2)
    for kind, what in (("half_year", "上半年"), ("annual", "年度")):
        doc = Document(io.BytesIO(documents.summary_draft_docx(unit=units["460100"], year=2017, kind=kind)))
        check_page_setup(doc)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"海口市2017年{what}质量强省工作总结（草稿）" in text
        assert (
            "一、质量目标完成情况" in text and "二、重点工作任务推进情况" in text and "三、督查督办事项办理情况" in text
        )
    doc = Document(io.BytesIO(documents.summary_draft_docx(unit=units["460100"], year=2017, kind="annual")))
    assert any("T15" in c.text for t in doc.tables for r in t.rows for c in r.cells)
