"""Benchmark: hourly-air import and indicator evaluation.

.venv/bin/python bench/bench_indicators.py --out var/bench/indicators.md [--air-rows 1000000] [--sampling-rows 1000000]

Runs in a throwaway test database created through Django's test-database machinery on the configured backend
(SQLite by default; PostgreSQL when ``DATABASE_URL`` points at one, e.g. ``scripts/with-postgres.sh``), so the
application database is never touched.  Measured in the same run:

1. ``qualityplan import air FILE`` path (parse + validate every row, create stations, set-based insert, station-day
   and city-day values through ``qualityplan.standards``) vs the database's own bulk load of the same file into the
   same table: SQLite ``executemany`` of the parsed rows, PostgreSQL ``COPY … FROM STDIN``.  Goal ≥ 50 % of that rate.
2. ``evaluation_run(year=2017)`` (every target × unit × period + monthly trend values) over the air data and
   N sampling records, next to the same sampling aggregation in DuckDB on the same rows (yardstick), if installed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def make_air_csv(path: Path, n_rows: int, units) -> int:
    stations = max(1, round(n_rows / (365 * 24)))
    rng = np.random.default_rng(1)
    days = np.arange(np.datetime64("2017-01-01"), np.datetime64("2018-01-01")).astype(str)
    with path.open("w", newline="") as fh:
        fh.write("city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3\n")
        n = 0
        for s in range(stations):
            unit = units[s % len(units)]
            vals = rng.integers(5, 90, size=(days.size * 24, 6))
            i = 0
            buf = []
            for d in days:
                for h in range(24):
                    v = vals[i]
                    buf.append(f"{unit},B{s:04d},{d},{h},{v[0]},{v[1]},{v[2]},{v[3]},0.{v[4]},{v[5]}\n")
                    i += 1
            fh.write("".join(buf))
            n += len(buf)
    return n


def baseline_load(path: Path, station_ids: dict[str, int]) -> float:
    """The database's own bulk load of the same file into the same table (after it was emptied)."""
    from qualityplan.monitoring.models import AirHourly

    table = AirHourly._meta.db_table
    t0 = time.perf_counter()
    with transaction.atomic():  # one transaction, as the importer uses
        _baseline(path, station_ids, table)
    return time.perf_counter() - t0


def _baseline(path: Path, station_ids: dict[str, int], table: str) -> None:
    if connection.vendor == "postgresql":
        with path.open() as fh, connection.cursor() as cur:
            next(fh)
            # station codes → ids through a temp staging table, then one INSERT … SELECT (the COPY idiom)
            cur.execute("CREATE TEMP TABLE stage (city text, station text, date date, hour int, so2 float, no2 float, "
                        "pm10 float, pm25 float, co float, o3 float)")  # fmt: skip
            with cur.copy("COPY stage FROM STDIN WITH (FORMAT csv)") as cp:
                while chunk := fh.read(1 << 20):
                    cp.write(chunk)
            cur.execute(
                f"INSERT INTO {table} (station_id, date, hour, so2, no2, pm10, pm25, co, o3) "
                "SELECT s.id, g.date, g.hour, g.so2, g.no2, g.pm10, g.pm25, g.co, g.o3 FROM stage g "
                "JOIN monitoring_station s ON s.code = g.station"
            )
            cur.execute("DROP TABLE stage")
    else:
        with path.open(newline="") as fh:
            r = csv.reader(fh)
            next(r)
            rows = [(station_ids[x[1]], x[2], int(x[3]), *map(float, x[4:10])) for x in r]
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {table} (station_id, date, hour, so2, no2, pm10, pm25, co, o3) VALUES (?,?,?,?,?,?,?,?,?)".replace(
                    "?", "%s"
                ),
                rows,
            )


