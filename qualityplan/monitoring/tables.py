"""Reading CSV/XLSX files into columns, with the file name and 1-based row numbers kept for error messages."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import os
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import methodcaller
from pathlib import Path

from django.conf import settings

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
    """A file (or a chunk of one) read as text columns; ``rows[i]`` is spreadsheet row :meth:`row_number` ``(i)``."""

    name: str
    header: list[str]
    columns: dict[str, Sequence[str]] = field(default_factory=dict)  # tuples, or lists (plain CSV)
    numbers: list[int] | None = None  # spreadsheet row of each kept row when blank rows were skipped
    scope: object | None = None  # the importing user's RowScope (monitoring.policies); None = unrestricted
    first: int = 2  # spreadsheet row of the first row (a chunk of a streamed file) when ``numbers`` is None
    seen: dict | None = None  # in-file duplicate keys per field → first row, shared by the chunks of one file
    validate_only: bool = False  # an earlier chunk was refused: check this one, write nothing

    @property
    def n(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def row_number(self, i: int) -> int:
        return self.numbers[i] if self.numbers is not None else i + self.first


class ImportFailed(ApplicationError):
    """The file was rejected as a whole; ``errors`` names every bad row and field."""

    def __init__(self, errors: list[RowError], limit: int = 10):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:limit])
        more = f" (+{len(errors) - limit} more)" if len(errors) > limit else ""
        super().__init__(f"{len(errors)} error(s): {shown}{more}", {"errors": [e.as_dict() for e in errors]})


def file_sha256(source) -> str:
    """SHA-256 of bytes, of a file (path) or of a binary file object (read in blocks, left at its start)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(source).hexdigest()
    digest = hashlib.sha256()
    with open_source(source) as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


BLOCK = 1 << 20


