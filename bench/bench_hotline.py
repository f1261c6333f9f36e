"""Benchmark: 12345 work-order KPIs on 100,000 generated orders, checked against a direct SQL computation.

.venv/bin/python bench/bench_hotline.py --out var/bench/hotline.md [--orders 100000] [--runs 3]

Runs on the configured database inside a transaction that is rolled back (the demo data is left as it was).
Synthetic orders over 2017 for every city/county and the quality departments, every category; dispatched within
hours of receipt; deadlines and 签收 deadlines from the working-day calendar (vectorised ``add_workdays``); 85 %
closed (a quarter after the deadline), 8 % with a 退单, 5 % with a 重办, 60 % of the closed ones rated on the five
levels, 80 % of those solved; handling hours drawn per order. Measured: ``kpi.kpi_rows`` for the year by handling
unit and by city/county (median of ``--runs``), and the same KPIs computed directly in SQL (one hand-written
``GROUP BY`` with ``CASE``/``SUM`` over ``hotline_workorder``) in the same run — every count, rate and mean must be
equal, or the script fails. Target: the yearly KPI query < 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from qualityplan.hotline.choices import Category, Satisfaction, Status  # noqa: E402
from qualityplan.hotline.deadlines import DEFAULTS  # noqa: E402
from qualityplan.hotline.kpi import _bounds, kpi_rows, rate  # noqa: E402
from qualityplan.hotline.models import WorkOrder  # noqa: E402
from qualityplan.orgs.models import Unit  # noqa: E402
from qualityplan.standards.workdays import add_workdays  # noqa: E402

YEAR = 2017
AS_OF = dt.date(2017, 12, 31)


class Rollback(Exception):
    pass


def _seed(n: int) -> dict:
    rng = np.random.default_rng(20171231)
    if not Unit.objects.exists():
        from qualityplan.orgs.services import units_load_register

        units_load_register()
    regions = list(Unit.objects.filter(kind__in=("city", "county", "zone")).values_list("id", flat=True))
    depts = list(
        Unit.objects.filter(code__in=("QTS", "FDA", "SAIC", "HOUSING", "TOURISM")).values_list("id", flat=True)
    )
    cats = np.array(Category.values)
    limits = np.array([DEFAULTS[c] for c in Category.values])
    levels = np.array(Satisfaction.values)
    start = np.datetime64(f"{YEAR}-01-01")
    day = start + rng.integers(0, 365, n).astype("timedelta64[D]")
    minute = rng.integers(0, 24 * 60, n)
    cat_i = rng.integers(0, len(cats), n)
    region = np.array(regions)[rng.integers(0, len(regions), n)]
    lead = np.where(rng.random(n) < 0.6, region, np.array(depts)[rng.integers(0, len(depts), n)])
    deadline = add_workdays(day, limits[cat_i])
    disp_minutes = minute + rng.integers(10, 300, n)
    disp_day = day + (disp_minutes // 1440).astype("timedelta64[D]")
    sign_deadline = add_workdays(disp_day, 1)
    signed = rng.random(n) < 0.97
    sign_late = rng.random(n) < 0.1
    signed_day = np.where(sign_late, add_workdays(sign_deadline, 1), disp_day)
    closed = rng.random(n) < 0.85
    late = rng.random(n) < 0.25
    closed_day = np.where(
        late,
        add_workdays(deadline, rng.integers(1, 6, n)),
        add_workdays(day, np.maximum(1, limits[cat_i] - rng.integers(0, 2, n))),
    )
    returned = rng.random(n) < 0.08
    redone = rng.random(n) < 0.05
    rated = closed & (rng.random(n) < 0.6)
    level = levels[rng.choice(len(levels), n, p=[0.45, 0.3, 0.12, 0.08, 0.05])]
    solved = rng.random(n) < 0.8
    hours = np.round(rng.gamma(2.0, 30.0, n), 2)
    tz = timezone.get_current_timezone()
    rows = []
    to_date = lambda a: a.astype(dt.date)  # noqa: E731
    day_d, disp_d, sd_d, dl_d, sg_d, cl_d = map(
        to_date, (day, disp_day, sign_deadline, deadline, signed_day, closed_day)
    )
    for i in range(n):
        received = dt.datetime.combine(day_d[i], dt.time(int(minute[i] // 60), int(minute[i] % 60)), tzinfo=tz)
        dispatched = received + dt.timedelta(minutes=int(disp_minutes[i] - minute[i]))
        is_closed = bool(closed[i]) and cl_d[i] <= AS_OF + dt.timedelta(days=40)
        rows.append(
            WorkOrder(
                number=f"BENCH{i:07d}",
                received_at=received,
                category=cats[cat_i[i]],
                subject="product",
                region_id=int(region[i]),
                title="bench",
                content="bench",
                status=Status.CLOSED if is_closed else Status.IN_PROGRESS,
                lead_unit_id=int(lead[i]),
                dispatched_at=dispatched,
                dispatched_on=disp_d[i],
                sign_deadline=sd_d[i],
                signed_on=sg_d[i] if signed[i] else None,
                deadline=dl_d[i],
                original_deadline=dl_d[i],
                return_count=int(returned[i]),
                redo_count=int(redone[i]),
                closed_on=cl_d[i] if is_closed else None,
                handling_hours=Decimal(str(hours[i])) if is_closed else None,
                satisfaction=str(level[i]) if (rated[i] and is_closed) else "",
                resolved=bool(solved[i]) if (rated[i] and is_closed) else None,
            )
        )
    WorkOrder.objects.bulk_create(rows, batch_size=2000)
    return {"orders": n}


SQL = """
SELECT {key},
       COUNT(*),
       SUM(CASE WHEN signed_on IS NOT NULL AND signed_on <= sign_deadline THEN 1 ELSE 0 END),
       SUM(CASE WHEN deadline <= %(as_of)s OR (closed_on IS NOT NULL AND closed_on <= %(as_of)s) THEN 1 ELSE 0 END),
       SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= %(as_of)s AND closed_on <= deadline THEN 1 ELSE 0 END),
       SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= %(as_of)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= %(as_of)s AND return_count = 0 AND redo_count = 0
                THEN 1 ELSE 0 END),
       SUM(CASE WHEN satisfaction <> '' THEN 1 ELSE 0 END),
       SUM(CASE WHEN satisfaction IN ('very_satisfied', 'satisfied', 'basic') THEN 1 ELSE 0 END),
       SUM(CASE WHEN satisfaction <> '' AND resolved THEN 1 ELSE 0 END),
       AVG(CASE WHEN closed_on IS NOT NULL AND closed_on <= %(as_of)s THEN handling_hours END)
