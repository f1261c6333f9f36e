"""Plain .xlsx tables (openpyxl): one header row in bold with a filter and frozen panes, then the rows."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from qualityplan.core.text import export_safe


def workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]], *, title: str = "") -> bytes:
    """``sheets``: (sheet name, headers, rows). Returns the workbook as bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in sheets:
        ws = wb.create_sheet(title=name[:31])
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        widths = [max(6, len(str(h)) * 2 + 2) for h in headers]
        for row in rows:
            values = [export_safe(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values):
                widths[i] = min(60, max(widths[i], len(str(v)) + 2 if v is not None else 0))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
    if title:
        wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