@contextmanager
def open_source(source):
    """A binary file object on bytes, a path or a (seekable) file object, at its start.

    A file object passed in is the caller's: it is rewound, not closed.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as fh:
            yield fh
    else:
        source.seek(0)
        try:
            yield source
        finally:
            source.seek(0)


def chunk_rows() -> int:
    """Rows per chunk of a streamed import (setting ``IMPORT_CHUNK_ROWS``)."""
    return max(1, int(getattr(settings, "IMPORT_CHUNK_ROWS", 100_000)))


def tmp_dir() -> Path:
    """Where an import keeps its temporary files (setting ``IMPORT_TMP_DIR``, default ``tmp`` of the var directory)."""
    path = Path(getattr(settings, "IMPORT_TMP_DIR", "") or Path(settings.VAR_DIR) / "tmp")
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_table(data, name: str, spec, *, rows: int | None = None) -> Table:
    """The whole file as one :class:`Table`, read in chunks of ``rows`` (see :class:`TableReader`)."""
    return TableReader(data, name, spec, rows=rows).read_all()


class TableReader:
    """A CSV (UTF-8 with or without BOM, or GB18030) or XLSX file read in chunks of at most ``rows`` rows.

    ``source`` is bytes or a path.  :meth:`chunks` yields :class:`Table` objects whose row numbers are those of the
    file.  Headers map to the fields of ``spec`` (the kind's
    :class:`~qualityplan.monitoring.ingest.columns.KindColumns`) through the column dictionary; an unknown or
    duplicated column is an error at once; a row with more or fewer cells than the header is skipped and reported
    when the file has been read (with every other such row, up to 100: the file is refused as a whole, with only
    these errors); a file without data rows is an error.  Memory: one chunk of rows (and openpyxl's shared strings).
    """

    MAX_ERRORS = 100

    def __init__(self, source, name: str, spec, *, rows: int | None = None):
        self.source = source
        self.name = name
        self.spec = spec
        self.rows = rows or chunk_rows()
        self.errors: list[RowError] = []
        self.read = 0  # data rows yielded so far
        self.size = 0  # bytes of the file
        self._fh = None
        self._estimate: int | None = None  # rows of an XLSX sheet, from its dimension
        self.scope = None  # set on every chunk (the importing user's RowScope)
        self.seen: dict = {}  # in-file duplicate keys, across chunks (Parser.duplicates)

    def read_all(self) -> Table:
        """The whole file as one :class:`Table` (loaders of record kinds that are not streamed)."""
        parts = list(self.chunks())
        if len(parts) == 1:
            return parts[0]
        first = parts[0]
        columns = {h: [v for part in parts for v in part.columns[h]] for h in first.header}
        numbers = [part.row_number(i) for part in parts for i in range(part.n)]
        return Table(name=self.name, header=first.header, columns=columns, numbers=numbers, scope=self.scope)

    def total_estimate(self) -> int:
        """Rows of the whole file, estimated from the share of its bytes read so far (exact at the end)."""
        if self._estimate:
            return max(self._estimate, self.read)
        try:
            pos = self._fh.tell() if self._fh is not None else 0
        except (OSError, ValueError):
            pos = 0
        if not pos or not self.read:
            return self.read
        return max(self.read, round(self.read * self.size / pos))

    def chunks(self):
        suffix = Path(self.name).suffix.lower()
        if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ""):
            raise ImportFailed([RowError(self.name, 0, "file", f"unsupported file type {suffix!r} (CSV or XLSX)")])
        with open_source(self.source) as fh:
            self._fh = fh
            self.size = fh.seek(0, io.SEEK_END)
            fh.seek(0)
            if suffix in (".xlsx", ".xlsm"):
                rows = _XlsxRows(self.source, self.name)
                self._estimate = max(0, (rows.max_row or 0) - 1)
                yield from self._from_rows(iter(rows), xlsx=True)
                self.errors.extend(rows.errors)
            else:
                encoding, plain = _csv_scan(fh, self.name)
                fh.seek(0)
                text = io.TextIOWrapper(fh, encoding=encoding, newline=None if plain else "")
                try:
                    if plain:
                        yield from self._plain(text)
                    else:
                        yield from self._from_rows(csv.reader(text), xlsx=False)
                finally:
                    text.detach()
            self._fh = None
        if self.errors:
            raise ImportFailed(self.errors)
        if not self.read:
            raise ImportFailed([RowError(self.name, 2, "row", "the file has a header but no data rows")])

    def _header(self, raw_header: list[str]) -> tuple[list[str], list[int]]:
        return _check_header(raw_header, self.spec, self.name)

    def _table(self, header, keep, columns, numbers: list[int]) -> Table:
        self.read += len(numbers)
        contiguous = numbers[-1] - numbers[0] == len(numbers) - 1
        return Table(name=self.name, header=header, columns={h: columns[j] for j, h in zip(keep, header, strict=True)},
                     numbers=None if contiguous else numbers, first=numbers[0], scope=self.scope,
                     seen=self.seen)  # fmt: skip

    def _from_rows(self, rows, *, xlsx: bool, start: int = 2, header=None):
        """Chunks of the rows of ``rows`` (``csv.reader`` or the sheet), blank rows skipped with their numbers kept."""
        if header is None:
            try:
                raw_header = next(rows)
            except StopIteration:
                raise ImportFailed([RowError(self.name, 1, "header", "empty file")]) from None
            if xlsx:
                while raw_header and raw_header[-1] == "":
                    raw_header = raw_header[:-1]  # spreadsheets report formatted empty cells after the last column
            header = (*self._header(raw_header), len(raw_header))
        names, keep, width = header
        kept: list = []
        numbers: list[int] = []
        for k, row in enumerate(rows, start=start):
            if len(row) != width or not any(row):
                if not any(row):
                    continue
                if xlsx and (len(row) < width or not any(row[width:])):
                    row = (list(row) + [""] * width)[:width]  # a sheet has no row width: trailing blanks are blanks
                else:
                    self.errors.append(RowError(self.name, k, "row", f"{len(row)} cells, the header has {width}"))
                    if len(self.errors) >= self.MAX_ERRORS:
                        raise ImportFailed(self.errors)
                    continue
            kept.append(row)
            numbers.append(k)
            if len(kept) >= self.rows:
                yield self._table(names, keep, list(zip(*kept, strict=True)), numbers)
                kept, numbers = [], []
        if kept:
            yield self._table(names, keep, list(zip(*kept, strict=True)), numbers)

    def _plain(self, text):
        """Chunks of a CSV text without quotes, NUL or lone carriage returns, by plain string splitting.

        A block of lines in which every line has as many commas as the header (≥ 1) and none is blank is cut into
        columns at C speed; any other block goes through ``csv.reader`` (the same result, per row).
        """
        first = text.readline()
        raw_header = first[:-1].split(",") if first.endswith("\n") else first.split(",")
        if not first or len(raw_header) < 2:
            yield from self._from_rows(csv.reader(itertools.chain([first] if first else [], text)), xlsx=False)
            return
        header = (*self._header(raw_header), len(raw_header))
        names, keep, width = header
        commas = width - 1
        blank = "," * commas
        row = 2
        while True:
            lines = list(itertools.islice(text, self.rows))
            if not lines:
                return
            block = "".join(lines)
            parts = (block[:-1] if block.endswith("\n") else block).split("\n")
            if all(map(commas.__eq__, map(methodcaller("count", ","), parts))) and not parts.count(blank):
                del lines, block
                cells = ",".join(parts).split(",")  # len(parts) rows × width cells, row-major
                del parts
                columns = {j: cells[j::width] for j in set(keep)}
                del cells
                yield self._table(names, keep, columns, list(range(row, row + len(columns[keep[0]]))))
                row += len(columns[keep[0]])
                del columns
            else:
                del block, parts
                n = len(lines)
                yield from self._from_rows(csv.reader(lines), xlsx=False, start=row, header=header)
                row += n


def _csv_scan(fh, name: str) -> tuple[str, bool]:
    """The encoding of a CSV file (UTF-8 with or without BOM, else GB18030) and whether plain splitting reads it
    exactly as ``csv.reader`` does (no quote character, NUL or lone carriage return), in one pass over its blocks."""
    utf8 = codecs.getincrementaldecoder("utf-8-sig")()
    plain, carry = True, b""
    for block in iter(lambda: fh.read(BLOCK), b""):
        if utf8 is not None:
            try:
                utf8.decode(block)
            except UnicodeDecodeError:
                utf8 = None
        if plain:
            block = carry + block
            carry = b"\r" if block.endswith(b"\r") else b""
            if carry:
                block = block[:-1]
            plain = b'"' not in block and b"\x00" not in block and block.count(b"\r") == block.count(b"\r\n")
    if carry:
        plain = False
    if utf8 is not None:
        try:
            utf8.decode(b"", final=True)
            return "utf-8-sig", plain
        except UnicodeDecodeError:
            pass
    fh.seek(0)
    gb = codecs.getincrementaldecoder("gb18030")()
    try:
        for block in iter(lambda: fh.read(BLOCK), b""):
            gb.decode(block)
        gb.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportFailed([RowError(name, 0, "file", "not UTF-8 or GB18030 text")]) from None
    return "gb18030", plain


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


class _XlsxRows:
    """Rows of the first sheet as text; a formula cell gives its cached value, or an error when it has none."""

    def __init__(self, source, name: str):
        from openpyxl import load_workbook

        self.name = name
        self.errors: list[RowError] = []

        def sheet(data_only: bool):  # read-only: rows are parsed as they are iterated, not held
            src = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
            book = load_workbook(src, read_only=True, data_only=data_only)
            self.books.append(book)
            return book.worksheets[0]

        self.books: list = []
        try:
            self.values = sheet(True)
            self.formulas = sheet(False)
            self.max_row = self.values.max_row
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
        for book in self.books:
            book.close()


def _cell_text(v) -> str:
    import datetime as dt

    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
