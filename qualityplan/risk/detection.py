"""Statistical signals from sampling records (``monitoring.SamplingRecord``).

Set-based: one ``GROUP BY category, unit, sampling_date`` query gives the failed/total counts of every cell; months,
quarters and the province rate of each category and period are folded from those rows in Python (a few thousand
rows, whatever the number of records). A second query over the failing records only gives the clusters (one
enterprise, one failing item). Grouping by the date itself (not a month expression) keeps the query portable and
free of per-row SQL functions on SQLite.

Rules (``qualityplan.standards.spc``): the p-chart point of a cell against the province rate of the same category
and period (3σ, exact binomial tail for small counts), the rising run (``run_length`` consecutive periods, three by
default, of at least ``run_min_total`` batches each), and clusters in one category × city/county × period:

* ``enterprise_cluster`` — at least ``enterprise_cluster_min`` failing batches of one enterprise that are also at
  least ``enterprise_cluster_share`` of the cell's failing batches (one firm behind the failures, not one firm among
  many that failed by chance);
* ``item_cluster`` — at least ``item_cluster_min`` failing batches with the same failing item, and that many are
  improbable at the province rate of that item in the category and period: the exact binomial tail
  ``P(X ≥ x | n, p_item) ≤ item_cluster_alpha`` (the one-sided 3σ probability by default) — a p-chart point on the
  item's own failure rate.

Bounded output: one cluster signal per enterprise per period (its largest cell), one per failing item per
city/county and period (its largest category), and — when a whole year is scanned — a quarter's cluster only when
the quarter adds failing batches to the month clusters of the same subject and cell. Without these, 5,000,000 synthetic records (bench_risk.py)
raised an item cluster in nearly every cell and thousands of enterprise clusters.

The thresholds are settings (``RISK_SIGNAL_RULES`` overrides :data:`DEFAULT_RULES` key by key).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Count, Q

from qualityplan.monitoring.models import SamplingRecord
from qualityplan.orgs.models import Unit
from qualityplan.standards.spc import ALPHA_3SIGMA, binomial_upper_tail, p_chart_point, rising_run

FAIL = "不合格"
DEFAULT_RULES = {
    "run_length": 3,  # consecutive periods of strictly rising failure rates (the rule: three)
    "run_min_total": 5,  # each period of a rising run needs this many batches
    "enterprise_cluster_min": 3,  # failing batches of one enterprise in a cell
    "enterprise_cluster_share": 0.5,  # ... and at least this share of the cell's failing batches
    "item_cluster_min": 4,  # failing batches with one failing item in a cell
    "item_cluster_alpha": ALPHA_3SIGMA,  # ... improbable at the province rate of that item: exact tail ≤ alpha
}


def signal_rules() -> dict:
    """The thresholds in force: :data:`DEFAULT_RULES` overridden by ``settings.RISK_SIGNAL_RULES``."""
    rules = {**DEFAULT_RULES, **getattr(settings, "RISK_SIGNAL_RULES", {})}
    unknown = set(rules) - set(DEFAULT_RULES)
    if unknown:
        raise ValueError(f"RISK_SIGNAL_RULES: unknown keys {sorted(unknown)}")
    return rules


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

    @property
    def ref(self) -> str:
        """The risk's ``source_ref`` for this signal: :func:`signal_ref` of the key."""
        return signal_ref(self.key)

    def as_dict(self) -> dict:
        return {**asdict(self), "key": self.key, "ref": self.ref}


REF_LENGTH = 100  # Risk.source_ref


def signal_ref(key: str) -> str:
    """``key`` itself when it fits ``Risk.source_ref``; a longer key (a long category or subject) keeps its first
    83 characters and gets ``~`` + 16 hex digits of its BLAKE2b digest, so two long keys that share a beginning never
    map to the same risk (cutting them at 100 characters did)."""
    if len(key) <= REF_LENGTH:
        return key
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
    return f"{key[: REF_LENGTH - 17]}~{digest}"


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
    cfg = signal_rules()
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
        for j in range(i - cfg["run_length"] + 1, i + 1):
            f, t = cells.get((kind, category, unit_id, j), (0, 0)) if j >= 1 else (0, 0)
            rates.append(f / t if t >= cfg["run_min_total"] else None)
        if rising_run(rates, cfg["run_length"]) and failed > 0:
            signals.append(make(kind, category, unit_id, i, failed, total, "rising_run"))
    signals += _clusters(year, queryset, cells, prov, cfg, only, make)
    order = {"month": 0, "quarter": 1}
    signals.sort(key=lambda s: (s.period[:4], order["quarter" if "Q" in s.period else "month"], s.period,
                                s.category, s.unit_code, s.rule, s.subject))  # fmt: skip
    return signals


