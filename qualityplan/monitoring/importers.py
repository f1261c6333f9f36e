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
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

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
        if max_length:
            for i, v in enumerate(arr):
                if len(v) > max_length:
                    self._err(i, name, f"longer than {max_length} characters")
        return arr

    def number(self, name: str, *, required: bool = False, minimum: float | None = None) -> np.ndarray:
        raw = self.table.columns.get(name)
        if raw is None:
            return np.full(self.table.n, np.nan)
        arr = np.char.strip(np.array(raw, dtype=str)) if raw else np.array([], dtype=str)
        blank = arr == ""
        try:
            out = np.where(blank, "nan", arr).astype(float)
            bad = np.isnan(out) & ~blank
        except ValueError:
            out = np.full(arr.size, np.nan)
            bad = np.zeros(arr.size, dtype=bool)
            for i, v in enumerate(arr):
                if blank[i]:
                    continue
                try:
                    out[i] = float(v)
                except ValueError:
                    bad[i] = True
        for i in np.flatnonzero(bad):
            self._err(i, name, f"not a number: {arr[i]!r}")
        if required:
            for i in np.flatnonzero(blank):
                self._err(i, name, "value is required")
        if minimum is not None:
            with np.errstate(invalid="ignore"):
                for i in np.flatnonzero(out < minimum):
                    self._err(i, name, f"must be ≥ {minimum:g}, got {out[i]:g}")
        return out

    def date(self, name: str) -> np.ndarray:
        raw = self.table.columns.get(name, [])
        uniq, inv = np.unique(np.array(raw, dtype=str), return_inverse=True)
        parsed = np.empty(uniq.size, dtype=object)
        bad = np.zeros(uniq.size, dtype=bool)
        for k, v in enumerate(uniq):
            parsed[k] = _parse_date(v)
            bad[k] = parsed[k] is None
        out = parsed[inv] if uniq.size else np.array([], dtype=object)
        for i in np.flatnonzero(bad[inv]) if uniq.size else []:
            self._err(i, name, f"not a date (YYYY-MM-DD): {raw[i]!r}")
        return out

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

    def units(self, name: str = "city") -> np.ndarray:
        """Resolve a city/county name or GB code per row (local governments, incl. Yangpu)."""
        raw = self.text(name)
        resolver = NameResolver.load()
        cache: dict[str, object] = {}
        out = np.empty(raw.size, dtype=object)
        for i, v in enumerate(raw):
            if v not in cache:
                unit = resolver.resolve(v).unit if v else None
                if unit is not None and unit.kind not in UnitKind.local_governments():
                    unit = None
                cache[v] = unit
            out[i] = cache[v]
            if out[i] is None and v:
                self._err(i, name, f"unknown city/county {v!r} (name or GB/T 2260 code)")
        return out

    def duplicates(self, keys: list[np.ndarray], field: str) -> None:
        seen: dict[tuple, int] = {}
        for i, key in enumerate(zip(*keys, strict=True)):
            if key in seen:
                self._err(i, field, f"duplicate of row {self.table.row_number(seen[key])} in this file")
            else:
                seen[key] = i


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
    kinds = np.full(codes.size, kind, dtype=object) if isinstance(kind, str) else kind
    existing = {s.code: s for s in Station.objects.filter(code__in=set(codes.tolist()))}
    new: dict[str, Station] = {}
    for i, code in enumerate(codes):
        if not code or units[i] is None or kinds[i] is None:
            continue
        st = existing.get(code) or new.get(code)
        if st is None:
            fields = {k: v[i] for k, v in (extra or {}).items() if v[i] is not None}
            new[code] = Station(code=code, name=names[i] or code, kind=kinds[i], unit=units[i], **fields)
        elif st.unit_id != units[i].pk:
            p._err(i, "city", f"station {code} belongs to {st.unit}, not {units[i]}")
        elif st.kind != kinds[i]:
            p._err(i, "station", f"station {code} is a {st.get_kind_display()} station, not {kinds[i]}")
    return codes, existing, new


def _station_ids(codes: np.ndarray, existing: dict, new: dict) -> np.ndarray:
    if new:
        Station.objects.bulk_create(list(new.values()), ignore_conflicts=True)
        for s in Station.objects.filter(code__in=list(new)):
            existing[s.code] = s
    ids = {code: s.pk for code, s in existing.items()}
    return np.array([ids[c] for c in codes], dtype=np.int64)


def _none(arr: np.ndarray) -> list:
    obj = arr.astype(object)
    obj[np.isnan(arr)] = None
    return obj.tolist()


# --------------------------------------------------------------------------------------------- loaders


