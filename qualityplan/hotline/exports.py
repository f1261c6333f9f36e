"""Work orders and KPIs as .xlsx. Caller data is never exported — not even for the office."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from qualityplan.hotline.kpi import METRICS, KpiRow

ORDER_HEADERS = [
    "工单编号",
    "受理时间",
    "渠道",
    "诉求类别",
    "诉求对象",
    "区域",
    "企业统一社会信用代码",
    "企业名称",
    "标题",
    "主办单位",
    "派单日期",
    "办理期限",
    "状态",
    "办结日期",
    "退单次数",
    "重办次数",
    "满意度",
    "是否解决",
]


def _sheet(wb, title, headers, rows):
    ws = wb.create_sheet(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    return ws


def _save(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def orders_xlsx(*, orders) -> bytes:
    from django.utils import timezone

    wb = Workbook()
    wb.remove(wb.active)
    rows = []
    for o in orders.select_related("lead_unit", "region").iterator(chunk_size=2000):
        rows.append(
            [
                o.number,
                timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M"),
                o.get_channel_display(),
                o.get_category_display(),
                o.get_subject_display(),
                o.region.name if o.region else "",
                o.enterprise_uscc,
                o.enterprise_name,
                o.title,
                o.lead_unit.name if o.lead_unit else "",
                o.dispatched_on,
                o.deadline,
                o.get_status_display(),
                o.closed_on,
                o.return_count,
                o.redo_count,
                o.get_satisfaction_display() if o.satisfaction else "",
                "" if o.resolved is None else ("已解决" if o.resolved else "未解决"),
            ]
        )
    _sheet(wb, "工单", ORDER_HEADERS, rows)
    return _save(wb)


def kpi_xlsx(*, rows: list[KpiRow], title: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    headers = ["代码", "单位", "派单数", "办结数", "参评数", *[label for _m, label in METRICS]]
    data = [
        [
            r.code,
            r.name,
            r.dispatched,
            r.closed,
            r.rated,
            *[None if getattr(r, m) is None else float(getattr(r, m)) for m, _l in METRICS],
        ]
        for r in rows
    ]
    _sheet(wb, "考核指标", headers, data)
    wb.properties.title = title
    return _save(wb)
