"""Benchmark: ``credit status`` as of a date for 1,000,000 enterprises and 3,000,000 credit events.

.venv/bin/python bench/bench_credit.py --out var/bench/credit.md [--enterprises 1000000] [--events 3000000] [--runs 3]

Runs on the configured database inside a transaction that is rolled back (the demo data is left as it was).
Synthetic events (seeded RNG), decision dates 2019-01-01 … 2026-06-30, as of 2026-06-30: 40 % 行政处罚 (twelve
penalty combinations, four domains; 10 % of the repairable ones repaired), 30 % 监督抽检不合格 (food / agri / other,
result received 3–40 days after sampling; 5 % overturned), 10 % 经营异常名录 (half removed), 3 % 严重违法失信名单
(a fifth removed early), the rest 召回 and 荣誉. Publicity columns are derived on insert by the same
``credit.rules`` the services use (memoised per distinct date and combination).

Measured (median of ``--runs``):

* **status SQL** — ``selectors.status_queryset`` fetched in full (``values_list``): facts, class A–D, blacklist
  dates per enterprise in one set-based query;
* **credit status** — ``selectors.status_rows`` iterated in full (what ``qualityplan credit status --format json``
  does before writing: the status query, the published-penalty query, reasons and sampling suggestion per row);
* **DuckDB** — the same rules written independently in plain SQL over the *raw* columns (decision date, penalty
  kinds, lower amount, restriction years, domain, receipt date and product group, early end), with a working-day
  calendar table from ``qualityplan.standards.workdays``: publicity periods with ``date + INTERVAL n MONTH`` (end of
  month clamped like ``relativedelta``), recheck windows on the calendar, facts and class per enterprise.

The two computations are compared enterprise by enterprise (class, blacklisted, blacklist_until, abnormal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from qualityplan.credit import rules  # noqa: E402
from qualityplan.credit.classes import class_rules  # noqa: E402
from qualityplan.credit.policies import SYSTEM  # noqa: E402
from qualityplan.credit.selectors import status_queryset, status_rows  # noqa: E402
from qualityplan.standards import workdays  # noqa: E402

AS_OF = dt.date(2026, 6, 30)
FIRST = dt.date(2019, 1, 1)
EPOCH = dt.date(1970, 1, 1)
# (penalties, lower_amount, restrict_years)
COMBOS = [
    ("警告", None, None),
    ("通报批评", None, None),
    ("罚款", True, None),
    ("罚款", False, None),
    ("警告;罚款", True, None),
    ("罚款;没收", True, None),
    ("罚款;没收", False, None),
    ("责令停产停业;罚款", False, None),
    ("吊销", None, None),
    ("降低资质等级", None, None),
    ("罚款;限制从业", True, 2),
    ("限制从业", None, 5),
]
DOMAINS = ["食品", "药品", "特种设备", "其他"]
GROUPS = ["food", "agri", "industrial"]


class Rollback(Exception):
    pass


def _d(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


@cache
def _penalty(day: int, combo: int, domain: int):
    kinds, lower, years = COMBOS[combo]
    return rules.penalty_publicity(
        decision_date=_d(day),
        published_on=None,
        kinds=kinds.split(";"),
        lower_amount=lower,
        restrict_years=years,
        domain=DOMAINS[domain],
    )


@cache
def _sample(day: int, group: int) -> dt.date:
    return rules.failing_sample_effective(_d(day), rules.recheck_group(GROUPS[group]))


def generate(n_ent: int, n_ev: int, seed: int = 20260630) -> dict:
    rng = np.random.default_rng(seed)
    first, last = (FIRST - EPOCH).days, (AS_OF - EPOCH).days
    kind = rng.choice(
        np.array(["penalty", "sample_fail", "abnormal_in", "blacklist_in", "recall", "honour"], dtype=object),
        size=n_ev,
        p=[0.40, 0.30, 0.10, 0.03, 0.07, 0.10],
    )
    return {
        "enterprise_id": rng.integers(1, n_ent + 1, size=n_ev),
        "kind": kind,
        "day": rng.integers(first, last + 1, size=n_ev),
        "combo": rng.integers(0, len(COMBOS), size=n_ev),
        "domain": rng.integers(0, len(DOMAINS), size=n_ev),
        "group": rng.integers(0, len(GROUPS), size=n_ev),
        "receipt_lag": rng.integers(3, 41, size=n_ev),
        "u_end": rng.random(n_ev),
        "end_lag": rng.integers(0, 900, size=n_ev),
    }


def _by_key(keys: np.ndarray, fn) -> tuple[np.ndarray, ...]:
    """Apply ``fn`` once per distinct key (the rules are per date and combination) and spread the results back."""
    uniq, inv = np.unique(keys, return_inverse=True)
    cols = list(zip(*(fn(int(k)) for k in uniq), strict=True)) if uniq.size else []
    return tuple(np.asarray(c, dtype=np.int64)[inv] for c in cols)


def derive(raw: dict) -> dict:
    """Publicity columns through ``credit.rules`` (as the services would), plus the raw early-end dates."""
    n = raw["kind"].size
    kind, day = raw["kind"], raw["day"].astype(np.int64)
    starts = np.full(n, -1, dtype=np.int64)
    lasts = np.full(n, -1, dtype=np.int64)
    months = np.zeros(n, dtype=np.int64)
    repair = np.full(n, -1, dtype=np.int64)
    ended = np.full(n, -1, dtype=np.int64)
    severe = np.zeros(n, dtype=bool)
    received = np.full(n, -1, dtype=np.int64)
    overturned = np.zeros(n, dtype=bool)
    u, lag = raw["u_end"], raw["end_lag"].astype(np.int64)

    def pen(key: int):
        p = _penalty(key // 48, (key % 48) // 4, key % 4)
        if p is None:
            return -1, -1, 0, -1
        rf = (p.repair_from - EPOCH).days if p.repair_from else -1
        return (p.start - EPOCH).days, (p.last - EPOCH).days, p.months, rf

    m = kind == "penalty"
    if m.any():
        keys = day[m] * 48 + raw["combo"][m] * 4 + raw["domain"][m]
        starts[m], lasts[m], months[m], repair[m] = _by_key(keys, pen)
        sev = np.array([bool(rules.SEVERE.intersection(c[0].split(";"))) for c in COMBOS])
        severe[m] = sev[raw["combo"][m]] & (months[m] > 0)
        rep = m & (repair >= 0) & (u < 0.10)
        ended[rep] = repair[rep] + lag[rep] % 120
    m = kind == "sample_fail"
    received[m] = day[m] + raw["receipt_lag"][m]
    overturned[m] = u[m] < 0.05
    live = m & ~overturned
    if live.any():
        keys = received[live] * 3 + raw["group"][live]
        (starts[live],) = _by_key(keys, lambda k: ((_sample(k // 3, k % 3) - EPOCH).days,))
    m = kind == "blacklist_in"
    if m.any():

        def bl(k: int):
            p = rules.blacklist_period(_d(k))
            return (p.last - EPOCH).days, (p.repair_from - EPOCH).days

        starts[m], months[m] = day[m], 36
        lasts[m], repair[m] = _by_key(day[m], bl)
        rem = m & (u < 0.20)
        ended[rem] = repair[rem] + lag[rem] % 700
    m = kind == "abnormal_in"
    starts[m], repair[m] = day[m], day[m]
    rem = m & (u < 0.50)
    ended[rem] = day[rem] + 30 + lag[rem] % 370
    return {
        "starts": starts,
        "lasts": lasts,
        "months": months,
        "repair": repair,
        "ended": ended,
        "severe": severe,
        "received": received,
        "overturned": overturned,
    }


def _iso(days: np.ndarray) -> list:
    """Day numbers as ISO dates (``None`` for -1), built column-wise at C speed."""
    text = np.datetime_as_string(np.where(days < 0, 0, days).astype("datetime64[D]")).astype(object)
    text[days < 0] = None
    return text.tolist()


def _insert(cur, table: str, cols: list[str], columns: list[list], chunk: int = 100_000) -> None:
    mark = "?" if connection.vendor == "sqlite" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join([mark] * len(cols))})"  # noqa: S608
    n = len(columns[0])
    for a in range(0, n, chunk):
        cur.executemany(sql, list(zip(*(c[a : a + chunk] for c in columns), strict=True)))


def seed_db(n_ent: int, raw: dict, der: dict) -> float:
    t0 = time.perf_counter()
    now = timezone.now().isoformat(sep=" ")
    connection.ensure_connection()
    cur = connection.connection.cursor() if connection.vendor == "sqlite" else connection.cursor()
    for table in (
        "credit_creditdocument",
        "credit_repairapplication",
        "credit_creditevent",
        "credit_enterprisename",
        "credit_enterprise",
    ):  # only the synthetic rows in this (rolled back) transaction
        cur.execute(f"DELETE FROM {table}")  # noqa: S608
    ids = np.arange(1, n_ent + 1)
    _insert(
        cur,
        "credit_enterprise",
        ["id", "created_at", "updated_at", "uscc", "uscc_valid", "uscc_error", "name", "industry"],
        [
            ids.tolist(),
            [now] * n_ent,
            [now] * n_ent,
            np.char.add("B", np.char.zfill(ids.astype(str), 17)).tolist(),
            [False] * n_ent,
            [""] * n_ent,
            np.char.add("企业", ids.astype(str)).tolist(),
            [""] * n_ent,
        ],
    )
    n = raw["kind"].size
    pen = raw["kind"] == "penalty"
    combo = raw["combo"]
    pen_text = np.where(pen, np.array([c[0] for c in COMBOS], dtype=object)[combo], "")
    lower = np.array([c[1] for c in COMBOS], dtype=object)[combo]
    lower[~pen] = None
    years = np.array([c[2] for c in COMBOS], dtype=object)[combo]
    years[~pen] = None
    decision = np.where(pen, np.char.add("B", np.arange(n).astype(str)).astype(object), "")
    _insert(
        cur,
        "credit_creditevent",
        ["created_at", "updated_at", "enterprise_id", "kind", "date", "decision_no", "penalties", "lower_amount",
         "restrict_years", "domain", "recall_kind", "note", "received_on", "recheck_status", "starts_on", "last_day",
         "months", "repair_from", "ended_on", "severe", "version"],
        [
            [now] * n,
            [now] * n,
            raw["enterprise_id"].tolist(),
            raw["kind"].tolist(),
            _iso(raw["day"].astype(np.int64)),
            decision.tolist(),
            pen_text.tolist(),
            lower.tolist(),
            years.tolist(),
            np.array(DOMAINS, dtype=object)[raw["domain"]].tolist(),
            [""] * n,
            [""] * n,
            _iso(der["received"]),
            np.where(der["overturned"], "overturned", "none").tolist(),
            _iso(der["starts"]),
            _iso(der["lasts"]),
            der["months"].tolist(),
            _iso(der["repair"]),
            _iso(der["ended"]),
            der["severe"].tolist(),
            [1] * n,
        ],
    )  # fmt: skip
    if connection.vendor == "postgresql":
        cur.execute("ANALYZE credit_enterprise")
        cur.execute("ANALYZE credit_creditevent")
    else:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


def _calendar() -> dict:
    """Working-day calendar 2018–2027 from ``standards.workdays``: day, cumulative working days, next working day."""
    days = np.arange(np.datetime64("2018-01-01"), np.datetime64("2027-01-01"))
    flags = np.asarray(workdays.is_workday(days), dtype=bool)
    cum = np.cumsum(flags)
    nxt = np.empty(days.size, dtype=np.int64)
    nxt_val = -1
    ints = days.astype(np.int64)
    for j in range(days.size - 1, -1, -1):
        if flags[j]:
            nxt_val = ints[j]
        nxt[j] = nxt_val
    return {"d": ints, "cum": cum.astype(np.int64), "wd": flags, "next_wd": nxt}


def duckdb_status(raw: dict, der: dict, n_ent: int) -> tuple[float, float, dict] | None:
    try:
        import duckdb
    except ImportError:
        return None
    con = duckdb.connect()
    t0 = time.perf_counter()
    ev = {  # noqa: F841  (scanned by DuckDB by name)
        "enterprise_id": raw["enterprise_id"],
        "kind": raw["kind"],
        "day": raw["day"].astype(np.int32),
        "penalties": np.array([c[0] for c in COMBOS], dtype=object)[raw["combo"]],
        "lower_amount": np.array([c[1] is True for c in COMBOS])[raw["combo"]],
        "restrict_years": np.array([c[2] or 0 for c in COMBOS], dtype=np.int32)[raw["combo"]],
        "domain": np.array(DOMAINS, dtype=object)[raw["domain"]],
        "grp": np.array(GROUPS, dtype=object)[raw["group"]],
        "received": der["received"].astype(np.int32),
        "overturned": der["overturned"],
        "ended": der["ended"].astype(np.int32),
    }
    cal = _calendar()  # noqa: F841
    con.execute("CREATE TABLE e AS SELECT * FROM ev")
    con.execute(
        "CREATE TABLE c AS SELECT DATE '1970-01-01' + CAST(d AS INTEGER) AS d, cum, wd,"
        " DATE '1970-01-01' + CAST(next_wd AS INTEGER) AS next_wd FROM cal"
    )
    # one row per working day, keyed by its running count: "the k-th working day" is a join
    con.execute("CREATE TABLE w AS SELECT cum, d FROM c WHERE wd")
    t_load = time.perf_counter() - t0
    rules_ = class_rules()
    from dateutil.relativedelta import relativedelta

    since = AS_OF - relativedelta(months=rules_.failing_sample_months) + dt.timedelta(days=1)
    t0 = time.perf_counter()
    sql = f"""
    WITH ev AS (
      SELECT enterprise_id, kind, DATE '1970-01-01' + day AS d, penalties, lower_amount, restrict_years, domain, grp,
             CASE WHEN received >= 0 THEN DATE '1970-01-01' + received END AS received, overturned,
             CASE WHEN ended >= 0 THEN DATE '1970-01-01' + ended END AS ended
      FROM e WHERE kind IN ('penalty', 'sample_fail', 'abnormal_in', 'blacklist_in')
    ), pen AS (
      SELECT *,
        CASE
          WHEN penalties = '警告' THEN 0
          WHEN contains(penalties, '限制从业') AND restrict_years * 12 > 36 THEN restrict_years * 12
          WHEN regexp_matches(penalties, '没收|责令停产停业|限制生产经营|降低资质等级|吊销|限制从业') THEN 36
          WHEN contains(penalties, '罚款') AND NOT lower_amount THEN 36
          ELSE 3 END AS months,
        regexp_matches(penalties, '责令停产停业|吊销') AS severe
      FROM ev WHERE kind = 'penalty'
    ), periods AS (
      SELECT enterprise_id, kind, d AS starts, CAST(d + to_months(months) - INTERVAL 1 DAY AS DATE) AS last_day,
             months, severe, ended, NULL::DATE AS repair_from
      FROM pen WHERE months > 0
      UNION ALL
      SELECT enterprise_id, kind, d, CAST(d + INTERVAL 36 MONTH - INTERVAL 1 DAY AS DATE), 36, false, ended,
             CAST(d + INTERVAL 12 MONTH AS DATE)
      FROM ev WHERE kind = 'blacklist_in'
      UNION ALL
      SELECT enterprise_id, kind, d, NULL, 0, false, ended, NULL FROM ev WHERE kind = 'abnormal_in'
      UNION ALL
      SELECT ev.enterprise_id, ev.kind, w.d, NULL, 0, false, NULL, NULL
      FROM ev
      JOIN c c1 ON c1.d = ev.received
      JOIN c c15 ON c15.d = ev.received + 15
      JOIN c c2 ON c2.d = c15.next_wd
      JOIN w ON w.cum = CASE WHEN ev.grp = 'food' THEN c1.cum + 8 WHEN ev.grp = 'agri' THEN c1.cum + 6
                             ELSE c2.cum + 1 END
      WHERE ev.kind = 'sample_fail' AND NOT ev.overturned
    ), live AS (
      SELECT *, starts <= DATE '{AS_OF}' AND (last_day IS NULL OR last_day >= DATE '{AS_OF}')
                AND (ended IS NULL OR ended > DATE '{AS_OF}') AS on_day
      FROM periods
    ), facts AS (
      SELECT enterprise_id,
        count(*) FILTER (WHERE kind = 'blacklist_in' AND on_day) AS blacklisted,
        count(*) FILTER (WHERE kind = 'penalty' AND on_day AND severe) AS severe_penalties,
        count(*) FILTER (WHERE kind = 'penalty' AND on_day AND months >= 36) AS long_penalties,
        count(*) FILTER (WHERE kind = 'penalty' AND on_day) AS penalties,
        count(*) FILTER (WHERE kind = 'abnormal_in' AND on_day) AS abnormal,
        count(*) FILTER (WHERE kind = 'sample_fail' AND starts BETWEEN DATE '{since}' AND DATE '{AS_OF}')
          AS failing_samples,
        max(last_day) FILTER (WHERE kind = 'blacklist_in' AND on_day) AS blacklist_until
      FROM live GROUP BY enterprise_id
    )
    SELECT f.enterprise_id,
      CASE {" ".join(f"WHEN {r.fact} >= {r.min} THEN '{r.klass}'" for r in rules_.rules)}
           ELSE '{rules_.default_class}' END AS class,
      blacklisted > 0, blacklist_until, abnormal > 0
    FROM facts f
    """
    rows = con.execute(sql).fetchall()
    t_query = time.perf_counter() - t0
    out = {r[0]: (r[1], r[2], r[3], r[4]) for r in rows}
    return t_load, t_query, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="var/bench/credit.md")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--enterprises", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=3_000_000)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    raw = generate(args.enterprises, args.events)
    der = derive(raw)
    t_derive = time.perf_counter() - t0
    sql_times, rows_times = [], []
    django_out: dict = {}
    t_seed = 0.0
    try:
        with transaction.atomic():
            t_seed = seed_db(args.enterprises, raw, der)
            for _ in range(args.runs):
                t0 = time.perf_counter()
                res = list(
                    status_queryset(user=SYSTEM, as_of=AS_OF).values_list(
                        "id", "credit_class", "blacklisted", "blacklist_until", "abnormal"
                    )
                )
                sql_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                n_rows = sum(1 for _ in status_rows(user=SYSTEM, as_of=AS_OF))
                rows_times.append(time.perf_counter() - t0)
            django_out = {r[0]: (r[1], r[2] > 0, r[3], r[4] > 0) for r in res}
            raise Rollback
    except Rollback:
        pass
    duck = duckdb_status(raw, der, args.enterprises)
    classes = dict.fromkeys("ABCD", 0)
    for v in django_out.values():
        classes[v[0]] += 1
    lines = [
        "## Credit: `credit status` as of a date",
        "",
        f"`bench/bench_credit.py` — {args.enterprises:,} enterprises, {args.events:,} credit events, database "
        f"`{connection.vendor}`, as of {AS_OF}; median of {args.runs} runs. Generating and deriving the publicity "
        f"columns through `credit.rules` took {t_derive:.1f} s, inserting {t_seed:.1f} s (rolled back afterwards).",
        "",
        "Classes: " + ", ".join(f"{k} {v:,}" for k, v in classes.items()) + f"; {n_rows:,} status rows.",
        "",
        "| computation | seconds | ÷ DuckDB query |",
        "|---|---:|---:|",
    ]
    sql_med, rows_med = statistics.median(sql_times), statistics.median(rows_times)
    if duck is not None:
        d_load, d_query, d_out = duck
        default = class_rules().default_class
        mismatches = 0
        for eid, v in django_out.items():
            other = d_out.get(eid, (default, False, None, False))
            if v != other:
                mismatches += 1
        lines += [
            f"| status SQL (`status_queryset`, fetched in full) | {sql_med:.2f} | {sql_med / d_query:.1f}× |",
            f"| credit status (`status_rows`, all rows with penalties and reasons) | {rows_med:.2f} | "
            f"{rows_med / d_query:.1f}× |",
            f"| DuckDB, the same rules on the raw columns (query) | {d_query:.2f} | 1.0× |",
            f"| DuckDB load of the raw columns (not in the ratio) | {d_load:.2f} | |",
            "",
            f"Agreement, enterprise by enterprise (class, blacklisted, blacklist_until, abnormal): "
            f"{len(django_out) - mismatches:,} of {len(django_out):,} identical, {mismatches:,} different.",
        ]
    else:
        lines += [
            f"| status SQL (`status_queryset`) | {sql_med:.2f} | — |",
            f"| credit status (`status_rows`) | {rows_med:.2f} | — |",
            "",
            "DuckDB is not installed (`requirements-bench.lock`): no yardstick.",
        ]
    lines.append("")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    if duck is not None:
        assert mismatches == 0, f"{mismatches} enterprises differ between Django and DuckDB"
    return 0


if __name__ == "__main__":
    sys.exit(main())