def make_sampling(n: int, units) -> list[tuple]:
    rng = np.random.default_rng(2)
    groups = np.array(["food", "agri", "industrial", "drug", "export"])
    g = groups[rng.integers(0, 5, n)]
    u = rng.integers(0, len(units), n)
    day = rng.integers(0, 365, n)
    ok = rng.random(n) < 0.97
    risk = rng.random(n) < 0.08
    base = dt.date(2017, 1, 1)
    return [
        (
            f"B{i:08d}",
            "E",
            units[u[i]].pk,
            "cat",
            g[i],
            (base + dt.timedelta(days=int(day[i]))).isoformat(),
            "合格" if ok[i] else "不合格",
            "" if ok[i] else "X",
            "风险监测" if risk[i] else "监督抽检",
        )  # fmt: skip
        for i in range(n)
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "indicators.md")
    ap.add_argument("--air-rows", type=int, default=1_000_000)
    ap.add_argument("--sampling-rows", type=int, default=1_000_000)
    args = ap.parse_args(argv)

    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, like production, not the in-memory test default
        tmpdb = Path(tempfile.mkdtemp(prefix="qp-bench-")) / "bench.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(tmpdb)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> int:
    from qualityplan.core.management.commands.bootstrap import PLANS_DIR
    from qualityplan.indicators.services import evaluation_run
    from qualityplan.monitoring.importers import import_file
    from qualityplan.monitoring.models import AirDaily, AirHourly, SamplingRecord, Station
    from qualityplan.orgs.selectors import local_government_units
    from qualityplan.orgs.services import units_load_register
    from qualityplan.plans import interchange
    from qualityplan.plans.services import plan_load

    units_load_register()
    plan_load(data=interchange.read_plan_file(PLANS_DIR / "hainan-2017.json"))
    units = list(local_government_units())
    vendor = connection.vendor
    lines = [f"## Indicators: import and evaluation ({vendor})", ""]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "air.csv"
        t0 = time.perf_counter()
        n = make_air_csv(path, args.air_rows, [u.name for u in units])
        print(f"generated {n} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        data = path.read_bytes()
        t0 = time.perf_counter()
        batch = import_file(kind="air", name="bench-air.csv", data=data)
        t_import = time.perf_counter() - t0
        assert batch.status == "done", batch.errors[:3]
        n_daily = AirDaily.objects.count()
        # split: the daily computation alone (recomputed the same way)
        from qualityplan.monitoring.importers import air_daily_refresh

        t0 = time.perf_counter()
        air_daily_refresh(unit_ids=[u.pk for u in units], start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31))
        t_daily = time.perf_counter() - t0
        ids = dict(Station.objects.values_list("code", "pk"))
        AirHourly.objects.all().delete()
        t_base = baseline_load(path, ids)
        assert AirHourly.objects.count() == n
        rate_qp = n / (t_import - t_daily)
        rate_qp_all = n / t_import
        rate_base = n / t_base
        base_name = "COPY into staging + INSERT…SELECT" if vendor == "postgresql" else "csv.reader + executemany"
        lines += [
            f"Hourly air rows: {n:,} ({len(ids)} stations × 365 days × 24 h), {len(data) / 1e6:.0f} MB CSV; "
            f"{n_daily:,} station-day + city-day values.",
            "",
            "| step | seconds | rows/s | vs bulk load |",
            "|---|---:|---:|---:|",
            f"| database bulk load ({base_name}) | {t_base:.1f} | {rate_base:,.0f} | 1.00 |",
            f"| qualityplan import: parse + validate + insert | {t_import - t_daily:.1f} | {rate_qp:,.0f} | {rate_qp / rate_base:.2f} |",
            f"| … plus daily values (HJ 633 / GB 3095 validity) | {t_import:.1f} | {rate_qp_all:,.0f} | {rate_qp_all / rate_base:.2f} |",
            f"| daily values alone (read back {n:,} rows, compute, write) | {t_daily:.1f} | | |",
            "",
            f"Goal: import ≥ 50 % of the bulk-load rate → {'met' if rate_qp / rate_base >= 0.5 else 'NOT met'} "
            f"({rate_qp / rate_base:.0%} without, {rate_qp_all / rate_base:.0%} with the daily computation).",
            "",
        ]
        # evaluation
        rows = make_sampling(args.sampling_rows, units)
        table = SamplingRecord._meta.db_table
        t0 = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            for start in range(0, len(rows), 100_000):
                cur.executemany(
                    f"INSERT INTO {table} (sample_no, enterprise, unit_id, product_category, product_group, sampling_date, "
                    "result, failing_items, sample_type, uscc, product_name, announcement) VALUES "
                    "(%s,%s,%s,%s,%s,%s,%s,%s,%s,'','','')",
                    rows[start : start + 100_000],
                )
        t_load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
        t_eval = time.perf_counter() - t0
        lines += [
            f"Evaluation of every target × unit × period (year + 3 quarters + monthly trend values) from "
            f"{len(rows):,} sampling records and {n:,} hourly air rows ({n_daily:,} daily values): "
            f"**{t_eval:.2f} s** ({summary['evaluations']} evaluations, {summary['computed_values']} computed values; "
            f"loading the sampling rows took {t_load_s:.1f} s).",
            "",
        ]
        try:
            import duckdb

            arr = {
                "unit": np.array([r[2] for r in rows]),
                "grp": np.array([r[4] for r in rows]),
                "d": np.array([r[5] for r in rows], dtype="datetime64[D]"),
                "res": np.array([r[6] for r in rows]),
                "typ": np.array([r[8] for r in rows]),
            }
            con = duckdb.connect()
            con.register("s", arr)
            t0 = time.perf_counter()
            con.execute(
                "SELECT unit, grp, month(d) m, typ, count(*), count(*) FILTER (WHERE res = '合格') FROM s GROUP BY ALL"
            ).fetchall()
            t_duck = time.perf_counter() - t0
            lines.append(f"DuckDB yardstick (same rows, in memory, the pass-rate aggregation only): {t_duck:.3f} s.")
        except ImportError:
            lines.append("DuckDB yardstick: skipped (duckdb not installed; `make bench` installs the bench extras).")
        lines += [
            "",
            "Dashboard latency under 16 concurrent clients: not measured yet (no time in this iteration); the dashboard's "
            "query count is pinned in tests (≤ 25 queries; the evaluations API list ≤ 8).",
        ]
        if vendor != "postgresql":
            lines.append(
                "PostgreSQL: not run here (DATABASE_URL is SQLite); run `scripts/with-postgres.sh .venv/bin/python "
                "bench/bench_indicators.py` for the COPY comparison."
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
