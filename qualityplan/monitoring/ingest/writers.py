"""Bulk writers: ORM ``bulk_create`` batches, multi-row ``INSERT`` (SQLite) and binary ``COPY`` (PostgreSQL)."""

from __future__ import annotations

import itertools

import numpy as np
from django.db import connection, transaction

from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.models import AirDaily, AirHourly, ImportBatch

AIR_POLLUTANTS = {"SO2": "so2", "NO2": "no2", "PM10": "pm10", "PM2_5": "pm25", "CO": "co", "O3": "o3"}
CHUNK = 50_000


def nan_to_none(arr: np.ndarray) -> list:
    obj = arr.astype(object)
    obj[np.isnan(arr)] = None
    return obj.tolist()


_PG_EPOCH = np.datetime64("2000-01-01", "D")


def air_insert(
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
                        copy_binary(raw, table, col_sql, station_ids, date64, hours, values, batch.pk, progress)
                    return n
                except connection.Database.IntegrityError:
                    pass  # rows of these keys appeared meanwhile: the staging path below keeps them
            raw.execute(
                "CREATE TEMP TABLE qp_air_stage (station_id bigint, date date, hour smallint, "
                + "".join(f"{AIR_POLLUTANTS[k]} float8, " for k in values)
                + "batch_id bigint)"
            )
            copy_binary(raw, "qp_air_stage", col_sql, station_ids, date64, hours, values, batch.pk, progress)
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
        cells[:, j] = nan_to_none(v)
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


def copy_binary(cur, table: str, col_sql: str, station_ids, date64, hours, values, batch_id, progress) -> None:
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


def save_daily(out: dict, *, station_unit: dict[int, int], standard: str, batch, source: str = "hourly") -> int:
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
        "so2": nan_to_none(np.asarray(out["SO2"], dtype=float)),
        "no2": nan_to_none(np.asarray(out["NO2"], dtype=float)),
        "pm10": nan_to_none(np.asarray(out["PM10"], dtype=float)),
        "pm25": nan_to_none(np.asarray(out["PM2_5"], dtype=float)),
        "co": nan_to_none(np.asarray(out["CO"], dtype=float)),
        "o3_8h": nan_to_none(np.asarray(out["O3_8h"], dtype=float)),
        "aqi": nan_to_none(np.asarray(out["aqi"], dtype=float)),
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


def bulk_write(model, objs, batch: ImportBatch, progress: Progress, *, total: int) -> tuple[int, int]:
    """Insert ``objs`` (an iterable of ``total`` unsaved instances, consumed 5,000 at a time so that only those are
    in memory), keeping rows already stored (natural keys); returns (created, skipped) of these ``objs``."""
    before = model.objects.filter(batch=batch).count()
    it = iter(objs)
    done = 0
    while part := list(itertools.islice(it, 5000)):
        model.objects.bulk_create(part, ignore_conflicts=True)
        done += len(part)
        progress.update(done, total, "write")
    created = model.objects.filter(batch=batch).count() - before
    return created, done - created
