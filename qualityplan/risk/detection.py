"""Statistical signals from sampling records (``monitoring.SamplingRecord``).

Set-based: one ``GROUP BY category, unit, sampling_date`` query gives the failed/total counts of every cell; months,
quarters and the province rate of each category and period are folded from those rows in Python (a few thousand
rows, whatever the number of records). A second query over the failing records only gives the clusters (one
enterprise, one failing item). Grouping by the date itself (not a month expression) keeps the query portable and
free of per-row SQL functions on SQLite.

Rules (``qualityplan.standards.spc``): the p-chart point of a cell against the province rate of the same category
and period (3σ, exact binomial tail for small counts), the rising run (three consecutive periods of at least ``RUN_MIN_TOTAL`` batches each), and clusters:
``ENTERPRISE_CLUSTER_MIN`` failing batches of one enterprise or ``ITEM_CLUSTER_MIN`` failing batches with the same
failing item in one category × city/county × period.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Count, Q

from qualityplan.monitoring.models import SamplingRecord
from qualityplan.orgs.models import Unit
from qualityplan.standards.spc import p_chart_point, rising_run

FAIL = "不合格"
ENTERPRISE_CLUSTER_MIN = 3
ITEM_CLUSTER_MIN = 4
RUN_MIN_TOTAL = 5  # each of the three periods of a rising run needs this many batches
PERIOD_RE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|Q([1-4]))$")


@dataclass
class Signal:
    category: str
    unit: str
    unit_code: str
    period: str
    failed: int
    total: int
    rate: float
    province_rate: float
    limit: float
    z: float | None
    rule: str
    subject: str = ""

    @property
    def key(self) -> str:
        return "|".join(("signal", self.rule, self.category, self.unit_code, self.period, self.subject))

    def as_dict(self) -> dict:
        return {**asdict(self), "key": self.key}


def period_parse(period: str) -> tuple[int, str, int]:
    """``2017-07`` → (2017, "month", 7); ``2017Q3`` → (2017, "quarter", 3). ``ValueError`` otherwise."""
    m = PERIOD_RE.match(period or "")
    if not m:
        raise ValueError(f"period must be YYYY-MM or YYYYQn, got {period!r}")
    if m.group(2):
        return int(m.group(1)), "month", int(m.group(2))
    return int(m.group(1)), "quarter", int(m.group(3))


def _label(year: int, kind: str, i: int) -> str:
    return f"{year}-{i:02d}" if kind == "month" else f"{year}Q{i}"


def _index(kind: str, day) -> int:
    return day.month if kind == "month" else (day.month - 1) // 3 + 1


def cell_counts(year: int, queryset=None) -> list[tuple[str, int, object, int, int]]:
    """(category, unit id, date, failed, total) — the one aggregation query of the scan."""
    qs = queryset if queryset is not None else SamplingRecord.objects.all()
    rows = (
        qs.filter(sampling_date__year=year)
        .values_list("product_category", "unit_id", "sampling_date")
        .annotate(failed=Count("id", filter=Q(result=FAIL)), total=Count("id"))
        .order_by()
    )
    return list(rows)


def _failing_groups(year: int, queryset=None):
    qs = queryset if queryset is not None else SamplingRecord.objects.all()
    return list(
        qs.filter(sampling_date__year=year, result=FAIL)
        .values_list("product_category", "unit_id", "sampling_date", "uscc", "enterprise", "failing_items")
        .annotate(n=Count("id"))
        .order_by()
    )


def scan(*, year: int, period: str | None = None, queryset=None) -> list[Signal]:
    """Every signal of ``year`` (months and quarters), or of one ``period`` only."""
    only = None
    if period:
        p_year, p_kind, p_i = period_parse(period)
        if p_year != year:
            raise ValueError("period must lie in the scanned year")
        only = (p_kind, p_i)
    units = {u.id: u for u in Unit.objects.all()}
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # (kind, category, unit, i) -> [failed, total]
    prov: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # (kind, category, i)
    for category, unit_id, day, failed, total in cell_counts(year, queryset):
        for kind in ("month", "quarter"):
            i = _index(kind, day)
            c, p = cells[(kind, category, unit_id, i)], prov[(kind, category, i)]
            c[0] += failed
            c[1] += total
            p[0] += failed
            p[1] += total

    signals: list[Signal] = []
    points: dict[tuple, object] = {}

    def make(kind, category, unit_id, i, failed, total, rule, subject=""):
        pf, pt = prov[(kind, category, i)]
        centre = pf / pt
        point = points.get((kind, category, unit_id, i))
        u = units[unit_id]
        return Signal(
            category, u.name, u.code, _label(year, kind, i), failed, total, failed / total, centre,
            point.upper if point else 0.0, point.z if point else None, rule, subject,
        )  # fmt: skip

    for (kind, category, unit_id, i), (failed, total) in sorted(cells.items(), key=lambda kv: str(kv[0])):
        pf, pt = prov[(kind, category, i)]
        point = p_chart_point(failed, total, pf / pt)
        points[(kind, category, unit_id, i)] = point
        if only and (kind, i) != only:
            continue
        if point.signal:
            signals.append(make(kind, category, unit_id, i, failed, total, point.rule))
    # rising run: the rate of the last three consecutive periods strictly increasing, ending in this period
    for (kind, category, unit_id, i), (failed, total) in cells.items():
        if only and (kind, i) != only:
            continue
        rates = []
        for j in range(i - 2, i + 1):
            f, t = cells.get((kind, category, unit_id, j), (0, 0)) if j >= 1 else (0, 0)
            rates.append(f / t if t >= RUN_MIN_TOTAL else None)
        if rising_run(rates) and failed > 0:
            signals.append(make(kind, category, unit_id, i, failed, total, "rising_run"))
    # clusters: one enterprise, one failing item
    by_ent: dict[tuple, int] = defaultdict(int)
    by_item: dict[tuple, int] = defaultdict(int)
    for category, unit_id, day, uscc, enterprise, items, n in _failing_groups(year, queryset):
        for kind in ("month", "quarter"):
            i = _index(kind, day)
            by_ent[(kind, category, unit_id, i, uscc or enterprise)] += n
            for item in filter(None, (s.strip() for s in re.split(r"[;；、,，]", items or ""))):
                by_item[(kind, category, unit_id, i, item)] += n
    for rule, groups, minimum in (
        ("enterprise_cluster", by_ent, ENTERPRISE_CLUSTER_MIN),
        ("item_cluster", by_item, ITEM_CLUSTER_MIN),
    ):
        for (kind, category, unit_id, i, subject), n in groups.items():
            if n < minimum or (only and (kind, i) != only):
                continue
            total = cells[(kind, category, unit_id, i)][1]
            signals.append(make(kind, category, unit_id, i, n, total, rule, subject))
    order = {"month": 0, "quarter": 1}
    signals.sort(key=lambda s: (s.period[:4], order["quarter" if "Q" in s.period else "month"], s.period,
                                s.category, s.unit_code, s.rule, s.subject))  # fmt: skip
    return signals


def signal_find(*, key: str, year: int) -> Signal | None:
    """Recompute the period of ``key`` and return the signal with that key (never trusts posted numbers)."""
    parts = key.split("|")
    if len(parts) != 6 or parts[0] != "signal":
        return None
    try:
        p_year, _kind, _i = period_parse(parts[4])
    except ValueError:
        return None
    if p_year != year:
        return None
    return next((s for s in scan(year=year, period=parts[4]) if s.key == key), None)
