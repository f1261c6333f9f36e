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
from qualityplan.monitoring.ingest.columns import IGNORED, closest, header_map, norm_header


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
    scope: object | None = None  # the importing user's RowScope (monitoring.policies); None = unrestricted

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


def read_table(data: bytes, name: str, spec) -> Table:
    """Parse CSV (UTF-8 with or without BOM, or GB18030) or XLSX bytes into the columns of ``spec``.

    ``spec`` is the kind's :class:`~qualityplan.monitoring.ingest.columns.KindColumns`: headers map to its fields
    through the column dictionary; an unknown or duplicated column, a row with more or fewer cells than the header
    and a file without data rows are errors naming the column or row (the file is refused as a whole).
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data, name)
        xlsx_rows = rows
        rows = iter(rows)
    elif suffix in (".csv", ".txt", ""):
        text = _csv_text(data, name)
        plain = _plain_csv_columns(text)
        if plain is not None:
            raw_header, cols = plain
            header, keep = _check_header(raw_header, spec, name)
            table = Table(name=name, header=header, columns={h: cols[j] for j, h in zip(keep, header, strict=True)})
            return _check_rows(table)
        rows = csv.reader(io.StringIO(text, newline=""))
    else:
        raise ImportFailed([RowError(name, 0, "file", f"unsupported file type {suffix!r} (CSV or XLSX)")])
    try:
        raw_header = next(rows)
    except StopIteration:
        raise ImportFailed([RowError(name, 1, "header", "empty file")]) from None
    if suffix in (".xlsx", ".xlsm"):
        while raw_header and raw_header[-1] == "":
            raw_header = raw_header[:-1]  # spreadsheets report formatted empty cells after the last column
    header, keep = _check_header(raw_header, spec, name)
    width = len(raw_header)
    xlsx = suffix in (".xlsx", ".xlsm")
    # One pass: keep non-blank rows (with their spreadsheet row numbers if any row was skipped), then transpose
    # with zip (C speed) instead of appending cell by cell.
    kept: list = []
    numbers: list[int] | None = None
    errors: list[RowError] = []
    for k, row in enumerate(rows, start=2):
        if len(row) != width or not any(row):
            if not any(row):
                if numbers is None:
                    numbers = list(range(2, k))
                continue
            if xlsx and (len(row) < width or not any(row[width:])):
                row = (list(row) + [""] * width)[:width]  # a sheet has no row width: trailing blanks are blanks
            else:
                errors.append(RowError(name, k, "row", f"{len(row)} cells, the header has {width}"))
                if len(errors) >= 100:
                    break
                continue
        kept.append(row)
        if numbers is not None:
            numbers.append(k)
    if xlsx:
        errors.extend(xlsx_rows.errors)
    if errors:
        raise ImportFailed(errors)
    cols = list(zip(*kept, strict=True)) if kept else [() for _ in raw_header]  # one tuple per column
    table = Table(name=name, header=header, columns={h: cols[j] for j, h in zip(keep, header, strict=True)},
                  numbers=numbers)  # fmt: skip
    return _check_rows(table)


def _check_rows(table: Table) -> Table:
    if table.n == 0:
        raise ImportFailed([RowError(table.name, 2, "row", "the file has a header but no data rows")])
    return table


def _check_header(raw_header, spec, name: str) -> tuple[list[str], list[int]]:
    """Canonical field of each kept column and its position; unknown, blank and duplicated headers are errors."""
    mapping = header_map(spec)
    errors: list[RowError] = []
    header: list[str] = []
    keep: list[int] = []
    seen: dict[str, str] = {}
    for j, raw in enumerate(raw_header):
        h = norm_header(raw)
        if not h:
            errors.append(RowError(name, 1, f"column {j + 1}", "blank column header"))
            continue
        canon = mapping.get(h)
        if canon is None:
            near = closest(h, [k for k, v in mapping.items() if v != IGNORED])
            hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
            errors.append(RowError(name, 1, raw.strip(), f"unknown column{hint} (see the template of this kind)"))
            continue
        if canon == IGNORED:
            continue
        if canon in seen:
            errors.append(RowError(name, 1, raw.strip(), f"duplicated column: {seen[canon]!r} is also {canon}"))
            continue
        seen[canon] = raw.strip()
        header.append(canon)
        keep.append(j)
    if errors:
        raise ImportFailed(errors)
    for missing, source in spec.fallback.items():
        if missing not in seen and source in seen:  # e.g. sections identified by name only (断面名称)
            header.append(missing)
            keep.append(keep[header.index(source)])
    return header, keep


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


class _XlsxRows:
    """Rows of the first sheet as text; a formula cell gives its cached value, or an error when it has none."""

    def __init__(self, data: bytes, name: str):
        from openpyxl import load_workbook

        self.name = name
        self.errors: list[RowError] = []
        try:
            self.values = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            self.formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        except Exception as exc:  # openpyxl raises several unrelated types for broken files
            raise ImportFailed(
                [RowError(name, 0, "file", f"not a readable XLSX workbook ({exc.__class__.__name__})")]
            ) from exc

    def __iter__(self):
        pairs = zip(self.values.iter_rows(values_only=True), self.formulas.iter_rows(values_only=True), strict=False)
        for k, (row, raw) in enumerate(pairs, start=1):
            if None in row:
                for j, v in enumerate(row):
                    f = raw[j] if j < len(raw) else None
                    if v is None and isinstance(f, str) and f.startswith("="):
                        self.errors.append(
                            RowError(self.name, k, f"column {j + 1}", f"formula {f[:40]} has no saved value; "
                                     "open the file in a spreadsheet program and save it, or paste values")
                        )  # fmt: skip
            yield ["" if v is None else _cell_text(v) for v in row]


def _xlsx_rows(data: bytes, name: str) -> _XlsxRows:
    return _XlsxRows(data, name)


def _cell_text(v) -> str:
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