def load_air(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    errors: list[RowError] = []
    p = Parser(table, errors)
    p.require("city", "station", "date", "hour")
    if not any(p.has(k) for k in AIR_POLLUTANTS):
        errors.append(
            RowError(table.name, 1, "SO2…O3", f"no pollutant column; expected some of {list(AIR_POLLUTANTS)}")
        )
    if errors:
        raise ImportFailed(errors)
    units = p.units("city")
    date = p.date("date")
    hour = p.number("hour", required=True)
    with np.errstate(invalid="ignore"):
        for i in np.flatnonzero(~np.isnan(hour) & ((hour < 0) | (hour > 23) | (hour != np.floor(hour)))):
            p._err(i, "hour", f"hour must be an integer 0–23, got {hour[i]:g}")
    values = {k: p.number(k, minimum=0) for k in AIR_POLLUTANTS if p.has(k)}
    codes, existing, new = _stations(p, StationKind.AIR, units)
    p.duplicates([codes, date, hour], "hour")
    if errors:
        raise ImportFailed(errors)
    progress.update(0, table.n, "write", force=True)
    station_ids = _station_ids(codes, existing, new)
    cols = ["station_id", "date", "hour", *[AIR_POLLUTANTS[k] for k in values], "batch_id"]
    data = [
        station_ids.tolist(),
        [d.isoformat() for d in date] if connection.vendor == "sqlite" else date.tolist(),
        hour.astype(int).tolist(),
        *[_none(v) for v in values.values()],
        [batch.pk] * table.n,
    ]
    table_name = connection.ops.quote_name(AirHourly._meta.db_table)
    col_sql = ", ".join(connection.ops.quote_name(c) for c in cols)
    placeholders = ", ".join(["%s"] * len(cols))
    sql = f"INSERT INTO {table_name} ({col_sql}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
    rows = list(zip(*data, strict=True))
    with connection.cursor() as cur:
        for start in range(0, len(rows), CHUNK):
            cur.executemany(sql, rows[start : start + CHUNK])
            progress.update(start + CHUNK, table.n, "write")
    created = AirHourly.objects.filter(batch=batch).count()
    progress.update(table.n, table.n, "daily", force=True)
    unit_ids = {u.pk for u in units}
    dates = list(date)
    air_daily_refresh(unit_ids=unit_ids, start=min(dates), end=max(dates), batch=batch)
    return created, table.n - created


def air_daily_refresh(*, unit_ids, start: dt.date, end: dt.date, batch: ImportBatch | None = None) -> int:
    """Recompute station-day and city-day values of ``unit_ids`` over [start, end] from hourly rows."""
    rows = list(
        AirHourly.objects.filter(station__unit_id__in=unit_ids, date__gte=start, date__lte=end).values_list(
            "station_id", "station__unit_id", "date", "hour", "so2", "no2", "pm10", "pm25", "co", "o3"
        )
    )
    AirDaily.objects.filter(unit_id__in=unit_ids, date__gte=start, date__lte=end, source="hourly").delete()
    if not rows:
        return 0
    cols = list(zip(*rows, strict=True))
    station = np.array(cols[0], dtype=np.int64)
    city = np.array(cols[1], dtype=np.int64)
    dates = np.array([d.isoformat() for d in cols[2]], dtype="datetime64[D]")
    hour = np.array(cols[3], dtype=np.int64)
    values = {k: np.array(cols[4 + j], dtype=float) for j, k in enumerate(AIR_POLLUTANTS)}
    standard = rules.air_edition(start)
    out = rules.air_daily(station, dates, hour, values, city=city, standard=standard)
    return _save_daily(
        out, station_unit=dict(zip(station.tolist(), city.tolist(), strict=False)), standard=standard, batch=batch
    )


def _save_daily(out: dict, *, station_unit: dict[int, int], standard: str, batch, source: str = "hourly") -> int:
    objs = []
    level = out.get("level")
    for i in range(len(out["date"])):
        is_station = out["scope"][i] == "station"
        entity = int(out["entity"][i])

        def val(key, i=i):
            v = float(out[key][i])
            return None if np.isnan(v) else v

        objs.append(
            AirDaily(
                station_id=entity if is_station else None,
                unit_id=station_unit[entity] if is_station else entity,
                date=dt.date.fromisoformat(str(out["date"][i])),
                so2=val("SO2"),
                no2=val("NO2"),
                pm10=val("PM10"),
                pm25=val("PM2_5"),
                co=val("CO"),
                o3_8h=val("O3_8h"),
                aqi=val("aqi"),
                level=int(level[i]) if level is not None and int(level[i]) > 0 else None,
                primary_pollutants=str(out["primary_pollutants"][i] or "")[:60],
                valid=bool(out["valid"][i]),
                standard=standard,
                source=source,
                batch=batch,
            )
        )
    AirDaily.objects.bulk_create(objs, batch_size=5000)
    return len(objs)


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
        batch.finished_at = timezone.now()
        batch.save()
        return batch
    batch.status = ImportStatus.RUNNING
    batch.started_at = timezone.now()
    batch.save(update_fields=["status", "started_at", "updated_at"])
    try:
        aliases = ALIASES | (registry_aliases() if batch.kind == ImportKind.REGISTRY else {})
        table = read_table(data, batch.file_name, aliases)
        batch.total_rows = table.n
        progress.update(0, table.n, "validate", force=True)
        with transaction.atomic():
            created, skipped = LOADERS[batch.kind](table, batch, progress)
            batch.processed_rows = table.n
            batch.created_rows = created
            batch.skipped_rows = skipped
            batch.status = ImportStatus.DONE
            batch.finished_at = timezone.now()
            batch.save()
            log_bulk(
                type(batch),
                action="create",
                summary={"batch": batch.pk, "kind": batch.kind, "file": batch.file_name, "created": created},
            )
    except ImportFailed as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            errors=[e.as_dict() for e in exc.errors],
            message=exc.message[:2000],
            total_rows=batch.total_rows,
            finished_at=timezone.now(),
        )
        batch.refresh_from_db()
    finally:
        progress.clear()
    return batch


def import_file(*, kind: str, name: str, data: bytes, user=None) -> ImportBatch:
    """Create and run a batch in-process (CLI, tests, demo)."""
    batch = import_batch_create(kind=kind, name=name, data=data, user=user)
    return import_run(batch=batch, data=data)