FROM hotline_workorder
WHERE received_at >= %(lo)s AND received_at < %(hi)s AND dispatched_on IS NOT NULL AND status <> 'merged'
GROUP BY {key}
"""


def _direct(by: str) -> dict:
    lo, hi = _bounds(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    key = "lead_unit_id" if by == "unit" else "region_id"
    out = {}
    with connection.cursor() as cur:
        sql = SQL.format(key=key)
        adapt = connection.ops.adapt_datetimefield_value  # the backend's own storage form (UTC on SQLite)
        params = [AS_OF] * sql.count("%(as_of)s") + [adapt(lo), adapt(hi)]
        cur.execute(sql.replace("%(as_of)s", "%s").replace("%(lo)s", "%s").replace("%(hi)s", "%s"), params)
        for k, disp, sig, due, cit, clo, first, rated, sat, res, avg in cur.fetchall():
            out[k] = {
                "dispatched": disp,
                "sign_rate": rate(sig, disp),
                "on_time_rate": rate(cit, due),
                "close_rate": rate(clo, disp),
                "first_time_rate": rate(first, clo),
                "satisfaction_rate": rate(sat, rated),
                "resolution_rate": rate(res, rated),
                "avg_hours": None
                if avg is None
                else Decimal(str(avg)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            }
    return out


def _orm(by: str):
    return kpi_rows(date_from=dt.date(YEAR, 1, 1), date_to=dt.date(YEAR, 12, 31), by=by, as_of=AS_OF)


def _timed(fn, runs):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    """On PostgreSQL (a throwaway cluster from ``scripts/with-postgres.sh``) run in a fresh migrated test database."""
    if connection.vendor != "postgresql":
        return run(argv)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(argv)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="var/bench/hotline.md")
    ap.add_argument("--orders", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    res: dict = {}
    mismatches: list[str] = []
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            _seed(args.orders)
            res["seed"] = time.perf_counter() - t0
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("ANALYZE hotline_workorder")
            for by in ("unit", "region"):
                res[f"orm_{by}"], rows = _timed(lambda by=by: _orm(by), args.runs)
                res[f"sql_{by}"], direct = _timed(lambda by=by: _direct(by), args.runs)
                res[f"groups_{by}"] = len(rows)
                res[f"orders_{by}"] = sum(r.dispatched for r in rows)
                for r in rows:
                    d = direct.get(r.key)
                    for field in ("dispatched", "sign_rate", "on_time_rate", "close_rate", "first_time_rate",
                                  "satisfaction_rate", "resolution_rate", "avg_hours"):  # fmt: skip
                        if d is None or d[field] != getattr(r, field):
                            mismatches.append(f"{by} {r.code} {field}: orm {getattr(r, field)} sql {d and d[field]}")
                if len(direct) != len(rows):
                    mismatches.append(f"{by}: {len(rows)} groups vs {len(direct)} in SQL")
                if by == "unit":
                    res["sample"] = rows[0]
            raise Rollback
    except Rollback:
        pass
    s = res["sample"]
    met = res["orm_unit"] < 1 and res["orm_region"] < 1
    target = f"{'met' if met else 'NOT met'} on `{connection.vendor}`"
    if connection.vendor != "postgresql":
        target += (
            " (the target is set for PostgreSQL: `scripts/with-postgres.sh .venv/bin/python bench/bench_hotline.py`)"
        )
    lines = [
        "## 12345 hotline: KPIs over a year of work orders",
        "",
        f"`bench/bench_hotline.py` — {args.orders:,} generated orders received in {YEAR}, database "
        f"`{connection.vendor}`; KPIs (签收及时率, 按时办结率, 办结率, 一次性办结率, 满意率, 解决率, 平均办理时长) for "
        f"the year, cut-off {AS_OF}; median of {args.runs} runs (all rolled back). Seeding took {res['seed']:.1f} s.",
        "",
        "| computation | groups | orders | seconds |",
        "|---|---:|---:|---:|",
        f'| `kpi.kpi_rows(by="unit")` (ORM, one grouped query) | {res["groups_unit"]} | {res["orders_unit"]:,} | '
        f"{res['orm_unit']:.3f} |",
        f"| direct SQL, by handling unit | {res['groups_unit']} | {res['orders_unit']:,} | {res['sql_unit']:.3f} |",
        f'| `kpi.kpi_rows(by="region")` | {res["groups_region"]} | {res["orders_region"]:,} | {res["orm_region"]:.3f} |',
        f"| direct SQL, by city/county | {res['groups_region']} | {res['orders_region']:,} | {res['sql_region']:.3f} |",
        "",
        f"Equality check (every count, rate and mean of every group, ORM vs direct SQL): "
        f"{'all equal' if not mismatches else f'{len(mismatches)} MISMATCHES'}. Target < 1 s for the yearly KPI "
        f"query: {target}.",
        "",
        f"Sample row ({s.name}): 签收及时率 {s.sign_rate} %, 按时办结率 {s.on_time_rate} %, 办结率 {s.close_rate} %, "
        f"一次性办结率 {s.first_time_rate} %, 满意率 {s.satisfaction_rate} %, 解决率 {s.resolution_rate} %, "
        f"平均办理时长 {s.avg_hours} h.",
        "",
    ]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    for m in mismatches[:20]:
        print("MISMATCH", m, file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
