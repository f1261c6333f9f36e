"""The column parser: text columns of a :class:`~qualityplan.monitoring.tables.Table` → checked NumPy arrays.

Every check works on whole columns or on distinct values; each failing cell becomes a :class:`RowError` naming
the file, the spreadsheet row and the field.
"""

from __future__ import annotations

import datetime as dt
import gc
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from qualityplan.core import clock
from qualityplan.monitoring.tables import ImportFailed, RowError, Table
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.selectors import NameResolver


@dataclass
class Parser:
    table: Table
    errors: list[RowError]
    code_index: tuple[list, np.ndarray] | None = None  # distinct station codes and each row's index (_stations)
    resolver: NameResolver | None = None  # unit names (loaded once per file when given, else per call)

    @classmethod
    def open(cls, table: Table, *required: str) -> Parser:
        """A parser for ``table``; a missing required column rejects the file at once (nothing else to check)."""
        p = cls(table, [])
        if not p.require(*required):
            raise ImportFailed(p.errors)
        return p

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
        normal = [normalize_code(v) for v in spellings]
        odd = {k: lookalike(v) for k, v in enumerate(normal)}
        if any(odd.values()):
            bad = np.array([bool(odd[k]) for k in range(len(normal))], dtype=bool)
            for i in np.flatnonzero(bad[spelling_idx]):
                self._err(i, name, odd[int(spelling_idx[i])])
        values, canonical = factorize(normal)  # " B1", "Ｂ１" and "B1" are one value
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

    def code(self, name: str, *, required: bool = True, max_length: int | None = None) -> np.ndarray:
        """An identifier column (sample numbers, credit codes): NFKC-normalised, look-alike characters refused."""
        raw = self.table.columns.get(name)
        if raw is None:
            return np.full(self.table.n, "", dtype=object)
        self.table.columns[name] = [normalize_code(v) for v in raw]
        arr = self.text(name, required=required, max_length=max_length)
        for i, v in enumerate(arr):
            why = lookalike(v) if v and not v.isascii() else ""
            if why:
                self._err(i, name, why)
        return arr

    def number(
        self, name: str, *, required: bool = False, minimum: float | None = None, maximum: float | None = None
    ) -> np.ndarray:
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
        infinite = np.isinf(out)
        if infinite.any():  # "inf", "Infinity", "1e999": not a measurement
            bad |= infinite
        if bad.any():
            out[bad] = np.nan
            for i in np.flatnonzero(bad):
                self._err(i, name, f"not a finite number: {raw[i].strip()!r}")
        if required:
            for i in np.flatnonzero(blank):
                self._err(i, name, "value is required")
        with np.errstate(invalid="ignore"):
            if minimum is not None:
                for i in np.flatnonzero(out < minimum):
                    self._err(i, name, f"must be ≥ {minimum:g}, got {out[i]:g}")
            if maximum is not None:
                for i in np.flatnonzero(out > maximum):
                    self._err(i, name, f"must be ≤ {maximum:g} (plausible range), got {out[i]:g}")
        return out

    def measurement(self, name: str, *, required: bool = False) -> np.ndarray:
        """:meth:`number` with the field's plausible range (:data:`RANGES`)."""
        low, high = RANGES.get(name, DEFAULT_RANGE)
        return self.number(name, required=required, minimum=low, maximum=high)

    def date_codes(self, name: str) -> tuple[list[dt.date | None], np.ndarray]:
        """Distinct dates of the column (parsed once each) and the index of each row's date in that list."""
        raw = self.table.columns.get(name, [])
        uniq, inv = factorize(raw)
        parsed = [parse_date(v) for v in uniq]
        bad = np.array([d is None for d in parsed], dtype=bool)
        if bad.any():
            for i in np.flatnonzero(bad[inv]):
                self._err(i, name, f"not a date (YYYY-MM-DD): {raw[i]!r}")
        earliest, latest = date_window()
        outside = np.array([d is not None and not earliest <= d <= latest for d in parsed], dtype=bool)
        if outside.any():
            for i in np.flatnonzero(outside[inv]):
                d = parsed[int(inv[i])]
                self._err(i, name, f"date {d.isoformat()} is outside {earliest.isoformat()}…{latest.isoformat()}")
            parsed = [None if o else d for d, o in zip(parsed, outside.tolist(), strict=True)]
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
        resolver = self.resolver or NameResolver.load()
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
        scope = self.table.scope
        if scope is not None:
            foreign = np.array([u is not None and not scope.unit_allowed(u) for u in units], dtype=bool)
            if foreign.any():
                for i in np.flatnonzero(foreign[inv]):
                    self.scope_error(i, name, units[int(inv[i])])
        return units, inv

    def scope_error(self, i: int, name: str, unit) -> None:
        self._err(i, name, f"a row of {unit}: you may import only rows of {self.table.scope.unit_name}")

    def units(self, name: str = "city") -> np.ndarray:
        """Resolve a city/county name or GB code per row (local governments, incl. Yangpu)."""
        units, inv = self.unit_codes(name)
        return np.array(units + [None], dtype=object)[:-1][inv] if inv.size else np.array([], dtype=object)

    def duplicates(self, keys: list[np.ndarray], field: str) -> None:
        """A key seen earlier in the file (this table, or an earlier chunk of a streamed file) is a row error."""
        seen: dict[tuple, int] = self.table.seen.setdefault(field, {}) if self.table.seen is not None else {}
        row_number = self.table.row_number
        for i, key in enumerate(zip(*keys, strict=True)):
            first = seen.get(key)
            if first is not None:
                self._err(i, field, f"duplicate of row {first} in this file")
            else:
                seen[key] = row_number(i)

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


