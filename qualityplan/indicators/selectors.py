"""Reads for indicators, scoped to the requesting user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Q

from qualityplan.indicators.choices import Method, ReporterScope, Status, SubmissionStatus
from qualityplan.indicators.models import ComputedValue, Evaluation, Indicator, Submission
from qualityplan.indicators.periods import periods_of_year
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Target


def _unit_scoped(user) -> bool:
    return user.is_authenticated and not (user.is_office or user.role in ("viewer", "inspector"))


def led_indicators(user):
    """Indicators a provincial department leads (it answers for them in every city/county); none for others."""
    if not (_unit_scoped(user) and user.unit_id) or user.unit.is_local_government:
        return Indicator.objects.none()
    return Indicator.objects.filter(responsible_units=user.unit_id)


def evaluations_visible(*, user, year: int, period: str | None = None):
    """Office/viewers: everything; a unit: its own rows plus the province rows (context); a provincial department
    also every city/county row of the indicators it leads (its map and comparison)."""
    qs = Evaluation.objects.restrict(user, "view")
    if _unit_scoped(user):
        visible = Q(unit__isnull=True) | Q(unit_id=user.unit_id)
        led = led_indicators(user)
        if led.exists():
            visible |= Q(indicator_id__in=led.values("id"))
        qs = Evaluation.objects.filter(visible)
    qs = qs.filter(year=year)
    if period:
        qs = qs.filter(period=period)
    return qs.select_related("target", "indicator", "unit")


def evaluation_scope(user) -> str:
    """What :func:`evaluations_visible` lets ``user`` see, as a cache-key part: every row, or one unit's rows."""
    if not user.is_authenticated:
        return "none"
    return f"unit:{user.unit_id}" if _unit_scoped(user) else "all"


def evaluation_years() -> list[int]:
    return list(Evaluation.objects.order_by("-year").values_list("year", flat=True).distinct())


def evaluation_stamps() -> dict[int, tuple]:
    """Per evaluated year (newest first): a version stamp of its evaluations, in one grouped query.

    ``evaluation_run`` deletes and re-creates a year's evaluations and computed values in one transaction, so the
    row count, the highest id (ids only grow: sequences on PostgreSQL, ``AUTOINCREMENT`` on SQLite) and the latest
    ``evaluated_at`` change with every run; they are read before the data they version.
    """
    rows = (
        Evaluation.objects.order_by("-year")
        .values("year")
        .annotate(n=Count("id"), last=Max("id"), at=Max("evaluated_at"))
        .values_list("year", "n", "last", "at")
    )
    return {year: (n, last, at.isoformat() if at else None) for year, n, last, at in rows}


def reference_stamp(year: int) -> tuple:
    """Version of the reference data a year's dashboard shows (targets, indicator names, unit names)."""
    t = Target.objects.filter(plan__year=year).aggregate(
        n=Count("id"), t=Max("updated_at"), i=Max("indicator_definition__updated_at")
    )
    u = Unit.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return tuple(x.isoformat() if hasattr(x, "isoformat") else x for x in (t["n"], t["t"], t["i"], u["n"], u["t"]))


DASHBOARD_EVALUATION_FIELDS = (
    "unit_id", "status", "value", "explanation", "as_of", "target__code", "target__indicator", "target__group",
    "target__comparator", "target__value", "target__unit",
)  # fmt: skip


def dashboard_evaluations(*, user, year: int, unit_target_codes: list[str]) -> list[dict]:
    """The year rows the dashboard shows, as dicts: every province row, and unit rows of ``unit_target_codes``."""
    qs = evaluations_visible(user=user, year=year, period=str(year)).filter(
        Q(unit__isnull=True) | Q(target__code__in=unit_target_codes)
    )
    return list(qs.values(*DASHBOARD_EVALUATION_FIELDS))


def latest_period(year: int) -> str:
    return str(year)


def province_summary(*, user, year: int) -> dict:
    """Targets of the year by group and status (province rows of the year period)."""
    rows = evaluations_visible(user=user, year=year, period=str(year)).filter(unit__isnull=True)
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Status.values, 0))
    for group, status in rows.values_list("target__group", "status"):
        table[group][status] += 1
    return table


