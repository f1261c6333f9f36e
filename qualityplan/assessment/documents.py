"""Assemble the official documents and spreadsheets of a round from the database (builders in ``reports``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from qualityplan.assessment import selectors
from qualityplan.assessment.models import ItemEvidence, ItemScore, Round, UnitAssessment, VetoEvent
from qualityplan.core import clock
from qualityplan.reports import xlsx
from qualityplan.reports.assessment_docs import (
    ISSUER,
    ProvinceReport,
    ReportRow,
    SheetLine,
    SummaryDraft,
    UnitSheet,
    build_province_report,
    build_score_sheet,
    build_summary_draft,
)
from qualityplan.reports.gbt9704 import Imprint

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _assessments(rnd: Round, unit_ids=None) -> list[UnitAssessment]:
    qs = rnd.assessments.select_related("unit", "round__scheme").prefetch_related(
        Prefetch("items", queryset=ItemScore.objects.order_by("order").prefetch_related(
            Prefetch("evidence", queryset=ItemEvidence.objects.order_by("id"))))
    )  # fmt: skip
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return list(qs.order_by("rank", "unit__sort_order"))


def _last_year(rnd: Round) -> dict[int, UnitAssessment]:
    return {
        a.unit_id: a
        for a in UnitAssessment.objects.filter(round__year=rnd.year - 1, round__status="closed").select_related("unit")
    }


def unit_sheet_data(ua: UnitAssessment, *, n_units: int, last: UnitAssessment | None) -> UnitSheet:
    items = list(ua.items.all())
    lines = selectors.explanation(ua=ua, items=items)
    sens = selectors.sensitivity(ua=ua, items=items)
    next_text = ""
    if sens.next_grade:
        grade, gap = sens.next_grade
        next_text = f"距 {grade} 级还差 {gap:.2f} 分。"
        if sens.lifting_items:
            next_text += (
                "以下任一项得满分即可升级：" + "、".join(f"{i.code} {i.title}" for i in sens.lifting_items) + "。"
            )
    return UnitSheet(
        unit_name=ua.unit.name,
        year=ua.round.year,
        scheme_title=ua.round.scheme.title,
        score=ua.score or Decimal(0),
        base=ua.base_score or Decimal(0),
        bonus=ua.bonus_score or Decimal(0),
        grade=ua.grade or "—",
        rank=ua.rank,
        n_units=n_units,
        vetoed=ua.vetoed,
        lines=[SheetLine(ln.code, ln.title, ln.max_points, ln.points, ln.how, ln.section, ln.kind) for ln in lines],
        last=(last.score, last.grade, last.rank) if last else None,
        lost=[(i.code, i.title, d) for i, d in sens.lost],
        next_grade=next_text,
        status=ua.get_status_display(),
    )


def score_sheet_docx(ua: UnitAssessment) -> bytes:
    rnd = ua.round
    ua = _assessments(rnd, [ua.unit_id])[0]
    return build_score_sheet(unit_sheet_data(ua, n_units=rnd.assessments.count(), last=_last_year(rnd).get(ua.unit_id)))


def score_sheets_docx(rnd: Round) -> list[tuple[UnitAssessment, bytes]]:
    """All units' score sheets (bulk reads: the prefetch, the vetoes and last year's results)."""
    rows = _assessments(rnd)
    last = _last_year(rnd)
    return [(ua, build_score_sheet(unit_sheet_data(ua, n_units=len(rows), last=last.get(ua.unit_id)))) for ua in rows]


def province_report_data(rnd: Round, *, doc_number: str = "", date: dt.date | None = None) -> ProvinceReport:
    rows = _assessments(rnd)
    last = _last_year(rnd)
    scheme = rnd.scheme.parsed()
    counts = {g: sum(1 for a in rows if a.grade == g) for g in "ABCD"}
    lost = defaultdict(Decimal)
    for a in rows:
        for it in a.items.all():
            if not it.bonus:
                lost[it.code] += it.max_points - it.points
    weakest = sorted(lost.items(), key=lambda kv: -kv[1])[:4]
    veto_titles = {v.code: v.title for v in scheme.veto}
    vetoes = [
        f"{ev.unit.name}：{ev.occurred_on:%Y年%m月%d日}{ev.description}（{veto_titles.get(ev.code, ev.code)}），考核等级定为D级。"
        for ev in VetoEvent.objects.filter(round=rnd).select_related("unit").order_by("occurred_on")
    ]
    date = date or (rnd.closed_at.date() if rnd.closed_at else clock.today())
    return ProvinceReport(
        year=rnd.year,
        title=f"关于{rnd.year}年度市县政府质量工作考核结果的通报",
        doc_number=doc_number or f"琼质强办〔{date.year}〕1号",
        date_text=f"{date.year}年{date.month}月{date.day}日",
        rows=[
            ReportRow(
                rank=a.rank,
                unit_name=a.unit.name,
                score=a.score or Decimal(0),
                grade=a.grade,
                vetoed=a.vetoed,
                last_score=last[a.unit_id].score if a.unit_id in last else None,
                last_grade=last[a.unit_id].grade if a.unit_id in last else "",
            )
            for a in rows
        ],
        counts=counts,
        vetoes=vetoes,
        weakest_items=[
            (code, scheme.item(code).title, total / max(1, len(rows))) for code, total in weakest if total > 0
        ],
        scheme_title=scheme.title,
        imprint=Imprint(
            cc="省委办公厅，省人大常委会办公厅，省政协办公厅",
            printer=ISSUER,
            printed_on=f"{date.year}年{date.month}月{date.day}日",
        ),
    )


def province_report_docx(rnd: Round, **kw) -> bytes:
    return build_province_report(province_report_data(rnd, **kw))


def results_xlsx(rnd: Round, *, user) -> bytes:
    rows = selectors.results(user=user, rnd=rnd)
    visible = [r.ua.unit_id for r in rows]
    items = ItemScore.objects.filter(assessment__round=rnd, assessment__unit_id__in=visible).select_related(
        "assessment__unit"
    ).order_by("assessment__unit__sort_order", "order")  # fmt: skip
    return xlsx.workbook(
        [
            (
                "考核结果",
                [
                    "排名",
                    "市县",
                    "得分",
                    "基本分",
                    "加分",
                    "等级",
                    "一票否决",
                    "上年得分",
                    "上年等级",
                    "得分变化",
                    "状态",
                ],
                [
                    [
                        r.ua.rank,
                        r.ua.unit.name,
                        r.ua.score,
                        r.ua.base_score,
                        r.ua.bonus_score,
                        r.ua.grade,
                        "是" if r.ua.vetoed else "",
                        r.last.score if r.last else None,
                        r.last.grade if r.last else "",
                        r.delta,
                        r.ua.get_status_display(),
                    ]
                    for r in rows
                ],
            ),  # fmt: skip
            (
                "逐项得分",
                ["市县", "编号", "项目", "分值", "系统计分", "自评分", "核定分", "得分", "计分说明", "核查意见"],
                [
                    [
                        i.assessment.unit.name,
                        i.code,
                        i.title,
                        i.max_points,
                        i.auto_points,
                        i.self_points,
                        i.verified_points,
                        i.points,
                        i.auto_explanation,
                        i.verify_reason,
                    ]
                    for i in items
                ],
            ),  # fmt: skip
        ],
        title=rnd.title,
    )


def unit_sheet_xlsx(ua: UnitAssessment) -> bytes:
    lines = selectors.explanation(ua=ua)
    return xlsx.workbook(
        [
            (
                "评分表",
                ["编号", "考核项目", "分值", "得分", "评分依据与说明", "依据记录"],
                [
                    [ln.code, ln.title, ln.max_points, ln.points, ln.how, "；".join(r["label"] for r in ln.refs)]
                    for ln in lines
                ],
            )
        ],
        title=f"{ua.unit.name}{ua.round.year}年度考核评分表",
    )


# --------------------------------------------------------------------------- summary drafts


def summary_draft_data(*, unit, year: int, kind: str, as_of: dt.date | None = None) -> SummaryDraft:
    """Targets and status, tasks done/late, supervision items of ``unit`` for a half-year or annual summary."""
    from qualityplan.indicators.models import Evaluation
    from qualityplan.ledger.choices import TaskStatus
    from qualityplan.ledger.models import Task, TaskPart
    from qualityplan.supervision.models import SupervisionItem

    period_end = dt.date(year, 6, 30) if kind == "half_year" else dt.date(year, 12, 31)
    as_of = min(as_of or period_end, period_end)
    period = f"{year}Q2" if kind == "half_year" else str(year)
    evs = (
        Evaluation.objects.filter(unit=unit, year=year, period=period)
        .select_related("target")
        .order_by("target__order")
    )
    targets = [
        [ev.target.code, ev.target.indicator, f"{ev.comparator} {ev.target_value:g}" if ev.target_value is not None else ev.comparator,
         f"{ev.value:g}" if ev.value is not None else "—", ev.get_status_display(), ev.explanation]
        for ev in evs
    ]  # fmt: skip
    from django.db.models import Min, Q

    tasks = list(
        Task.objects.filter(plan__year=year, unit=unit, deadline__lte=dt.date(year, 12, 31))
        .annotate(done_on=Min("updates__reported_on", filter=Q(updates__status=TaskStatus.DONE)))
        .select_related("measure")
        .order_by("deadline")
    )
    parts = list(
        TaskPart.objects.filter(task__plan__year=year, unit=unit)
        .annotate(done_on=Min("updates__reported_on", filter=Q(updates__status=TaskStatus.DONE)))
        .select_related("task__measure")
    )
    rows, counts = [], {"total": 0, "done": 0, "late": 0, "open": 0, "overdue": 0}
    labels = dict(TaskStatus.choices)
    for number, title, deadline, status, done in [
        *((t.measure.number, t.title, t.deadline, t.status, t.done_on) for t in tasks),
        *((p.task.measure.number, p.task.title, p.deadline or p.task.deadline, p.status, p.done_on) for p in parts),
    ]:
        if status == TaskStatus.CANCELLED:
            continue
        counts["total"] += 1
        if status == TaskStatus.DONE and done and done <= as_of:
            counts["done"] += 1
            counts["late"] += done > deadline
            state = "已完成" + ("（逾期）" if done > deadline else "")
        else:
            counts["open"] += 1
            counts["overdue"] += deadline < as_of
            state = labels.get(status, status) + ("（已逾期）" if deadline < as_of else "")
        rows.append([number, title[:60], f"{deadline:%m-%d}", state])
    items = SupervisionItem.objects.filter(year=year, assignments__unit=unit, assigned_on__lte=as_of).distinct()
    supervision = [
        [i.number, i.title[:50], f"{i.deadline:%m-%d}" if i.deadline else "—", i.get_status_display()] for i in items
    ]
    problems = [f"{t[0]} {t[1]}未达成（{t[5]}）。" for t in targets if t[4] in ("未达成", "存在风险")]
    if counts["overdue"]:
        problems.append(f"有 {counts['overdue']} 项工作任务逾期未完成。")
    return SummaryDraft(
        unit_name=unit.name,
        year=year,
        kind=kind,
        as_of=f"{as_of:%Y-%m-%d}",
        targets=targets,
        tasks=rows,
        task_counts=counts,
        supervision=supervision,
        problems=problems,
    )


def summary_draft_docx(*, unit, year: int, kind: str, as_of: dt.date | None = None) -> bytes:
    return build_summary_draft(summary_draft_data(unit=unit, year=year, kind=kind, as_of=as_of))