# Plausible range of each measured field (beyond it a value is a typo or a unit error, not a measurement).
# Air (μg/m³; CO mg/m³): well above the top HJ 633 IAQI breakpoints (SO2 2620, NO2 3840, PM10 600, PM2.5 500,
# CO 150, O3 1200). Water/sea (mg/L): pH 0–14 (GB 3838/3097), DO ≤ 20 (saturation ≈ 14.6 at 0 °C), FC (个/L)
# ≤ 1e8. Noise dB(A) 20–140. Coordinates in degrees.
RANGES: dict[str, tuple[float, float | None]] = {
    "SO2": (0, 10000), "NO2": (0, 10000), "PM10": (0, 10000), "PM2_5": (0, 10000), "CO": (0, 500),
    "O3": (0, 10000), "pH": (0, 14), "DO": (0, 20), "FC": (0, 1e8), "leq_dBA": (20, 140),
    "latitude": (-90, 90), "longitude": (-180, 180),
}  # fmt: skip
DEFAULT_RANGE = (0.0, 100000.0)  # other water/sea items, mg/L


def date_window() -> tuple[dt.date, dt.date]:
    """Dates accepted in imported files: [IMPORT_DATE_EARLIEST, today + IMPORT_DATE_AHEAD_DAYS]."""
    earliest = dt.date.fromisoformat(str(getattr(settings, "IMPORT_DATE_EARLIEST", "2000-01-01")))
    ahead = int(getattr(settings, "IMPORT_DATE_AHEAD_DAYS", 0))
    return earliest, clock.today() + dt.timedelta(days=ahead)


def normalize_code(v: str) -> str:
    """NFKC (full-width letters and digits → ASCII) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", v).strip() if not v.isascii() else v.strip()


def lookalike(v: str) -> str:
    """Why a code is refused ('' when fine): letters of other scripts that look like Latin ones, invisible marks."""
    if v.isascii():
        return "" if v.isprintable() else "contains a control character"
    for ch in v:
        if ch.isascii():
            if not ch.isprintable():
                return "contains a control character"
            continue
        name = unicodedata.name(ch, "")
        if name.startswith(("CJK ", "IDEOGRAPHIC")) or unicodedata.category(ch) == "Lo" and "CJK" in name:
            continue
        return f"contains {name or hex(ord(ch))} (U+{ord(ch):04X}), a look-alike of an ASCII character"
    return ""


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
    v = unicodedata.normalize("NFKC", v).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(v[:10] if fmt == "%Y-%m-%d" else v, fmt).date()
        except ValueError:
            continue
    return None
