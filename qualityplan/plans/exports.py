"""Spreadsheet exports of plan data (real .xlsx via openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qualityplan.plans.choices import UnitRole
from qualityplan.plans.selectors import Matrix

LEAD_FILL = PatternFill("solid", fgColor="1F4E8C")
COOP_FILL = PatternFill("solid", fgColor="CFE0F5")


def matrix_xlsx(*, matrix: Matrix, title: str) -> bytes:
    """Units × measures workbook: sheet 责任矩阵 (牵/配 marks) and sheet 分工明细 (as written in the plan)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "责任矩阵"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value="牵 = 牵头/责任单位；配 = 配合单位；（组）= 通过集体名称（如“各市县政府”）承担")
    header = ["单位代码", "单位", "牵头数", "配合数"] + [m.number for m in matrix.measures]
    for col, value in enumerate(header, start=1):
        cell = ws.cell(row=4, column=col, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(text_rotation=90 if col > 4 else 0, horizontal="center")
    for col, measure in enumerate(matrix.measures, start=5):
        ws.cell(row=3, column=col, value=measure.title).alignment = Alignment(text_rotation=90, wrap_text=False)
    for row_idx, (unit, cells, n_lead, n_coop) in enumerate(matrix.rows(), start=5):
        ws.cell(row=row_idx, column=1, value=unit.code)
        ws.cell(row=row_idx, column=2, value=unit.name)
        ws.cell(row=row_idx, column=3, value=n_lead)
        ws.cell(row=row_idx, column=4, value=n_coop)
        for col, cell in enumerate(cells, start=5):
            if cell is None:
                continue
            mark = "牵" if cell.role == UnitRole.LEAD else "配"
            target = ws.cell(row=row_idx, column=col, value=mark + ("（组）" if cell.via else ""))
            target.fill = LEAD_FILL if cell.role == UnitRole.LEAD else COOP_FILL
            if cell.role == UnitRole.LEAD:
                target.font = Font(color="FFFFFF", bold=True)
            target.alignment = Alignment(horizontal="center")
    ws.column_dimensions["B"].width = 28
    for col in range(5, 5 + len(matrix.measures)):
        ws.column_dimensions[get_column_letter(col)].width = 6
    ws.freeze_panes = "E5"

    detail = wb.create_sheet("分工明细")
    detail.append(["编号", "措施", "牵头/责任单位（原文）", "配合单位（原文）"])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for measure in matrix.measures:
        resp = list(measure.responsibilities.all())
        detail.append(
            [
                measure.number,
                measure.title,
                "、".join(r.written for r in resp if r.role == UnitRole.LEAD),
                "、".join(r.written for r in resp if r.role == UnitRole.COOPERATING),
            ]
        )
    detail.column_dimensions["B"].width = 50
    detail.column_dimensions["C"].width = 40
    detail.column_dimensions["D"].width = 50
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
