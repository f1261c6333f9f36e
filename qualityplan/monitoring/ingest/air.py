"""Hourly air data: checks, the bulk insert, then station-day and city-day values (HJ 633 / GB 3095)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import StationKind
from qualityplan.monitoring.ingest.parser import Parser, factorize
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_check, station_pks
from qualityplan.monitoring.ingest.writers import AIR_POLLUTANTS, air_insert, save_daily
from qualityplan.monitoring.models import AirDaily, AirHourly, ImportBatch, Station
from qualityplan.monitoring.tables import ImportFailed, RowError, Table


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
    values = {k: p.measurement(k) for k in AIR_POLLUTANTS if p.has(k)}
    code_index = p.text_codes("station", max_length=40)
    names = p.text("station_name", required=False)
    codes, existing, new = station_check(
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
    station_ids = station_pks(codes, existing, new, p.code_index)
    unit_pks = np.array([u.pk for u in unit_list], dtype=np.int64)[unit_idx]
    day64 = np.array([d.isoformat() for d in days], dtype="datetime64[D]")
    date64 = day64[day_idx]
    hours = hour.astype(np.int64)
    unit_ids = sorted(set(unit_pks.tolist()))
    start, end = min(days), max(days)
    # No earlier hourly rows of these units in the file's date range: after the insert the database holds
    # exactly the file's rows there, so the daily values are computed from the arrays in memory.
    fresh = not AirHourly.objects.filter(station__unit_id__in=unit_ids, date__gte=start, date__lte=end).exists()
    created = air_insert(station_ids, date64, hours, values, batch, progress, fresh=fresh)
    progress.update(table.n, table.n, "daily", force=True)
    if fresh:
        full = {k: values.get(k, np.full(table.n, np.nan)) for k in AIR_POLLUTANTS}
        air_daily_replace(
            station_ids, unit_pks, date64, hours, full, unit_ids=unit_ids, start=start, end=end, batch=batch
        )
    else:
        air_daily_refresh(unit_ids=unit_ids, start=start, end=end, batch=batch)
    return created, table.n - created


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
    return air_daily_replace(station, city, dates, hour, values, unit_ids=unit_ids, start=start, end=end, batch=batch)


def air_daily_replace(station, city, dates, hour, values, *, unit_ids, start, end, batch) -> int:
    AirDaily.objects.filter(unit_id__in=unit_ids, date__gte=start, date__lte=end, source="hourly").delete()
    if not station.size:
        return 0
    order = np.argsort(station, kind="stable")
    su_station, first = np.unique(station[order], return_index=True)
    station_unit = dict(zip(su_station.tolist(), city[order][first].tolist(), strict=True))
    # The HJ 633 edition applies per day (2026 rules from 2026-03-01): a file spanning the change is split.
    days = np.unique(dates)
    editions = np.array([rules.air_edition(d) for d in days.astype(object)], dtype=object)
    saved = 0
    used = list(dict.fromkeys(editions.tolist()))
    for standard in used:
        part = slice(None) if len(used) == 1 else np.isin(dates, days[editions == standard])
        out = rules.air_daily(station[part], dates[part], hour[part], {k: v[part] for k, v in values.items()},
                              city=city[part], standard=standard)  # fmt: skip
        saved += save_daily(out, station_unit=station_unit, standard=standard, batch=batch)
    return saved