def tail_at_most(x: int, n: int, p: float, alpha: float) -> bool:
    """Whether the exact binomial tail ``P(X ≥ x | n, p) ≤ alpha``, deciding most cases in O(1).

    ``x ≤ n·p``: the tail is at least 1/2 (the median of a binomial is ⌊np⌋ or ⌈np⌉). Otherwise, with the relative
    entropy ``D = (x/n)·ln((x/n)/p) + (1 − x/n)·ln((1 − x/n)/(1 − p))``, the tail lies between
    ``exp(−nD) / √(8x(1 − x/n))`` and ``exp(−nD)`` (Chernoff; R. B. Ash, *Information Theory*, 1965, lemma 4.7.2);
    only when ``alpha`` falls between the two is the exact tail summed (``standards.spc.binomial_upper_tail``).
    """
    if x <= n * p:
        return alpha >= 0.5 and binomial_upper_tail(x, n, p) <= alpha
    if x >= n or p <= 0.0:
        return binomial_upper_tail(x, n, p) <= alpha
    q = x / n
    nd = n * (q * math.log(q / p) + (1 - q) * math.log((1 - q) / (1 - p)))
    upper = math.exp(-nd)
    if upper <= alpha:
        return True
    if upper / math.sqrt(8 * x * (1 - q)) > alpha:
        return False
    return binomial_upper_tail(x, n, p) <= alpha


def _clusters(year, queryset, cells, prov, cfg, only, make) -> list[Signal]:
    """The enterprise and item clusters, bounded (see the module docstring)."""
    by_ent: dict[tuple, int] = defaultdict(int)  # (kind, category, unit, i, enterprise) -> failing batches
    by_item: dict[tuple, int] = defaultdict(int)  # (kind, category, unit, i, item)
    prov_item: dict[tuple, int] = defaultdict(int)  # (kind, category, i, item): the province's failing batches
    for category, unit_id, day, uscc, enterprise, items, n in _failing_groups(year, queryset):
        for kind in ("month", "quarter"):
            i = _index(kind, day)
            by_ent[(kind, category, unit_id, i, uscc or enterprise)] += n
            for item in set(filter(None, (s.strip() for s in re.split(r"[;；、,，]", items or "")))):
                by_item[(kind, category, unit_id, i, item)] += n
                prov_item[(kind, category, i, item)] += n

    def enterprise_ok(kind, category, unit_id, i, subject, n):
        return n >= cfg["enterprise_cluster_share"] * cells[(kind, category, unit_id, i)][0]

    def item_ok(kind, category, unit_id, i, subject, n):
        total = cells[(kind, category, unit_id, i)][1]
        p_item = prov_item[(kind, category, i, subject)] / prov[(kind, category, i)][1]
        return tail_at_most(n, total, p_item, cfg["item_cluster_alpha"])

    out: list[Signal] = []
    for rule, groups, minimum, ok, one_per in (
        ("enterprise_cluster", by_ent, cfg["enterprise_cluster_min"], enterprise_ok, lambda k, c, u, i, s: (k, i, s)),
        ("item_cluster", by_item, cfg["item_cluster_min"], item_ok, lambda k, c, u, i, s: (k, u, i, s)),
    ):
        raised = {key: n for key, n in groups.items() if n >= minimum and ok(*key, n)}
        best: dict[tuple, tuple] = {}
        for key, n in sorted(raised.items(), key=lambda kv: (str(kv[0]), kv[1])):
            kind, category, unit_id, i, subject = key
            if kind == "quarter" and only is None:  # a whole year: a quarter repeating its month says nothing new
                months = [raised.get(("month", category, unit_id, m, subject), 0) for m in range(3 * i - 2, 3 * i + 1)]
                if max(months) == n:
                    continue
            slot = one_per(*key)
            if slot not in best or n > best[slot][1]:
                best[slot] = (key, n)
        for (kind, category, unit_id, i, subject), n in best.values():
            if only and (kind, i) != only:
                continue
            out.append(make(kind, category, unit_id, i, n, cells[(kind, category, unit_id, i)][1], rule, subject))
    return out


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
