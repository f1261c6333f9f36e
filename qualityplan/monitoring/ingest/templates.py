"""Downloadable templates per kind, generated from the column dictionary (header row + one example row).

CSV (UTF-8 with BOM, so that spreadsheet programs open the Chinese headers) and XLSX (the template sheet plus a
说明 sheet listing every field, whether it is required, its accepted header spellings and notes).  A template
filled in and uploaded imports as it is (the headers are the dictionary's labels).
"""

from __future__ import annotations

import csv
import io

from qualityplan.monitoring.ingest.columns import DICTIONARY, KindColumns

FORMATS = ("csv", "xlsx")


def _rows(spec: KindColumns) -> tuple[list[str], list[str]]:
    cols = [c for c in spec.columns if c.required or c.example]
    return [c.label for c in cols], [c.example for c in cols]


def template_csv(kind: str) -> bytes:
    header, example = _rows(DICTIONARY[kind])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerow(example)
    return buf.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    spec = DICTIONARY[kind]
    header, example = _rows(spec)
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(header)
    ws.append(example)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for cell in ws[2]:
        cell.number_format = "@"  # text: dates and codes stay as typed
    notes = wb.create_sheet("说明")
    notes.append(["字段", "表头", "必填", "可用的表头写法", "说明"])
    for c in spec.columns:
        notes.append([c.name, c.label, "是" if c.required else "", "、".join(c.aliases), c.help])
    if spec.one_of:
        notes.append(["", "", "", "", "至少一列：" + "、".join(spec.one_of)])
    if spec.ignored:
        notes.append(["", "", "", "", "可保留但不导入的列：" + "、".join(spec.ignored)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the template of ``kind`` in ``fmt`` (csv/xlsx)."""
    if fmt == "xlsx":
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return template_xlsx(kind), f"template-{kind}.xlsx", xlsx
    return template_csv(kind), f"template-{kind}.csv", "text/csv; charset=utf-8"
