"""The supervision list as .xlsx: items with status and deadlines, and every notice issued."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from qualityplan.core.text import export_safe
from qualityplan.supervision.models import ItemUnit, Notice


def supervision_xlsx(*, items) -> bytes:
    items = list(items.select_related("lead_unit"))
    ids = [i.id for i in items]
    coop: dict[int, list[str]] = {}
    for item_id, name in ItemUnit.objects.filter(item_id__in=ids, role="cooperating").values_list(
        "item_id", "unit__name"
    ):
        coop.setdefault(item_id, []).append(name)
    notices = list(
        Notice.objects.filter(item_id__in=ids).select_related("item", "unit").order_by("item_id", "issued_on")
    )
    counts: dict[tuple[int, str], int] = {}
    for n in notices:
        counts[(n.item_id, n.kind)] = counts.get((n.item_id, n.kind), 0) + 1
    wb = Workbook()
    ws = wb.active
    ws.title = "督办事项"
    ws.append(
        [
            "编号",
            "事项",
            "来源",
            "主办单位",
            "协办单位",
            "交办日期",
            "时限（工作日）",
            "办理期限",
            "原定期限",
            "状态",
            "销号日期",
            "提醒",
            "催办",
            "通报",
        ]
    )
    for i in items:
        ws.append(
            [
                i.number,
                export_safe(i.title),
                i.get_source_display(),
                i.lead_unit.name,
                "、".join(coop.get(i.id, [])),
                i.assigned_on,
                i.deadline_workdays,
                i.deadline,
                i.original_deadline,
                i.get_status_display(),
                i.closed_on,
                counts.get((i.id, "reminder"), 0),
                counts.get((i.id, "urge"), 0),
                counts.get((i.id, "circular"), 0),
            ]
        )
    ws2 = wb.create_sheet("督办通知")
    ws2.append(["文号", "督办单", "类型", "主送", "发出日期", "对应期限", "内容"])
    for n in notices:
        ws2.append([n.number, n.item.number, n.get_kind_display(), n.addressed_to, n.issued_on, n.deadline, n.text])
    for sheet in (ws, ws2):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJ", (18, 40, 12, 18, 30, 12, 10, 12, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
