"""Benchmark: ``qualityplan risk scan`` over 5,000,000 sampling records, against the same aggregation in DuckDB.

.venv/bin/python bench/bench_risk.py --out var/bench/risk.md [--records 5000000] [--runs 3]

Runs on the configured database inside a transaction that is rolled back (the demo data is left as it was).
Synthetic 2017 sampling records (seeded RNG): 24 product categories with failure rates 1–8 %, the 20 cities and
counties (Haikou and Sanya three times as many batches), dates spread over the year, failing items from four per
category, 400 enterprises per category and unit; planted: 毒死蜱 in 豇豆 in 琼海市 in September at 25 %.

Measured (median of ``--runs``):

* **GROUP BY** — ``risk.detection.cell_counts``: the one aggregation query (category × unit × day, failed and total);
* **risk scan** — ``risk.detection.scan(year=2017)``: that query, the clusters query over the failing records, the
  folding into months, quarters and province rates, every p-chart point, the run rule and the clusters;
* **DuckDB** — the same aggregation (category × unit × month: failed, total) over the raw columns.

The monthly cells of Django (folded from the daily rows) and DuckDB are compared cell by cell.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from qualityplan.orgs.selectors import local_government_units  # noqa: E402
from qualityplan.risk.detection import cell_counts, scan  # noqa: E402

YEAR = 2017
CATEGORIES = [f"类别{i:02d}" for i in range(23)] + ["豇豆"]
RATES = np.linspace(0.01, 0.08, len(CATEGORIES))
PLANTED = ("豇豆", "琼海市", 9, 0.25)


class Rollback(Exception):
    pass


def generate(n: int, units: list, seed: int = 20170930) -> dict:
    rng = np.random.default_rng(seed)
    weights = np.array([3.0 if u.code in ("460100", "460200") else 1.0 for u in units])
    unit = rng.choice(len(units), size=n, p=weights / weights.sum())
    cat = rng.integers(0, len(CATEGORIES), size=n)
    day = rng.integers(0, 365, size=n)  # day of year 0..364
    month = (np.datetime64(f"{YEAR}-01-01") + day).astype("datetime64[M]").astype(int) % 12 + 1
    p = RATES[cat].copy()
    q = [i for i, u in enumerate(units) if u.name == PLANTED[1]][0]
    planted = (cat == CATEGORIES.index(PLANTED[0])) & (unit == q) & (month == PLANTED[2])
    p[planted] = PLANTED[3]
    fail = rng.random(n) < p
    item = rng.integers(0, 4, size=n)
    ent = rng.integers(0, 400, size=n)
    return {"unit": unit, "cat": cat, "day": day, "month": month, "fail": fail, "item": item, "ent": ent,
            "planted": planted}  # fmt: skip


def seed_db(raw: dict, units: list, chunk: int = 100_000) -> float:
    t0 = time.perf_counter()
    connection.ensure_connection()
    cur = connection.connection.cursor() if connection.vendor == "sqlite" else connection.cursor()
    mark = "?" if connection.vendor == "sqlite" else "%s"
    cols = ["sample_no", "enterprise", "uscc", "unit_id", "product_category", "product_group", "product_name",
            "sampling_date", "result", "failing_items", "sample_type", "announcement"]  # fmt: skip
    sql = f"INSERT INTO monitoring_samplingrecord ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"  # noqa: S608
    unit_ids = np.array([u.id for u in units])
    dates = np.datetime_as_string(np.datetime64(f"{YEAR}-01-01") + raw["day"]).astype(object)
    cats = np.array(CATEGORIES, dtype=object)
    n = raw["unit"].size
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        fail = raw["fail"][a:b]
        items = np.where(fail, np.char.add("项目", raw["item"][a:b].astype(str)), "")
        items[fail & raw["planted"][a:b]] = "毒死蜱"
        rows = zip(
            (f"B-{i:08d}" for i in range(a, b)),
            np.char.add("企业", raw["ent"][a:b].astype(str)).tolist(),
            [""] * (b - a),
            unit_ids[raw["unit"][a:b]].tolist(),
            cats[raw["cat"][a:b]].tolist(),
            ["agri"] * (b - a),
            [""] * (b - a),
            dates[a:b].tolist(),
            np.where(fail, "不合格", "合格").tolist(),
            items.tolist(),
            ["监督抽检"] * (b - a),
            [""] * (b - a),
            strict=True,
        )
        cur.executemany(sql, list(rows))
    cur.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE monitoring_samplingrecord")
    return time.perf_counter() - t0


def duckdb_cells(raw: dict, units: list):
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    t0 = time.perf_counter()
    s = {  # noqa: F841  (scanned by DuckDB by name)
        "unit_id": np.array([u.id for u in units])[raw["unit"]],
        "cat": raw["cat"].astype(np.int32),
        "d": raw["day"].astype(np.int32),
        "fail": raw["fail"],
    }
    con.execute("CREATE TABLE s AS SELECT unit_id, cat, DATE '2017-01-01' + d AS sampling_date, fail FROM s")
    t_load = time.perf_counter() - t0
    times, out = [], None
    for _ in range(3):
        t0 = time.perf_counter()
        out = con.execute(
            "SELECT cat, unit_id, month(sampling_date) AS m, count(*) FILTER (WHERE fail) AS failed, count(*) AS total"
            " FROM s WHERE year(sampling_date) = 2017 GROUP BY ALL"
        ).fetchall()
        times.append(time.perf_counter() - t0)
    cells = {(CATEGORIES[c], u, m): (f, t) for c, u, m, f, t in out}
    return t_load, statistics.median(times), cells


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="var/bench/risk.md")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--records", type=int, default=5_000_000)
    args = ap.parse_args(argv)
    units = list(local_government_units().order_by("sort_order", "code"))
    raw = generate(args.records, units)
    group_times, scan_times = [], []
    django_cells: dict = {}
    signals = []
    try:
        with transaction.atomic():
            cur = connection.cursor()
            # only the synthetic records in this (rolled back) transaction
            cur.execute("DELETE FROM risk_risksample")
            cur.execute("UPDATE credit_creditevent SET sampling_record_id = NULL")
            cur.execute("DELETE FROM monitoring_samplingrecord")
            t_seed = seed_db(raw, units)
            for _ in range(args.runs):
                t0 = time.perf_counter()
                rows = cell_counts(YEAR)
                group_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                signals = scan(year=YEAR)
                scan_times.append(time.perf_counter() - t0)
            cells = defaultdict(lambda: [0, 0])
            for category, unit_id, day, failed, total in rows:
                c = cells[(category, unit_id, day.month)]
                c[0] += failed
                c[1] += total
            django_cells = {k: tuple(v) for k, v in cells.items()}
            raise Rollback
    except Rollback:
        pass
    duck = duckdb_cells(raw, units)
    by_rule = defaultdict(int)
    for s in signals:
        by_rule[s.rule] += 1
    planted = [s for s in signals if s.category == PLANTED[0] and s.unit == PLANTED[1] and s.period == "2017-09"]
    g_med, s_med = statistics.median(group_times), statistics.median(scan_times)
    lines = [
        "## Risk: `risk scan` over sampling records",
        "",
        f"`bench/bench_risk.py` — {args.records:,} sampling records of {YEAR}, {len(CATEGORIES)} categories × "
        f"{len(units)} cities/counties, database `{connection.vendor}`; median of {args.runs} runs. Inserting took "
        f"{t_seed:.1f} s (rolled back afterwards).",
        "",
        f"Signals: {len(signals):,} (" + ", ".join(f"{k} {v:,}" for k, v in sorted(by_rule.items())) + "); the planted "
        f"豇豆 cluster in 琼海市, 2017-09: {', '.join(sorted(s.rule for s in planted)) or 'NOT RAISED'}.",
        "",
        "| computation | seconds | ÷ DuckDB query |",
        "|---|---:|---:|",
    ]
    if duck is not None:
        d_load, d_query, d_cells = duck
        mismatches = sum(1 for k in set(d_cells) | set(django_cells) if d_cells.get(k) != django_cells.get(k))
        lines += [
            f"| GROUP BY (`cell_counts`, category × unit × day) | {g_med:.2f} | {g_med / d_query:.1f}× |",
            f"| risk scan (`scan(year=2017)`: both queries, folding, p-charts, run rule, clusters) | {s_med:.2f} | "
            f"{s_med / d_query:.1f}× |",
            f"| DuckDB, category × unit × month on the raw columns (query) | {d_query:.3f} | 1.0× |",
            f"| DuckDB load of the raw columns (not in the ratio) | {d_load:.2f} | |",
            "",
            f"Agreement, monthly cell by cell (failed, total): {len(d_cells) - mismatches:,} of {len(d_cells):,} "
            f"identical, {mismatches:,} different.",
        ]
    else:
        lines += [f"| GROUP BY | {g_med:.2f} | — |", f"| risk scan | {s_med:.2f} | — |", "",
                  "DuckDB is not installed (`requirements-bench.lock`): no yardstick."]  # fmt: skip
    lines.append("")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if duck is not None:
        assert mismatches == 0, f"{mismatches} monthly cells differ between Django and DuckDB"
    assert planted, "the planted cluster was not raised"
    return 0


if __name__ == "__main__":
    sys.exit(main())
