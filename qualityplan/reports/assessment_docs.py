"""The assessment's official documents, from plain data: province report (通报), unit score sheet, summary drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from qualityplan.reports.gbt9704 import Imprint, OfficialDocument

ISSUER = "海南省质量强省建设协调推进工作领导小组办公室"
ISSUER_MARK = "海南省质量强省建设协调推进工作领导小组办公室文件"
CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    return ("十" if n < 20 else CN_NUM[n // 10 - 1] + "十") + (CN_NUM[n % 10 - 1] if n % 10 else "")


def fmt(d) -> str:
    if d is None:
        return "—"
    d = Decimal(d)
    return f"{d:.2f}"


@dataclass
class SheetLine:
    code: str
    title: str
    max_points: Decimal | None
    points: Decimal
    how: str
    section: str = ""
    kind: str = "item"


@dataclass
class UnitSheet:
    unit_name: str
    year: int
    scheme_title: str
    score: Decimal
    base: Decimal
    bonus: Decimal
    grade: str
    rank: int | None
    n_units: int
    vetoed: bool
    lines: list[SheetLine]
    last: tuple[Decimal | None, str, int | None] | None = None
    lost: list[tuple[str, str, Decimal]] = field(default_factory=list)
    next_grade: str = ""
    status: str = ""


@dataclass
class ReportRow:
    rank: int | None
    unit_name: str
    score: Decimal
    grade: str
    vetoed: bool = False
    last_score: Decimal | None = None
    last_grade: str = ""


@dataclass
class ProvinceReport:
    year: int
    title: str
    doc_number: str
    date_text: str
    rows: list[ReportRow]
    counts: dict[str, int]
    vetoes: list[str]
    weakest_items: list[tuple[str, str, Decimal]]  # (code, title, average points lost)
    scheme_title: str
    imprint: Imprint


def build_score_sheet(sheet: UnitSheet) -> bytes:
    d = OfficialDocument()
    d.title(f"{sheet.unit_name}{sheet.year}年度质量工作考核评分表")
    rank = f"，在 {sheet.n_units} 个市县中排名第 {sheet.rank} 位" if sheet.rank else ""
    veto = "；因发生否决事项，考核等级定为D级" if sheet.vetoed else ""
    d.para(
        f"依据《{sheet.scheme_title}》，{sheet.unit_name}{sheet.year}年度质量工作考核得分 {fmt(sheet.score)} 分"
        f"（基本分 {fmt(sheet.base)} 分，加分 {fmt(sheet.bonus)} 分），考核等级 {sheet.grade} 级{rank}{veto}。"
    )
    if sheet.last:
        last_score, last_grade, last_rank = sheet.last
        delta = sheet.score - last_score if last_score is not None else None
        change = f"，较上年{'提高' if delta >= 0 else '下降'} {fmt(abs(delta))} 分" if delta is not None else ""
        d.para(f"上年度得分 {fmt(last_score)} 分，等级 {last_grade} 级，排名第 {last_rank or '—'} 位{change}。")
    rows = []
    for line in sheet.lines:
        rows.append(
            [
                line.code,
                line.title,
                fmt(line.max_points) if line.max_points is not None else "",
                fmt(line.points),
                line.how,
            ]
        )
    d.table(
        ["编号", "考核项目", "分值", "得分", "评分依据与说明"], rows, widths_mm=[15, 35, 12, 12, 82], caption="逐项得分"
    )
    if sheet.lost:
        d.heading1("失分较多的项目")
        for code, title, lost in sheet.lost:
            d.para(f"{code} {title}：失 {fmt(lost)} 分。")
    if sheet.next_grade:
        d.para(sheet.next_grade)
    d.signature(ISSUER, f"{sheet.year + 1}年1月")
    return d.to_bytes()


def build_province_report(report: ProvinceReport) -> bytes:
    d = OfficialDocument()
    d.issuer_mark(ISSUER_MARK)
    d.doc_number(report.doc_number)
    d.title(report.title)
    d.addressee("各市县人民政府，洋浦经济开发区管委会，省政府直属各有关单位：")
    n = len(report.rows)
    d.para(
        f"根据《{report.scheme_title}》，省质量强省建设协调推进工作领导小组办公室组织开展了{report.year}年度市县政府"
        f"质量工作考核。经市县自评、实地核查和综合评定，现将考核结果通报如下。"
    )
    d.heading1("一、考核结果")
    c = report.counts
    d.para(
        f"参加考核的 {n} 个市县中，A级 {c.get('A', 0)} 个、B级 {c.get('B', 0)} 个、C级 {c.get('C', 0)} 个、"
        f"D级 {c.get('D', 0)} 个。各市县得分、等级和排名见附件。"
    )
    top = [r for r in report.rows if r.grade == "A"]
    if top:
        d.heading2("（一）考核等级为A级的市县")
        d.para("、".join(r.unit_name for r in top) + "。")
    bottom = [r for r in report.rows if r.grade == "D"]
    if bottom:
        d.heading2(f"（{'二' if top else '一'}）考核等级为D级的市县")
        d.para("、".join(r.unit_name for r in bottom) + "。")
    if report.vetoes:
        d.heading1("二、否决事项")
        for v in report.vetoes:
            d.para(v)
    d.heading1(f"{'三' if report.vetoes else '二'}、存在的主要问题")
    if report.weakest_items:
        for i, (code, title, avg) in enumerate(report.weakest_items, start=1):
            d.heading2(f"（{cn(i)}）{title}")
            d.para(f"该项（{code}）各市县平均失分 {fmt(avg)} 分，是失分最多的项目之一。")
    else:
        d.para("各考核项目均无明显失分。")
    d.heading1(f"{'四' if report.vetoes else '三'}、有关要求")
    d.para(
        "考核等级为D级和排名后三位的市县，要在通报印发之日起一个月内向省质量强省建设协调推进工作领导小组办公室"
        "书面报告整改措施，并限期整改。各市县要对照评分细则查找差距，确保年度质量目标和工作任务全面完成。"
    )
    d.para("附件：" + f"{report.year}年度市县政府质量工作考核结果")
    d.signature(ISSUER, report.date_text)
    d.page_break()
    d.heading1("附件")
    d.title(f"{report.year}年度市县政府质量工作考核结果")
    rows = []
    for r in report.rows:
        last = f"{fmt(r.last_score)}（{r.last_grade}）" if r.last_score is not None else "—"
        rows.append([str(r.rank or "—"), r.unit_name, fmt(r.score), r.grade + ("（否决）" if r.vetoed else ""), last])
    d.table(["排名", "市县", "得分", "等级", "上年得分（等级）"], rows, widths_mm=[16, 46, 24, 28, 42])
    d.imprint(report.imprint)
    return d.to_bytes()


@dataclass
class SummaryDraft:
    unit_name: str
    year: int
    kind: str  # half_year | annual
    as_of: str
    targets: list[list[str]]  # code, indicator, target, value, status, explanation
    tasks: list[list[str]]  # measure, task, deadline, status
    task_counts: dict[str, int]
    supervision: list[list[str]]  # number, title, deadline, status
    problems: list[str]


def build_summary_draft(draft: SummaryDraft) -> bytes:
    d = OfficialDocument()
    what = "上半年" if draft.kind == "half_year" else "年度"
    d.title(f"{draft.unit_name}{draft.year}年{what}质量强省工作总结（草稿）")
    d.addressee("省质量强省建设协调推进工作领导小组办公室：")
    d.para(
        f"按照《海南省{draft.year}年质量强省工作行动计划》要求，现将我单位{draft.year}年{what}质量强省工作情况"
        f"报告如下（本稿由系统根据截至 {draft.as_of} 的数据生成，请核对修改）。"
    )
    d.heading1("一、质量目标完成情况")
    if draft.targets:
        met = sum(1 for t in draft.targets if t[4] == "已达成")
        d.para(f"涉及本单位的质量目标 {len(draft.targets)} 项，已达成 {met} 项。")
        d.table(
            ["代码", "指标", "目标", "实际", "状态"], [t[:5] for t in draft.targets], widths_mm=[14, 62, 26, 26, 28]
        )
    else:
        d.para("（暂无本单位的目标评估数据，请补充。）")
    d.heading1("二、重点工作任务推进情况")
    c = draft.task_counts
    d.para(
        f"本单位承担（含牵头和配合）工作任务 {c.get('total', 0)} 项，已完成 {c.get('done', 0)} 项"
        f"（其中逾期完成 {c.get('late', 0)} 项），推进中 {c.get('open', 0)} 项，已逾期未完成 {c.get('overdue', 0)} 项。"
    )
    if draft.tasks:
        d.table(["措施", "任务", "时限", "状态"], draft.tasks, widths_mm=[24, 84, 24, 24])
    d.heading1("三、督查督办事项办理情况")
    if draft.supervision:
        d.table(["督办单编号", "事项", "期限", "状态"], draft.supervision, widths_mm=[34, 74, 24, 24])
    else:
        d.para("本期无督办事项。")
    d.heading1("四、存在的问题")
    for i, problem in enumerate(draft.problems or ["（请补充。）"], start=1):
        d.para(f"{i}．{problem}")
    d.heading1("五、下一步工作打算" if draft.kind == "half_year" else "五、下年度工作计划")
    d.para("（请补充。）")
    d.signature(draft.unit_name, "（日期）")
    return d.to_bytes()
