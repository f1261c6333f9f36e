"""The column parser: text columns of a :class:`~qualityplan.monitoring.tables.Table` → checked NumPy arrays.

Every check works on whole columns or on distinct values; each failing cell becomes a :class:`RowError` naming
the file, the spreadsheet row and the field.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from qualityplan.monitoring.tables import RowError, Table
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.selectors import NameResolver


@dataclass
class Parser:
    table: Table
    errors: list[RowError]
    code_index: tuple[list, np.ndarray] | None = None  # distinct station codes and each row's index (_stations)

    def has(self, name: str) -> bool:
        return name in self.table.columns

    def require(self, *names: str) -> bool:
        missing = [n for n in names if n not in self.table.columns]
        for n in missing:
            self.errors.append(RowError(self.table.name, 1, n, "required column is missing"))
        return not missing

    def _err(self, i: int, name: str, msg: str) -> None:
        self.errors.append(RowError(self.table.name, self.table.row_number(int(i)), name, msg))

    def text(self, name: str, *, required: bool = True, max_length: int | None = None) -> np.ndarray:
        raw = self.table.columns.get(name)
        if raw is None:
            return np.full(self.table.n, "", dtype=object)
        arr = np.array([v.strip() for v in raw], dtype=object)
        if required:
            for i in np.flatnonzero(arr == ""):
                self._err(i, name, "value is required")
        if max_length and arr.size:
            lengths = np.fromiter(map(len, arr), dtype=np.int64, count=arr.size)
            for i in np.flatnonzero(lengths > max_length):
                self._err(i, name, f"longer than {max_length} characters")
        return arr

    def text_codes(self, name: str, *, max_length: int | None = None) -> tuple[list[str], np.ndarray]:
        """:meth:`text` (required) as distinct stripped values and each row's index into them.

        Stripping and the checks run once per distinct value; the errors are the same, in the same order.
        """
        raw = self.table.columns.get(name, ())
        spellings, spelling_idx = factorize(raw)
        values, canonical = factorize([v.strip() for v in spellings])  # " B1" and "B1" are one value
        idx = np.asarray(canonical, dtype=np.int64)[spelling_idx] if spelling_idx.size else spelling_idx
        if "" in values:
            for i in np.flatnonzero(idx == values.index("")):
                self._err(i, name, "value is required")
        if max_length and values:
            too_long = np.array([len(v) > max_length for v in values], dtype=bool)
            if too_long.any():
                for i in np.flatnonzero(too_long[idx]):
                    self._err(i, name, f"longer than {max_length} characters")
        return values, idx

    def number(self, name: str, *, required: bool = False, minimum: float | None = None) -> np.ndarray:
        raw = self.table.columns.get(name)
        if raw is None:
            return np.full(self.table.n, np.nan)
        try:  # fast path: every cell is a number (float() ignores surrounding whitespace)
            out = np.fromiter(map(float, raw), dtype=float, count=len(raw))
            blank = np.zeros(out.size, dtype=bool)
            bad = np.isnan(out)
        except ValueError:  # blanks or bad cells: one slower pass that records which is which
            out = np.full(len(raw), np.nan)
            blank = np.zeros(len(raw), dtype=bool)
            bad = np.zeros(len(raw), dtype=bool)
            for i, v in enumerate(raw):
                v = v.strip()
                if not v:
                    blank[i] = True
                    continue
                try:
                    out[i] = float(v)
                except ValueError:
                    bad[i] = True
                else:
                    bad[i] = out[i] != out[i]  # "nan" is not a measurement
        if bad.any():
            out[bad] = np.nan
            for i in np.flatnonzero(bad):
                self._err(i, name, f"not a number: {raw[i].strip()!r}")
        if required:
            for i in np.flatnonzero(blank):
                self._err(i, name, "value is required")
        if minimum is not None:
            with np.errstate(invalid="ignore"):
                for i in np.flatnonzero(out < minimum):
                    self._err(i, name, f"must be ≥ {minimum:g}, got {out[i]:g}")
        return out

    def date_codes(self, name: str) -> tuple[list[dt.date | None], np.ndarray]:
        """Distinct dates of the column (parsed once each) and the index of each row's date in that list."""
        raw = self.table.columns.get(name, [])
        uniq, inv = factorize(raw)
        parsed = [parse_date(v) for v in uniq]
        bad = np.array([d is None for d in parsed], dtype=bool)
        if bad.any():
            for i in np.flatnonzero(bad[inv]):
                self._err(i, name, f"not a date (YYYY-MM-DD): {raw[i]!r}")
        return parsed, inv

    def date(self, name: str) -> np.ndarray:
        parsed, inv = self.date_codes(name)
        return np.array(parsed + [None], dtype=object)[:-1][inv] if inv.size else np.array([], dtype=object)

    def choice(self, name: str, mapping: dict[str, str], *, default: str | None = None) -> np.ndarray:
        raw = self.text(name, required=default is None)
        out = np.empty(raw.size, dtype=object)
        for i, v in enumerate(raw):
            if v == "" and default is not None:
                out[i] = default
                continue
            hit = mapping.get(v, mapping.get(v.lower()))
            if hit is None:
                if v:
                    self._err(i, name, f"unknown value {v!r}; expected one of {sorted(set(mapping.values()))}")
                out[i] = None
            else:
                out[i] = hit
        return out

    def unit_codes(self, name: str = "city") -> tuple[list, np.ndarray]:
        """Distinct units of a city/county column (name or GB code, resolved once each) and each row's index."""
        raw = self.table.columns.get(name)
        if raw is None:
            return [None], np.zeros(self.table.n, dtype=np.int64)
        uniq, inv = factorize(raw)
        resolver = NameResolver.load()
        units: list = []
        for v in uniq:
            v = v.strip()
            unit = resolver.resolve(v).unit if v else None
            if unit is not None and unit.kind not in UnitKind.local_governments():
                unit = None
            units.append(unit)
        missing = np.array([u is None for u in units], dtype=bool)
        if missing.any():
            for i in np.flatnonzero(missing[inv]):
                v = raw[i].strip()
                self._err(i, name, f"unknown city/county {v!r} (name or GB/T 2260 code)" if v else "value is required")
        return units, inv

    def units(self, name: str = "city") -> np.ndarray:
        """Resolve a city/county name or GB code per row (local governments, incl. Yangpu)."""
        units, inv = self.unit_codes(name)
        return np.array(units + [None], dtype=object)[:-1][inv] if inv.size else np.array([], dtype=object)

    def duplicates(self, keys: list[np.ndarray], field: str) -> None:
        seen: dict[tuple, int] = {}
        for i, key in enumerate(zip(*keys, strict=True)):
            if key in seen:
                self._err(i, field, f"duplicate of row {self.table.row_number(seen[key])} in this file")
            else:
                seen[key] = i

    def duplicates_int(self, key: np.ndarray, field: str, rows: np.ndarray | None = None) -> None:
        """:meth:`duplicates` for one integer key per row (vectorised; messages only for the duplicate rows).

        ``rows``: the table row of each key when only some rows are checked.
        """
        if key.size < 2:
            return
        if key.min() >= 0 and key.max() < 4 * key.size and np.bincount(key).max() < 2:
            return  # dense keys, none twice: one counting pass instead of a sort
        order = np.argsort(key, kind="stable")
        ks = key[order]
        dup = np.flatnonzero(ks[1:] == ks[:-1]) + 1
        if not dup.size:
            return
        first_of_run = np.maximum.accumulate(np.where(np.r_[True, ks[1:] != ks[:-1]], np.arange(ks.size), 0))
        rows = np.arange(key.size) if rows is None else rows
        pairs = zip(rows[order[dup]].tolist(), rows[order[first_of_run[dup]]].tolist(), strict=True)
        for i, j in sorted(pairs):
            self._err(i, field, f"duplicate of row {self.table.row_number(j)} in this file")


def factorize(values) -> tuple[list, np.ndarray]:
    """Distinct values in order of first appearance and the index of each value in that list."""
    index = dict.fromkeys(values)
    for k, v in enumerate(index):
        index[v] = k
    inv = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
    return list(index), inv


@contextmanager
def gc_paused():
    """No cyclic garbage collection while millions of small containers are built (they are not cyclic)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_date(v: str) -> dt.date | None:
    v = v.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(v[:10] if fmt == "%Y-%m-%d" else v, fmt).date()
        except ValueError:
            continue
    return None
