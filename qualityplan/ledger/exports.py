"""台账 as .xlsx: one unit's ledger or the office's whole ledger (openpyxl, one sheet per part)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from qualityplan.core.text import export_safe
from qualityplan.ledger.models import Milestone, ProgressUpdate, TaskPart


def _sheet(wb, title, header, rows, widths):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([export_safe(v) for v in row])  # a control character stored before validation must not break it
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    return ws


def ledger_xlsx(*, tasks, title: str, today) -> bytes:
    """Workbook with sheets 任务台账 / 配合分工 / 进展记录 for the given (already scoped) task queryset."""
    tasks = list(tasks.select_related("unit", "measure"))
    ids = [t.id for t in tasks]
    milestones: dict[int, list[str]] = {}
    for m in Milestone.objects.filter(task_id__in=ids).order_by("task_id", "order"):
        mark = f"✓{m.reached_on:%m-%d}" if m.reached_on else (f"{m.due_date:%Y-%m-%d}" if m.due_date else "")
        milestones.setdefault(m.task_id, []).append(f"{m.title}（{mark}）")
    parts = list(TaskPart.objects.filter(task_id__in=ids).select_related("unit", "task"))
    parts_of: dict[int, list[str]] = {}
    for p in parts:
        parts_of.setdefault(p.task_id, []).append(f"{p.unit.name}：{p.description}")
    updates = list(
        ProgressUpdate.objects.filter(task_id__in=ids).select_related("unit", "task").order_by("task_id", "reported_on")
    )
    unit_name = {t.id: t.unit.name for t in tasks}
    latest = {u.task_id: u for u in updates if u.part_id is None}
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(
        wb,
        "任务台账",
        [
            "措施编号",
            "措施",
            "牵头单位",
            "任务",
            "责任人",
            "电话",
            "完成时限",
            "里程碑",
            "预期成果",
            "配合单位及分工",
            "状态",
            "是否逾期",
            "最近进展",
            "最近更新",
        ],
        [
            [
                t.measure.number,
                t.measure.title,
                t.unit.name,
                t.title,
                t.owner_name,
                t.owner_phone,
                t.deadline,
                "；".join(milestones.get(t.id, [])),
                t.expected_output,
                "；".join(parts_of.get(t.id, [])),
                t.get_status_display(),
                "逾期" if (t.is_open and t.deadline < today) else "",
                latest[t.id].narrative if t.id in latest else "",
                t.last_update_on,
            ]
            for t in tasks
        ],
        [10, 30, 18, 36, 10, 14, 12, 30, 24, 36, 10, 8, 40, 12],
    )
    ws.insert_rows(1)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.freeze_panes = "A3"
    _sheet(
        wb,
        "配合分工",
        ["任务", "牵头单位", "配合单位", "分工内容", "时限", "状态", "最近更新"],
        [
            [
                p.task.title,
                unit_name.get(p.task_id, ""),
                p.unit.name,
                p.description,
                p.deadline,
                p.get_status_display(),
                p.last_update_on,
            ]
            for p in parts
        ],
        [36, 18, 18, 40, 12, 10, 12],
    )
    _sheet(
        wb,
        "进展记录",
        ["任务", "报告单位", "日期", "状态", "进展情况", "原因"],
        [[u.task.title, u.unit.name, u.reported_on, u.get_status_display(), u.narrative, u.reason] for u in updates],
        [36, 18, 12, 10, 60, 30],
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
