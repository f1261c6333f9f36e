"""Hourly air data: checks, the bulk insert, then station-day and city-day values (HJ 633 / GB 3095)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import numpy as np
from django.db import connection

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import StationKind
from qualityplan.monitoring.ingest.parser import Parser, factorize, gc_paused
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_check, station_pks
from qualityplan.monitoring.ingest.writers import AIR_POLLUTANTS, air_insert, save_daily
from qualityplan.monitoring.models import AirDaily, AirHourly, ImportBatch, Station
from qualityplan.monitoring.tables import ImportFailed, RowError, chunk_rows, tmp_dir
from qualityplan.orgs.selectors import NameResolver


def load_air(reader, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    """Hourly air rows, streamed: each chunk of the file is parsed, checked and (while the file has no error so far)
    inserted; then station-day and city-day values are computed a window of days at a time: from the file's rows
    spilled per day to a temporary directory (``IMPORT_TMP_DIR``; when the database holds no other hourly row of
    these units and dates, it holds exactly these), otherwise from the stored hourly rows.

    ``reader`` is a :class:`~qualityplan.monitoring.tables.TableReader` (or anything with ``chunks()``,
    ``total_estimate()`` and ``read``).  Every check works on whole columns of a chunk (NumPy) and on distinct
    values (units, dates, station/unit pairs are resolved once each); per-row Python runs only to word the errors of
    the failing rows.  Duplicates are found across the whole file (one integer key per row is kept, not the rows).
    All-or-nothing: any error raises :class:`ImportFailed` at the end (the caller's transaction rolls back what the
    earlier chunks wrote), naming every bad row.
    """
    spill = DaySpill()
    try:
        return _load(reader, batch, progress, spill)
    finally:
        spill.close()


def _load(reader, batch: ImportBatch, progress: Progress, spill: DaySpill) -> tuple[int, int]:
    errors: list[RowError] = []
    resolver = NameResolver.load()
    code_ids: dict[str, int] = {}  # station code → number (whole file), for the duplicate key
    day_ids: dict[dt.date, int] = {}
    keys: list[np.ndarray] = []  # (station, day, hour) key of each row with a valid hour, per chunk
    key_rows: list[np.ndarray] = []  # and its spreadsheet row
    day_counts: dict[dt.date, int] = {}  # rows per day (windows of the daily values)
    unit_ids: set[int] = set()
    created = 0
    chunks = reader.chunks()
    first = True
    while True:
        with gc_paused():
            table = next(chunks, None)
            if table is None:
                break
            p = Parser(table, errors, resolver=resolver)
            if first:
                first = False
                p.require("city", "station", "date", "hour")
                if not any(p.has(k) for k in AIR_POLLUTANTS):
                    errors.append(RowError(table.name, 1, "SO2…O3",
                                           f"no pollutant column; expected some of {list(AIR_POLLUTANTS)}"))  # fmt: skip
                if errors:
                    raise ImportFailed(errors)
            progress.update(reader.read - table.n, reader.total_estimate(), "validate")
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
            code_list, code_idx = p.code_index
            ok_hour = ~np.isnan(hour) & ~bad_hour
            if ok_hour.any():
                rows_ok = np.flatnonzero(ok_hour)
                code_g = np.array([code_ids.setdefault(c, len(code_ids)) for c in code_list], dtype=np.int64)
                day_g = np.array([day_ids.setdefault(d, len(day_ids)) for d in days], dtype=np.int64)
                key = ((code_g[code_idx[rows_ok]] << 24) + day_g[day_idx[rows_ok]]) * 24 + hour[rows_ok].astype(
                    np.int64
                )
                keys.append(key)
                key_rows.append(np.array([table.row_number(int(i)) for i in rows_ok], dtype=np.int64))
            name = table.name
            if errors:
                continue  # nothing more is written: the transaction will be rolled back
            progress.update(reader.read - table.n, reader.total_estimate(), "write")
            station_ids = station_pks(codes, existing, new, p.code_index)
            unit_pks = np.array([u.pk for u in unit_list], dtype=np.int64)[unit_idx]
            day64 = np.array([d.isoformat() for d in days], dtype="datetime64[D]")
            date64 = day64[day_idx]
            chunk_units = sorted(set(unit_pks.tolist()))
            unit_ids.update(chunk_units)
            for d, c in zip(days, np.bincount(day_idx, minlength=len(days)).tolist(), strict=True):
                day_counts[d] = day_counts.get(d, 0) + c
            # No stored hourly row of another batch in these units and days: nothing can conflict (PostgreSQL
            # copies straight into the table; a key this file repeats makes it fall back to the staging table).
            fresh = not (
                AirHourly.objects.filter(station__unit_id__in=chunk_units, date__gte=min(days), date__lte=max(days))
                .exclude(batch=batch)
                .exists()
            )
            hours = hour.astype(np.int64)
            created += air_insert(station_ids, date64, hours, values, batch, progress, fresh=fresh)
            spill.add(station_ids, unit_pks, date64, hours, values)
            del table, p, values
    if keys:
        _duplicates(errors, name, np.concatenate(keys), np.concatenate(key_rows))
    if errors:
        raise ImportFailed(errors)
    total = reader.read
    progress.update(total, total, "daily", force=True)
    if day_counts:
        start, end = min(day_counts), max(day_counts)
        others = AirHourly.objects.filter(station__unit_id__in=unit_ids, date__gte=start, date__lte=end).exclude(
            batch=batch
        )
        if others.exists():  # other batches' hours in these units and days: from the database
            air_daily_refresh(unit_ids=unit_ids, start=start, end=end, batch=batch, day_counts=day_counts)
        else:  # the database holds exactly the file's rows there: from the spilled rows, no read-back
            ids = sorted(unit_ids)
            AirDaily.objects.filter(unit_id__in=ids, date__gte=start, date__lte=end, source="hourly").delete()
            for lo, hi, part in spill.windows(chunk_rows()):
                values = {k: part[k] for k in AIR_POLLUTANTS}
                air_daily_replace(part["st"], part["unit"], part["day"].astype("datetime64[D]"), part["hour"], values,
                                  unit_ids=ids, start=lo, end=hi, batch=batch, delete=False)  # fmt: skip
    return created, total - created


class DaySpill:
    """The file's hourly rows (ids, day, hour, values; 69 bytes a row) appended to one temporary file per day, so
    the daily values can be computed a window of days at a time without holding the file or reading rows back.
    The directory is made on first use under ``IMPORT_TMP_DIR`` and removed by :meth:`close`."""

    DTYPE = np.dtype([("st", "<i8"), ("unit", "<i8"), ("day", "<i4"), ("hour", "<i1")]
                     + [(k, "<f8") for k in AIR_POLLUTANTS])  # fmt: skip

    def __init__(self):
        self.dir: Path | None = None
        self.counts: dict[int, int] = {}  # day (days since 1970-01-01) → rows

    def add(self, station_ids, unit_pks, date64, hours, values: dict[str, np.ndarray]) -> None:
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="air-days-", dir=tmp_dir()))
        rec = np.empty(station_ids.size, dtype=self.DTYPE)
        rec["st"], rec["unit"], rec["hour"] = station_ids, unit_pks, hours
        rec["day"] = date64.astype("datetime64[D]").astype(np.int64)
        for k in AIR_POLLUTANTS:
            rec[k] = values.get(k, np.nan)
        order = np.argsort(rec["day"], kind="stable")
        rec = rec[order]
        days, starts, counts = np.unique(rec["day"], return_index=True, return_counts=True)
        for day, a, n in zip(days.tolist(), starts.tolist(), counts.tolist(), strict=True):
            with open(self.dir / f"{day}.bin", "ab") as fh:
                rec[a : a + n].tofile(fh)
            self.counts[day] = self.counts.get(day, 0) + n

    def windows(self, rows: int):
        """(first day, last day, rows) of consecutive days holding about ``rows`` rows each, at least a day."""
        epoch = dt.date(1970, 1, 1)
        counts = {epoch + dt.timedelta(days=d): n for d, n in self.counts.items()}
        for lo, hi in _windows(counts, rows):
            parts = [np.fromfile(self.dir / f"{(d - epoch).days}.bin", dtype=self.DTYPE)
                     for d in sorted(counts) if lo <= d <= hi]  # fmt: skip
            yield lo, hi, np.concatenate(parts)

    def close(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def _duplicates(errors: list[RowError], name: str, key: np.ndarray, rows: np.ndarray) -> None:
    """ "duplicate of row N in this file" for every row whose (station, day, hour) an earlier row already has."""
    if key.size < 2:
        return
    order = np.lexsort((rows, key))
    ks = key[order]
    dup = np.flatnonzero(ks[1:] == ks[:-1]) + 1
    if not dup.size:
        return
    first_of_run = np.maximum.accumulate(np.where(np.r_[True, ks[1:] != ks[:-1]], np.arange(ks.size), 0))
    pairs = zip(rows[order[dup]].tolist(), rows[order[first_of_run[dup]]].tolist(), strict=True)
    for row, earlier in sorted(pairs):
        errors.append(RowError(name, row, "hour", f"duplicate of row {earlier} in this file"))


def air_daily_refresh(
    *, unit_ids, start: dt.date, end: dt.date, batch: ImportBatch | None = None, day_counts: dict | None = None
) -> int:
    """Recompute station-day and city-day values of ``unit_ids`` over [start, end] from hourly rows.

    The hourly rows are read a window of consecutive days at a time (about ``IMPORT_CHUNK_ROWS`` rows; a day is
    never split — every daily value needs only its own day's hours), so memory does not grow with the range.
    ``day_counts``: rows per day when the caller knows them (else counted by the database).
    """
    unit_ids = sorted(set(unit_ids))
    if not unit_ids:
        return 0
    AirDaily.objects.filter(unit_id__in=unit_ids, date__gte=start, date__lte=end, source="hourly").delete()
    qn = connection.ops.quote_name
    join = (
        f"FROM {qn(AirHourly._meta.db_table)} h JOIN {qn(Station._meta.db_table)} s ON s.id = h.station_id "
        f"WHERE s.unit_id IN ({', '.join(['%s'] * len(unit_ids))}) AND h.date >= %s AND h.date <= %s"
    )
    if day_counts is None:
        with connection.cursor() as cur:
            cur.execute(f"SELECT h.date, count(*) {join} GROUP BY h.date", [*unit_ids, start, end])
            day_counts = {_day(d): c for d, c in cur.fetchall()}
    saved = 0
    for lo, hi in _windows(day_counts, chunk_rows()):
        with connection.cursor() as cur:
            # the date as text: no per-row conversion to datetime.date (SQLite's converter is Python code)
            cur.execute(f"SELECT h.station_id, s.unit_id, CAST(h.date AS TEXT), h.hour, h.so2, h.no2, h.pm10, h.pm25, "
                        f"h.co, h.o3 {join}", [*unit_ids, lo, hi])  # fmt: skip
            rows = cur.fetchall()
        if not rows:
            continue
        cols = list(zip(*rows, strict=True))
        del rows
        station = np.array(cols[0], dtype=np.int64)
        city = np.array(cols[1], dtype=np.int64)
        uniq, inv = factorize(cols[2])
        dates = np.array([str(d)[:10] for d in uniq], dtype="datetime64[D]")[inv]
        hour = np.array(cols[3], dtype=np.int64)
        values = {k: np.array(cols[4 + j], dtype=float) for j, k in enumerate(AIR_POLLUTANTS)}
        del cols
        saved += air_daily_replace(station, city, dates, hour, values, unit_ids=unit_ids, start=lo, end=hi,
                                   batch=batch, delete=False)  # fmt: skip
    return saved


def _day(d) -> dt.date:
    return d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10])


def _windows(day_counts: dict, rows: int):
    """Ranges [first, last] of consecutive days (in date order) holding about ``rows`` rows each, at least a day."""
    lo = hi = None
    count = 0
    for day in sorted(day_counts):
        n = day_counts[day]
        if lo is not None and count + n > rows:
            yield lo, hi
            lo = None
        if lo is None:
            lo, count = day, 0
        hi, count = day, count + n
    if lo is not None:
        yield lo, hi


def air_daily_replace(station, city, dates, hour, values, *, unit_ids, start, end, batch, delete: bool = True) -> int:
    if delete:
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
