"""Set-based, all-or-nothing, idempotent record imports (CSV/XLSX → records).

Flow of :func:`import_run`:

1. the file hash is looked up: a file already imported successfully for the same kind adds nothing
   (the batch is marked ``duplicate``);
2. every column is parsed and validated for the whole file; *all* row errors are collected and name
   the file, the spreadsheet row and the field — any error rejects the file and writes nothing;
3. the rows are written in one transaction, set-based (``bulk_create(ignore_conflicts=True)``, or
   ``executemany`` with ``ON CONFLICT DO NOTHING`` for hourly air data); natural keys make
   overlapping files idempotent too (existing rows are kept, counted as skipped);
4. derived values are refreshed (air: station-day and city-day values through ``qualityplan.standards``).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from qualityplan.core import clock
from qualityplan.core.audit import log_bulk
from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import (
    ImportKind,
    ImportStatus,
    NoisePeriod,
    ProductGroup,
    SampleType,
    SamplingResult,
    StationKind,
    WaterBody,
)
from qualityplan.monitoring.models import (
    AirDaily,
    AirHourly,
    ImportBatch,
    NoiseMeasurement,
    SamplingRecord,
    SeaSample,
    Station,
    WaterSample,
)
from qualityplan.monitoring.tables import ImportFailed, RowError, Table, file_sha256, read_table
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.selectors import NameResolver

AIR_POLLUTANTS = {"SO2": "so2", "NO2": "no2", "PM10": "pm10", "PM2_5": "pm25", "CO": "co", "O3": "o3"}
CHUNK = 50_000

# Header spellings accepted besides the canonical (standards CLI) names.
ALIASES = {
    "市县": "city",
    "城市": "city",
    "所在市县": "city",
    "region": "city",
    "地区": "city",
    "站点": "station",
    "站点代码": "station",
    "断面": "station",
    "点位": "station",
    "站位": "station",
    "站点名称": "station_name",
    "名称": "station_name",
    "日期": "date",
    "监测日期": "date",
    "采样日期": "date",
    "小时": "hour",
    "PM2.5": "PM2_5",
    "pm2_5": "PM2_5",
    "类型": "kind",
    "水体类型": "water_body",
    "河流": "river",
    "功能区": "zone",
    "时段": "period",
    "leq": "leq_dBA",
    "Leq": "leq_dBA",
    "抽样编号": "sample_no",
    "抽样单编号": "sample_no",
    "标称生产企业名称": "enterprise",
    "标称生产企业": "enterprise",
    "生产企业": "enterprise",
    "统一社会信用代码": "uscc",
    "被抽样单位所在市县": "city",
    "产品类别": "product_category",
    "分类": "product_category",
    "食品名称": "product_name",
    "样品名称": "product_name",
    "产品名称": "product_name",
    "抽样日期": "sampling_date",
    "检验结果": "result",
    "结果": "result",
    "不合格项目": "failing_items",
    "不合格项目║检验结果║标准值": "failing_items",
    "抽检类型": "sample_type",
    "任务类型": "sample_type",
    "公告号": "announcement",
    "指标归类": "product_group",
}

# Product categories → the pass-rate target they count towards (an explicit ``product_group`` column wins).
CATEGORY_GROUPS = {
    "蔬菜": ProductGroup.AGRI,
    "水果": ProductGroup.AGRI,
    "畜禽产品": ProductGroup.AGRI,
    "畜禽肉": ProductGroup.AGRI,
    "水产品": ProductGroup.AGRI,
    "食用农产品": ProductGroup.AGRI,
    "药品": ProductGroup.DRUG,
    "化学药品": ProductGroup.DRUG,
    "中成药": ProductGroup.DRUG,
    "中药饮片": ProductGroup.DRUG,
    "出口食品": ProductGroup.EXPORT,
    "出口工业品": ProductGroup.EXPORT,
    "出口商品": ProductGroup.EXPORT,
}
FOOD_WORDS = ("食品", "饮料", "酒", "乳制品", "粮食", "食用油", "调味品", "糕点", "茶叶", "肉制品", "罐头", "饮用水")


class Progress:
    """Progress of a running batch, in a small JSON file: visible to pollers while the transaction is open."""

    def __init__(self, batch: ImportBatch | None):
        self.batch = batch
        self.last = 0.0

    @staticmethod
    def path(batch_id: int):
        folder = settings.VAR_DIR / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"progress-{batch_id}.json"

    def update(self, processed: int, total: int, stage: str, force: bool = False) -> None:
        if self.batch is None or self.batch.pk is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.3:
            return
        self.last = now
        self.path(self.batch.pk).write_text(json.dumps({"processed": processed, "total": total, "stage": stage}))

    @classmethod
    def read(cls, batch_id: int) -> dict | None:
        try:
            return json.loads(cls.path(batch_id).read_text())
        except (OSError, ValueError):
            return None

    def clear(self) -> None:
        if self.batch is not None and self.batch.pk is not None:
            self.path(self.batch.pk).unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------- parsing


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
        parsed = [_parse_date(v) for v in uniq]
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


def _parse_date(v: str) -> dt.date | None:
    v = v.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return dt.datetime.strptime(v[:10] if fmt == "%Y-%m-%d" else v, fmt).date()
        except ValueError:
            continue
    return None


def _stations(p: Parser, kind, units: np.ndarray, extra: dict[str, np.ndarray] | None = None):
    """Station code per row; stations unknown so far are prepared for creation (first sight).

    ``kind`` is one station kind or an array with a kind per row.  A known station of another unit or
    kind is a row error.
    """
    codes = p.text("station", max_length=40)
    names = p.text("station_name", required=False)
    return _station_check(p, codes, names, kind, units, extra)


def _station_check(p: Parser, codes, names, kind, units, extra=None, unit_index=None, code_index=None):
    """The checks of :func:`_stations`, once per distinct (code, unit, kind) instead of once per row.

    ``units`` is a unit per row, or (with ``unit_index``) the distinct units and each row's index into them;
    likewise ``codes`` or (with ``code_index``, see :meth:`Parser.text_codes`) the distinct codes and indexes.
    """
    code_list, code_idx = factorize(codes.tolist()) if code_index is None else code_index
    n = code_idx.size
    kinds = np.full(n, kind, dtype=object) if isinstance(kind, str) else kind
    existing = {s.code: s for s in Station.objects.filter(code__in=code_list)}
    new: dict[str, Station] = {}
    if unit_index is None:
        unit_list, unit_index = factorize(units.tolist())
    else:
        unit_list = units
    kind_list, kind_idx = factorize(kinds.tolist()) if not isinstance(kind, str) else ([kind], np.zeros(n, np.int64))
    # one integer per (code, unit, kind): distinct keys by NumPy, in order of first appearance
    combined = (code_idx * len(unit_list) + unit_index) * len(kind_list) + kind_idx
    ukeys, first, key_index = np.unique(combined, return_index=True, return_inverse=True)
    by_appearance = np.argsort(first, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(by_appearance.size)
    first, key_index = first[by_appearance], rank[key_index]
    ukeys = ukeys[by_appearance]
    keys = [
        (
            code_list[k // (len(unit_list) * len(kind_list))],
            (k // len(kind_list)) % len(unit_list),
            kind_list[k % len(kind_list)],
        )
        for k in ukeys.tolist()
    ]
    bad: dict[int, tuple[str, str]] = {}  # key → (field, message)
    for k, (code, ui, knd) in enumerate(keys):
        unit = unit_list[ui]
        if not code or unit is None or knd is None:
            continue
        st = existing.get(code) or new.get(code)
        if st is None:
            i = int(first[k])
            fields = {f: v[i] for f, v in (extra or {}).items() if v[i] is not None}
            new[code] = Station(code=code, name=names[i] or code, kind=knd, unit=unit, **fields)
        elif st.unit_id != unit.pk:
            bad[k] = ("city", f"station {code} belongs to {st.unit}, not {unit}")
        elif st.kind != knd:
            bad[k] = ("station", f"station {code} is a {st.get_kind_display()} station, not {knd}")
    if bad:
        is_bad = np.zeros(len(keys), dtype=bool)
        is_bad[list(bad)] = True
        for i in np.flatnonzero(is_bad[key_index]):
            p._err(i, *bad[int(key_index[i])])
    p.code_index = (code_list, code_idx)
    return codes, existing, new


def _station_ids(codes: np.ndarray, existing: dict, new: dict, code_index=None) -> np.ndarray:
    if new:
        Station.objects.bulk_create(list(new.values()), ignore_conflicts=True)
        for s in Station.objects.filter(code__in=list(new)):
            existing[s.code] = s
    ids = {code: s.pk for code, s in existing.items()}
    uniq, inv = factorize(codes.tolist()) if code_index is None else code_index
    return np.array([ids[c] for c in uniq], dtype=np.int64)[inv] if inv.size else np.array([], dtype=np.int64)


def _none(arr: np.ndarray) -> list:
    obj = arr.astype(object)
    obj[np.isnan(arr)] = None
    return obj.tolist()


# --------------------------------------------------------------------------------------------- loaders


def load_air(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    """Hourly air rows: column-wise parsing and checks, one bulk insert, then station-day and city-day values.

    Every check works on whole columns (NumPy) and distinct values (units, dates, station/unit pairs are
    resolved once each); per-row Python runs only to word the errors of the failing rows.
    """
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "date", "hour")
    if not any(p.has(k) for k in AIR_POLLUTANTS):
        errors.append(
            RowError(table.name, 1, "SO2…O3", f"no pollutant column; expected some of {list(AIR_POLLUTANTS)}")
        )
    if errors:
        raise ImportFailed(errors)
    unit_list, unit_idx = p.unit_codes("city")
    spellings, spelling_idx = p.date_codes("date")
    days, canonical = factorize(spellings)  # 2017-01-01 and 2017/01/01 are the same day
    day_idx = np.asarray(canonical, dtype=np.int64)[spelling_idx] if spelling_idx.size else spelling_idx
    hour = p.number("hour", required=True)
    with np.errstate(invalid="ignore"):
        bad_hour = ~np.isnan(hour) & ((hour < 0) | (hour > 23) | (hour != np.floor(hour)))
    for i in np.flatnonzero(bad_hour):
        p._err(i, "hour", f"hour must be an integer 0–23, got {hour[i]:g}")
    values = {k: p.number(k, minimum=0) for k in AIR_POLLUTANTS if p.has(k)}
    code_index = p.text_codes("station", max_length=40)
    names = p.text("station_name", required=False)
    codes, existing, new = _station_check(
        p, None, names, StationKind.AIR, unit_list, unit_index=unit_idx, code_index=code_index
    )
    _, code_idx = p.code_index
    ok_hour = ~np.isnan(hour) & ~bad_hour
    if ok_hour.any():
        rows_ok = np.flatnonzero(ok_hour)
        key = (code_idx[rows_ok] * len(days) + day_idx[rows_ok]) * 24 + hour[rows_ok].astype(np.int64)
        p.duplicates_int(key, "hour", rows=rows_ok)
    if errors:
        raise ImportFailed(errors)
    progress.update(0, table.n, "write", force=True)
    station_ids = _station_ids(codes, existing, new, p.code_index)
    unit_pks = np.array([u.pk for u in unit_list], dtype=np.int64)[unit_idx]
    day64 = np.array([d.isoformat() for d in days], dtype="datetime64[D]")
    date64 = day64[day_idx]
    hours = hour.astype(np.int64)
    unit_ids = sorted(set(unit_pks.tolist()))
    start, end = min(days), max(days)
    # No earlier hourly rows of these units in the file's date range: after the insert the database holds
    # exactly the file's rows there, so the daily values are computed from the arrays in memory.
    fresh = not AirHourly.objects.filter(station__unit_id__in=unit_ids, date__gte=start, date__lte=end).exists()
    created = _air_insert(station_ids, date64, hours, values, batch, progress, fresh=fresh)
    progress.update(table.n, table.n, "daily", force=True)
    if fresh:
        full = {k: values.get(k, np.full(table.n, np.nan)) for k in AIR_POLLUTANTS}
        _air_daily_replace(
            station_ids, unit_pks, date64, hours, full, unit_ids=unit_ids, start=start, end=end, batch=batch
        )
    else:
        air_daily_refresh(unit_ids=unit_ids, start=start, end=end, batch=batch)
    return created, table.n - created


_PG_EPOCH = np.datetime64("2000-01-01", "D")


def _air_insert(
    station_ids, date64, hours, values: dict[str, np.ndarray], batch, progress: Progress, *, fresh: bool = False
) -> int:
    """Insert hourly rows, keeping rows already present (natural key); returns how many were inserted.

    SQLite: raw ``executemany`` of a multi-row ``INSERT … VALUES (…), (…) … ON CONFLICT DO NOTHING`` (50 rows per
    statement, within SQLite's 999 parameters).  PostgreSQL: binary ``COPY`` straight into the table when
    ``fresh`` (no stored hourly row in the file's units and dates, so no key can conflict; in a savepoint, so a
    concurrent import of the same keys falls back), otherwise into a temporary table and one
    ``INSERT … SELECT … ON CONFLICT DO NOTHING``.  Same transaction either way.
    """
    n = station_ids.size
    qn = connection.ops.quote_name
    table = qn(AirHourly._meta.db_table)
    cols = ["station_id", "date", "hour", *[AIR_POLLUTANTS[k] for k in values], "batch_id"]
    col_sql = ", ".join(qn(c) for c in cols)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            if fresh:
                try:
                    with transaction.atomic():
                        _copy_binary(raw, table, col_sql, station_ids, date64, hours, values, batch.pk, progress)
                    return n
                except connection.Database.IntegrityError:
                    pass  # rows of these keys appeared meanwhile: the staging path below keeps them
            raw.execute(
                "CREATE TEMP TABLE qp_air_stage (station_id bigint, date date, hour smallint, "
                + "".join(f"{AIR_POLLUTANTS[k]} float8, " for k in values)
                + "batch_id bigint)"
            )
            _copy_binary(raw, "qp_air_stage", col_sql, station_ids, date64, hours, values, batch.pk, progress)
            raw.execute(f"INSERT INTO {table} ({col_sql}) SELECT {col_sql} FROM qp_air_stage ON CONFLICT DO NOTHING")
            created = raw.rowcount
            raw.execute("DROP TABLE qp_air_stage")
        return created
    # One object array (row-major, one Python object per cell), cut into statements of `per` rows.
    width = len(cols)
    cells = np.empty((n, width), dtype=object)
    cells[:, 0] = station_ids.tolist()
    cells[:, 1] = date64.astype(str).tolist()
    cells[:, 2] = hours.tolist()
    for j, v in enumerate(values.values(), start=3):
        cells[:, j] = _none(v)
    cells[:, -1] = batch.pk
    per = max(1, min(50, connection.features.max_query_params // width))
    one = f"({', '.join(['%s'] * width)})"
    created = 0
    with connection.cursor() as cur:
        for start in range(0, n, CHUNK):
            chunk = cells[start : start + CHUNK]
            full = chunk.shape[0] // per * per
            if full:
                sql = f"INSERT INTO {table} ({col_sql}) VALUES {', '.join([one] * per)} ON CONFLICT DO NOTHING"
                cur.executemany(sql, chunk[:full].reshape(-1, per * width).tolist())
                created += cur.rowcount
            if full < chunk.shape[0]:
                cur.executemany(
                    f"INSERT INTO {table} ({col_sql}) VALUES {one} ON CONFLICT DO NOTHING", chunk[full:].tolist()
                )
                created += cur.rowcount
            progress.update(start + CHUNK, n, "write")
    return created


def _copy_binary(cur, table: str, col_sql: str, station_ids, date64, hours, values, batch_id, progress) -> None:
    """PostgreSQL binary COPY built as one NumPy record array (rows with a missing value go as text)."""
    names = list(values)
    nan = np.zeros(station_ids.size, dtype=bool)
    for v in values.values():
        nan |= np.isnan(v)
    dense = np.flatnonzero(~nan)
    fields = [("nf", ">i2"), ("l_st", ">i4"), ("st", ">i8"), ("l_d", ">i4"), ("d", ">i4"), ("l_h", ">i4"), ("h", ">i2")]
    for k in names:
        fields += [(f"l_{k}", ">i4"), (k, ">f8")]
    fields += [("l_b", ">i4"), ("b", ">i8")]
    rec = np.empty(dense.size, dtype=np.dtype(fields))
    rec["nf"] = 4 + len(names)
    rec["l_st"], rec["l_d"], rec["l_h"], rec["l_b"] = 8, 4, 2, 8
    rec["st"] = station_ids[dense]
    rec["d"] = (date64[dense] - _PG_EPOCH).astype(np.int64)
    rec["h"] = hours[dense]
    for k in names:
        rec[f"l_{k}"] = 8
        rec[k] = values[k][dense]
    rec["b"] = batch_id
    header = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
    with cur.copy(f"COPY {table} ({col_sql}) FROM STDIN WITH (FORMAT binary)") as cp:
        cp.write(header)
        step = 200_000
        for start in range(0, rec.size, step):
            cp.write(rec[start : start + step].tobytes())
            progress.update(start + step, station_ids.size, "write")
        cp.write((-1).to_bytes(2, "big", signed=True))
    sparse = np.flatnonzero(nan)
    if sparse.size:
        with cur.copy(f"COPY {table} ({col_sql}) FROM STDIN") as cp:
            for i in sparse.tolist():
                vals = [None if np.isnan(values[k][i]) else float(values[k][i]) for k in names]
                cp.write_row([int(station_ids[i]), str(date64[i]), int(hours[i]), *vals, batch_id])


def air_daily_refresh(*, unit_ids, start: dt.date, end: dt.date, batch: ImportBatch | None = None) -> int:
    """Recompute station-day and city-day values of ``unit_ids`` over [start, end] from hourly rows."""
    unit_ids = sorted(set(unit_ids))
    if not unit_ids:
        return 0
    qn = connection.ops.quote_name
    sql = (
        f"SELECT h.station_id, s.unit_id, h.date, h.hour, h.so2, h.no2, h.pm10, h.pm25, h.co, h.o3 "
        f"FROM {qn(AirHourly._meta.db_table)} h JOIN {qn(Station._meta.db_table)} s ON s.id = h.station_id "
        f"WHERE s.unit_id IN ({', '.join(['%s'] * len(unit_ids))}) AND h.date >= %s AND h.date <= %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*unit_ids, start, end])
        rows = cur.fetchall()
    if not rows:
        AirDaily.objects.filter(unit_id__in=unit_ids, date__gte=start, date__lte=end, source="hourly").delete()
        return 0
    cols = list(zip(*rows, strict=True))
    station = np.array(cols[0], dtype=np.int64)
    city = np.array(cols[1], dtype=np.int64)
    uniq, inv = factorize(cols[2])
    dates = np.array([str(d)[:10] for d in uniq], dtype="datetime64[D]")[inv]
    hour = np.array(cols[3], dtype=np.int64)
    values = {k: np.array(cols[4 + j], dtype=float) for j, k in enumerate(AIR_POLLUTANTS)}
    return _air_daily_replace(station, city, dates, hour, values, unit_ids=unit_ids, start=start, end=end, batch=batch)


def _air_daily_replace(station, city, dates, hour, values, *, unit_ids, start, end, batch) -> int:
    AirDaily.objects.filter(unit_id__in=unit_ids, date__gte=start, date__lte=end, source="hourly").delete()
    if not station.size:
        return 0
    standard = rules.air_edition(start)
    out = rules.air_daily(station, dates, hour, values, city=city, standard=standard)
    order = np.argsort(station, kind="stable")
    su_station, first = np.unique(station[order], return_index=True)
    station_unit = dict(zip(su_station.tolist(), city[order][first].tolist(), strict=True))
    return _save_daily(out, station_unit=station_unit, standard=standard, batch=batch)


def _save_daily(out: dict, *, station_unit: dict[int, int], standard: str, batch, source: str = "hourly") -> int:
    """Write daily rows set-based: raw ``executemany`` (SQLite) or ``COPY`` (PostgreSQL), no model instances."""
    n = len(out["date"])
    if not n:
        return 0
    is_station = np.asarray(out["scope"]) == "station"
    entity = np.asarray(out["entity"]).astype(np.int64)
    station_col = [e if s else None for e, s in zip(entity.tolist(), is_station.tolist(), strict=True)]
    unit_col = [station_unit[e] if s else e for e, s in zip(entity.tolist(), is_station.tolist(), strict=True)]
    level = out.get("level")
    level_col = (
        [lv if lv > 0 else None for lv in np.asarray(level).astype(np.int64).tolist()]
        if level is not None
        else [None] * n
    )
    prim = [str(v or "")[:60] for v in out["primary_pollutants"]]
    dates = np.asarray(out["date"]).astype("datetime64[D]").astype(str).tolist()
    columns = {
        "station_id": station_col,
        "unit_id": unit_col,
        "date": dates,
        "so2": _none(np.asarray(out["SO2"], dtype=float)),
        "no2": _none(np.asarray(out["NO2"], dtype=float)),
        "pm10": _none(np.asarray(out["PM10"], dtype=float)),
        "pm25": _none(np.asarray(out["PM2_5"], dtype=float)),
        "co": _none(np.asarray(out["CO"], dtype=float)),
        "o3_8h": _none(np.asarray(out["O3_8h"], dtype=float)),
        "aqi": _none(np.asarray(out["aqi"], dtype=float)),
        "level": level_col,
        "primary_pollutants": prim,
        "valid": np.asarray(out["valid"], dtype=bool).tolist(),
        "standard": [standard] * n,
        "source": [source] * n,
        "batch_id": [batch.pk if batch is not None else None] * n,
    }
    rows = list(zip(*columns.values(), strict=True))
    qn = connection.ops.quote_name
    table = qn(AirDaily._meta.db_table)
    col_sql = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor if hasattr(cur, "cursor") else cur
            with raw.copy(f"COPY {table} ({col_sql}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table} ({col_sql}) VALUES ({', '.join(['%s'] * len(columns))})", rows)
    return n


WATER_KINDS = {"surface": StationKind.SURFACE, "地表水": StationKind.SURFACE, "drinking": StationKind.DRINKING}
WATER_KINDS["饮用水水源地"] = StationKind.DRINKING
BODIES = {"river": WaterBody.RIVER, "河流": WaterBody.RIVER, "lake": WaterBody.LAKE, "湖库": WaterBody.LAKE}
BODIES["reservoir"] = WaterBody.LAKE


def load_water(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "date")
    if errors:
        raise ImportFailed(errors)
    units = p.units()
    date = p.date("date")
    kind = p.choice("kind", WATER_KINDS, default=StationKind.SURFACE)
    body = p.choice("water_body", BODIES, default=WaterBody.RIVER)
    items = {k: p.number(k, minimum=0 if k != "pH" else None) for k in rules.WATER_ITEMS if p.has(k)}
    if not items:
        errors.append(RowError(table.name, 1, "pH…FC", "no GB 3838 item column"))
    river = p.text("river", required=False)
    codes, existing, new = _stations(p, kind, units, {"water_body": body, "river": river})
    p.duplicates([codes, date], "date")
    if errors:
        raise ImportFailed(errors)
    classes, exceed = rules.water_classes(items, np.array(body, dtype=object))
    ids = _station_ids(codes, existing, new)
    objs = [
        WaterSample(
            station_id=int(ids[i]),
            date=date[i],
            items={k: float(v[i]) for k, v in items.items() if not np.isnan(v[i])},
            water_class=int(classes[i]) if classes[i] and not np.isnan(float(classes[i])) else None,
            exceed_iii=str(exceed[i] or "")[:300],
            standard=rules.WATER_STANDARD,
            batch=batch,
        )
        for i in range(table.n)
    ]
    return _bulk(WaterSample, objs, batch, progress)


def load_sea(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "date")
    if errors:
        raise ImportFailed(errors)
    units = p.units()
    date = p.date("date")
    items = {k: p.number(k, minimum=0) for k in rules.SEA_ITEMS if p.has(k)}
    if not items:
        errors.append(RowError(table.name, 1, "pH…Petroleum", "no GB 3097 item column"))
    codes, existing, new = _stations(p, StationKind.SEA, units)
    p.duplicates([codes, date], "date")
    if errors:
        raise ImportFailed(errors)
    classes = rules.sea_classes(items)
    ids = _station_ids(codes, existing, new)
    objs = [
        SeaSample(
            station_id=int(ids[i]),
            date=date[i],
            items={k: float(v[i]) for k, v in items.items() if not np.isnan(v[i])},
            sea_class=int(classes[i]) if classes[i] and not np.isnan(float(classes[i])) else None,
            batch=batch,
        )
        for i in range(table.n)
    ]
    return _bulk(SeaSample, objs, batch, progress)


NOISE_ZONES = {z: z for z in ("0", "1", "2", "3", "4a", "4b")}
NOISE_ZONES.update({"4A": "4a", "4B": "4b"})
PERIODS = {"day": NoisePeriod.DAY, "昼间": NoisePeriod.DAY, "night": NoisePeriod.NIGHT, "夜间": NoisePeriod.NIGHT}


def load_noise(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "date", "zone", "period", "leq_dBA")
    if errors:
        raise ImportFailed(errors)
    units = p.units()
    date = p.date("date")
    zone = p.choice("zone", NOISE_ZONES)
    period = p.choice("period", PERIODS)
    leq = p.number("leq_dBA", required=True, minimum=0)
    codes, existing, new = _stations(p, StationKind.NOISE, units, {"noise_zone": zone})
    p.duplicates([codes, date, period], "period")
    if errors:
        raise ImportFailed(errors)
    limit, compliant = rules.noise_compliance(zone, period, leq)
    ids = _station_ids(codes, existing, new)
    objs = [
        NoiseMeasurement(
            station_id=int(ids[i]),
            date=date[i],
            period=period[i],
            zone=zone[i],
            leq=float(leq[i]),
            limit=float(limit[i]),
            compliant=bool(compliant[i]),
            batch=batch,
        )
        for i in range(table.n)
    ]
    return _bulk(NoiseMeasurement, objs, batch, progress)


RESULTS = {"合格": SamplingResult.PASS, "pass": SamplingResult.PASS, "不合格": SamplingResult.FAIL}
RESULTS["fail"] = SamplingResult.FAIL
SAMPLE_TYPES = {t.value: t.value for t in SampleType}
GROUPS = {g.value: g.value for g in ProductGroup} | {str(g.label): g.value for g in ProductGroup}


def product_group_of(category: str) -> str | None:
    if category in CATEGORY_GROUPS:
        return CATEGORY_GROUPS[category]
    if category.startswith("出口"):
        return ProductGroup.EXPORT
    if "药" in category:
        return ProductGroup.DRUG
    if any(w in category for w in FOOD_WORDS):
        return ProductGroup.FOOD
    if category.endswith("产品") or category.endswith("品") or "工业" in category:
        return ProductGroup.INDUSTRIAL
    return None


def load_sampling(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("sample_no", "enterprise", "city", "product_category", "sampling_date", "result", "sample_type")
    if errors:
        raise ImportFailed(errors)
    sample_no = p.text("sample_no", max_length=60)
    enterprise = p.text("enterprise", max_length=200)
    uscc = p.text("uscc", required=False, max_length=18)
    units = p.units()
    category = p.text("product_category", max_length=100)
    explicit = p.choice("product_group", GROUPS, default="") if p.has("product_group") else None
    group = np.empty(table.n, dtype=object)
    for i, c in enumerate(category):
        group[i] = (explicit[i] if explicit is not None and explicit[i] else None) or product_group_of(c)
        if group[i] is None and c:
            p._err(
                i, "product_category", f"cannot tell which pass rate {c!r} counts towards; add a product_group column"
            )
    sdate = p.date("sampling_date")
    result = p.choice("result", RESULTS)
    stype = p.choice("sample_type", SAMPLE_TYPES)
    failing = p.text("failing_items", required=False)
    for i in np.flatnonzero((result == SamplingResult.FAIL) & (failing == "")):
        p._err(i, "failing_items", "a 不合格 result needs its failing items")
    p.duplicates([sample_no], "sample_no")
    if errors:
        raise ImportFailed(errors)
    valid = np.full(table.n, None, dtype=object)
    has = uscc != ""
    if has.any():
        valid[has] = rules.validate_uscc(uscc[has].tolist())
    names = p.text("product_name", required=False)
    ann = p.text("announcement", required=False)
    objs = [
        SamplingRecord(
            sample_no=sample_no[i],
            enterprise=enterprise[i],
            uscc=uscc[i],
            uscc_valid=valid[i],
            unit=units[i],
            product_category=category[i],
            product_group=group[i],
            product_name=names[i][:200],
            sampling_date=sdate[i],
            result=result[i],
            failing_items=failing[i][:300],
            sample_type=stype[i],
            announcement=ann[i][:100],
            batch=batch,
        )
        for i in range(table.n)
    ]
    created, skipped = _bulk(SamplingRecord, objs, batch, progress)
    bad = int(np.count_nonzero(valid == False))  # noqa: E712 - object array
    if bad:
        batch.message = f"{bad} USCC value(s) failed GB 32100 validation (kept, flagged)"
    return created, skipped


def load_station(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "kind")
    if errors:
        raise ImportFailed(errors)
    units = p.units()
    kinds = p.choice("kind", {k.value: k.value for k in StationKind} | {str(k.label): k.value for k in StationKind})
    extra = {
        "water_body": p.choice("water_body", BODIES | {"": ""}, default=""),
        "river": p.text("river", required=False),
        "noise_zone": p.choice("zone", NOISE_ZONES | {"": ""}, default=""),
        "latitude": np.array([None if np.isnan(x) else x for x in p.number("latitude")], dtype=object),
        "longitude": np.array([None if np.isnan(x) else x for x in p.number("longitude")], dtype=object),
    }
    codes, existing, new = _stations(p, kinds, units, extra)
    p.duplicates([codes], "station")
    if errors:
        raise ImportFailed(errors)
    _station_ids(codes, existing, new)
    return len(new), table.n - len(new)


def _bulk(model, objs: list, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    total = len(objs)
    for start in range(0, total, 5000):
        model.objects.bulk_create(objs[start : start + 5000], ignore_conflicts=True)
        progress.update(start + 5000, total, "write")
    created = model.objects.filter(batch=batch).count()
    return created, total - created


def _load_registry(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    from qualityplan.indicators.importers import load_registry

    return load_registry(table, batch, progress)


LOADERS: dict[str, Callable[[Table, ImportBatch, Progress], tuple[int, int]]] = {
    ImportKind.AIR: load_air,
    ImportKind.WATER: load_water,
    ImportKind.SEA: load_sea,
    ImportKind.NOISE: load_noise,
    ImportKind.SAMPLING: load_sampling,
    ImportKind.STATION: load_station,
    ImportKind.REGISTRY: _load_registry,
}


def registry_aliases() -> dict[str, str]:
    from qualityplan.indicators.importers import REGISTRY_ALIASES

    return REGISTRY_ALIASES


# --------------------------------------------------------------------------------------------- services


def import_batch_create(*, kind: str, name: str, data: bytes, user=None, store_file: bool = False) -> ImportBatch:
    """Register a file for import (the upload page stores it and queues :func:`import_run`)."""
    from django.core.files.base import ContentFile

    if kind not in LOADERS:
        raise ImportFailed([RowError(name, 0, "kind", f"unknown import kind {kind!r}")])
    batch = ImportBatch(
        kind=kind,
        file_name=name[:255],
        sha256=file_sha256(data),
        user=user if user is not None and user.is_authenticated else None,
        unit=getattr(user, "unit", None),
    )
    if store_file:
        batch.file.save(name, ContentFile(data), save=False)
    batch.save()
    return batch


def import_run(*, batch: ImportBatch, data: bytes | None = None) -> ImportBatch:
    """Run one batch: duplicate check, parse + validate everything, write in one transaction."""
    if data is None:
        with batch.file.open("rb") as fh:
            data = fh.read()
    progress = Progress(batch)
    done = ImportBatch.objects.filter(kind=batch.kind, sha256=batch.sha256, status=ImportStatus.DONE).first()
    if done is not None:
        batch.status = ImportStatus.DUPLICATE
        batch.message = f"identical file already imported as batch #{done.pk} on {done.finished_at:%Y-%m-%d %H:%M}"
        batch.finished_at = clock.now()
        batch.save()
        return batch
    batch.status = ImportStatus.RUNNING
    batch.started_at = clock.now()
    batch.save(update_fields=["status", "started_at", "updated_at"])
    try:
        aliases = ALIASES | (registry_aliases() if batch.kind == ImportKind.REGISTRY else {})
        with gc_paused():
            table = read_table(data, batch.file_name, aliases)
        batch.total_rows = table.n
        progress.update(0, table.n, "validate", force=True)
        with transaction.atomic(), gc_paused():
            created, skipped = LOADERS[batch.kind](table, batch, progress)
            batch.processed_rows = table.n
            # The file's text cells (up to millions of small strings) are no longer needed: free them on a helper
            # thread while the database runs the commit (deferred foreign-key checks; waiting on it releases the
            # GIL). Joined below, so the import does not return before they are freed.
            cells, table.columns = table.columns, {}
            freeing = threading.Thread(target=cells.clear, name="import-free-cells")
            freeing.start()
            batch.created_rows = created
            batch.skipped_rows = skipped
            batch.status = ImportStatus.DONE
            batch.finished_at = clock.now()
            batch.save()
            log_bulk(
                type(batch),
                action="create",
                summary={"batch": batch.pk, "kind": batch.kind, "file": batch.file_name, "created": created},
            )
        freeing.join()
    except ImportFailed as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            errors=[e.as_dict() for e in exc.errors],
            message=exc.message[:2000],
            total_rows=batch.total_rows,
            finished_at=clock.now(),
        )
        batch.refresh_from_db()
    finally:
        progress.clear()
    return batch


def import_file(*, kind: str, name: str, data: bytes, user=None) -> ImportBatch:
    """Create and run a batch in-process (CLI, tests, demo)."""
    batch = import_batch_create(kind=kind, name=name, data=data, user=user)
    return import_run(batch=batch, data=data)