def trend(*, indicator: Indicator | int, year: int, unit_id: int | None = None) -> list[tuple[str, float | None]]:
    qs = ComputedValue.objects.filter(indicator=indicator, period__startswith=f"{year}-", unit_id=unit_id).order_by(
        "period"
    )
    return list(qs.values_list("period", "value"))


def completeness(*, year: int, as_of: dt.date, plan) -> list[dict]:
    """Per reporting unit: expected reports (due by ``as_of``), submitted, on time, late, approved, returned, missing."""
    reported = Indicator.objects.filter(plan=plan, method=Method.REPORTED).prefetch_related("responsible_units")
    unit_types: dict[int, set[str]] = defaultdict(set)
    for ind in reported:
        for u in ind.responsible_units.all():
            if (ind.reporter_scope == ReporterScope.LOCAL) == u.is_local_government:
                unit_types[u.pk].add((ind.period_type, ind.timely_days))
    subs = {(s.unit_id, s.period): s for s in Submission.objects.filter(year=year)}
    units = Unit.objects.in_bulk(list(unit_types))
    rows = []
    for unit_id, types in unit_types.items():
        expected = {}
        for period_type, timely in types:
            for p in periods_of_year(year, period_type):
                due = p.due(timely)
                if due <= as_of:
                    expected[p.label] = max(expected.get(p.label, due), due)
        row = {"unit": units[unit_id], "expected": len(expected), "submitted": 0, "on_time": 0, "late": 0,
               "approved": 0, "returned": 0, "pending": 0, "missing": 0, "periods": []}  # fmt: skip
        for label, due in sorted(expected.items()):
            s = subs.get((unit_id, label))
            state = "missing"
            if s is not None and s.first_submitted_at is not None:
                row["submitted"] += 1
                on_time = s.on_time
                row["on_time" if on_time else "late"] += 1
                state = s.status
                if s.status == SubmissionStatus.APPROVED:
                    row["approved"] += 1
                elif s.status == SubmissionStatus.RETURNED:
                    row["returned"] += 1
                elif s.status == SubmissionStatus.SUBMITTED:
                    row["pending"] += 1
            else:
                row["missing"] += 1
            row["periods"].append({"period": label, "due": due, "state": state, "submission": s})
        n = row["expected"] or 1
        row["completeness"] = round(row["submitted"] * 100.0 / n, 1) if row["expected"] else None
        row["timeliness"] = round(row["on_time"] * 100.0 / n, 1) if row["expected"] else None
        rows.append(row)
    rows.sort(key=lambda r: (not r["unit"].is_local_government, r["unit"].sort_order, r["unit"].code))
    return rows


def evaluation_runs(*, user, year: int):
    """The kept evaluation runs of ``year``, newest first (every signed-in user may see the run list)."""
    from qualityplan.indicators.models import EvaluationRun

    return EvaluationRun.objects.filter(year=year).select_related("started_by").order_by("-started_at", "-pk")


def evaluation_run_previous(run):
    from qualityplan.indicators.models import EvaluationRun

    return (
        EvaluationRun.objects.filter(year=run.year)
        .filter(Q(started_at__lt=run.started_at) | Q(started_at=run.started_at, pk__lt=run.pk))
        .order_by("-started_at", "-pk")
        .first()
    )


def evaluation_run_diff(run, previous) -> list[dict]:
    """Province rows (and each-unit rows by unit) whose status or value differ between ``previous`` and ``run``."""
    if previous is None:
        return []
    out = []
    periods = sorted(set(run.results) | set(previous.results))
    for period in periods:
        new, old = run.results.get(period, {}), previous.results.get(period, {})
        for code in sorted(set(new) | set(old)):
            a, b = old.get(code, {}), new.get(code, {})
            units = sorted(
                u for u in set(a.get("units", {})) | set(b.get("units", {}))
                if a.get("units", {}).get(u) != b.get("units", {}).get(u)
            )  # fmt: skip
            if a.get("status") != b.get("status") or a.get("value") != b.get("value") or units:
                out.append({"period": period, "target": code,
                            "status_before": a.get("status"), "status_after": b.get("status"),
                            "value_before": a.get("value"), "value_after": b.get("value"),
                            "units_changed": units})  # fmt: skip
    return out
