# Credit keeps the table reader it was built on (monitoring moved to the strict column dictionary in monitoring.ingest).
"""Reading CSV/XLSX files into columns, with the file name and 1-based row numbers kept for error messages."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import methodcaller
from pathlib import Path

from qualityplan.core.exceptions import ApplicationError


@dataclass
class RowError:
    file: str
    row: int  # spreadsheet row number (header = 1)
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: {self.field}: {self.message}"


@dataclass
class Table:
    """A file read as text columns; ``rows[i]`` is spreadsheet row ``i + 2``."""

    name: str
    header: list[str]
    columns: dict[str, Sequence[str]] = field(default_factory=dict)  # tuples, or lists (plain CSV)
    numbers: list[int] | None = None  # spreadsheet row of each kept row when blank rows were skipped

    @property
    def n(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def row_number(self, i: int) -> int:
        return self.numbers[i] if self.numbers is not None else i + 2


class ImportFailed(ApplicationError):
    """The file was rejected as a whole; ``errors`` names every bad row and field."""

    def __init__(self, errors: list[RowError], limit: int = 10):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:limit])
        more = f" (+{len(errors) - limit} more)" if len(errors) > limit else ""
        super().__init__(f"{len(errors)} error(s): {shown}{more}", {"errors": [e.as_dict() for e in errors]})


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(data: bytes, name: str, aliases: dict[str, str]) -> Table:
    """Parse CSV (UTF-8 with or without BOM, or GB18030) or XLSX bytes; map header aliases to canonical names."""
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data, name)
    elif suffix in (".csv", ".txt", ""):
        text = _csv_text(data, name)
        plain = _plain_csv_columns(text)
        if plain is not None:
            raw_header, cols = plain
            header = _canonical(raw_header, aliases)
            return Table(name=name, header=header, columns=dict(zip(header, cols, strict=True)))
        rows = csv.reader(io.StringIO(text, newline=""))
    else:
        raise ImportFailed([RowError(name, 0, "file", f"unsupported file type {suffix!r} (CSV or XLSX)")])
    try:
        raw_header = next(rows)
    except StopIteration:
        raise ImportFailed([RowError(name, 1, "header", "empty file")]) from None
    header = _canonical(raw_header, aliases)
    width = len(header)
    # One pass: keep non-blank rows (with their spreadsheet row numbers if any row was skipped), then transpose
    # with zip (C speed) instead of appending cell by cell.
    kept: list = []
    numbers: list[int] | None = None
    for k, row in enumerate(rows, start=2):
        if len(row) != width or not any(row):
            if not any(row):
                if numbers is None:
                    numbers = list(range(2, k))
                continue
            row = (list(row) + [""] * width)[:width] if len(row) < width else row[:width]
        kept.append(row)
        if numbers is not None:
            numbers.append(k)
    cols = list(zip(*kept, strict=True)) if kept else [() for _ in header]  # one tuple per column
    return Table(name=name, header=header, columns=dict(zip(header, cols, strict=True)), numbers=numbers)


def _canonical(raw_header, aliases: dict[str, str]) -> list[str]:
    return [aliases.get(h.strip(), aliases.get(h.strip().lower(), h.strip())) for h in raw_header]


def _plain_csv_columns(text: str) -> tuple[list[str], list[list[str]]] | None:
    """Columns of a CSV text without quoting, by plain string splitting (C speed, no per-row Python).

    Applies only when the result is exactly what ``csv.reader`` + :func:`read_table`'s row loop give: no quote
    character, no lone carriage return or NUL, every line with as many cells as the header (≥ 2) and no blank line;
    anything else (``None``) goes through ``csv.reader``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # Windows line ends: csv.reader ends the row there too
    if not text or '"' in text or "\r" in text or "\x00" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines:
        return None
    commas = lines[0].count(",")
    if commas < 1 or not all(map(commas.__eq__, map(methodcaller("count", ","), lines))):
        return None
    if lines.count("," * commas):  # a row of empty cells: skipped by the row loop, with its number kept
        return None
    width = commas + 1
    header = lines[0].split(",")
    if len(lines) == 1:
        return header, [() for _ in header]
    cells = ",".join(lines[1:]).split(",")  # len(lines) - 1 rows × width cells, row-major
    del lines
    return header, [cells[j::width] for j in range(width)]  # slices are new lists


def _csv_text(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([RowError(name, 0, "file", "not UTF-8 or GB18030 text")])


def _xlsx_rows(data: bytes, name: str):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for broken files
        raise ImportFailed(
            [RowError(name, 0, "file", f"not a readable XLSX workbook ({exc.__class__.__name__})")]
        ) from exc
    ws = wb.worksheets[0]

    def gen():
        for row in ws.iter_rows(values_only=True):
            yield ["" if v is None else _cell_text(v) for v in row]

    return gen()


def _cell_text(v) -> str:
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
