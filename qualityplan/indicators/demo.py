"""Synthetic 2017 indicator data (演示数据): registry items, unit reports in every review state, evaluation.

Fixed seed, idempotent (natural keys; a second run adds nothing), data up to 30 Nov 2017.
Designed so that every dashboard panel has meaningful states: most targets on track or met, some at
risk (brand products, local standards, Luban awards, 城镇生活污水处理率, industrial pass rate, night
noise…), a few with no report yet; county reports approved, pending, returned and late.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Q
from django.utils import timezone

from qualityplan.indicators.choices import RegistryKind, SubmissionStatus
from qualityplan.indicators.models import Evaluation, RegistryItem, Submission
from qualityplan.indicators.services import (
    evaluation_run,
    indicators_sync,
    plan_for_year,
    submission_approve,
    submission_get_or_create,
    submission_return,
    submission_save,
    submission_submit,
)
from qualityplan.orgs.models import Unit, User
from qualityplan.orgs.selectors import local_government_units
from qualityplan.plans.choices import PlanStatus
from qualityplan.plans.models import Plan

SEED = 20171130
_EMPTY = Q(value__isnull=True, numerator__isnull=True, denominator__isnull=True, achieved__isnull=True, comment="")
END = dt.date(2017, 11, 30)

REGISTRY = {
    # kind: (count by 30 Nov, owning unit, name pattern)
    RegistryKind.BRAND_PRODUCT: (22, "QTS", "海南省名牌产品（演示）{}号"),
    RegistryKind.TRADEMARK: (86, "SAIC", "海南省著名商标（演示）{}号"),
    RegistryKind.SCENIC_2A: (5, "TOURISM", "演示景区{}（2A级以上）"),
    RegistryKind.LUBAN: (1, "HOUSING", "演示鲁班奖工程{}"),
    RegistryKind.GREEN_ISLAND: (3, "HOUSING", "演示绿岛杯工程{}"),
    RegistryKind.LOCAL_STANDARD: (19, "QTS", "DB46/T 演示-{}"),
    RegistryKind.FISHERY_STANDARD: (3, "OCEAN", "渔业地方标准（演示）{}"),
    RegistryKind.HACCP: (10, "QTS", "HACCP 认证企业（演示）{}"),
    RegistryKind.HIGH_TECH: (58, "SCI", "高新技术企业（演示）{}"),
    RegistryKind.AQUATIC_CERT: (11, "OCEAN", "无公害水产品企业（演示）{}"),
}

# Department reports: code -> list of (period, values) ; value dicts as the form posts them.
DEPT_REPORTS = {
    "AGRI": [("2017Q1", {"T01": {"value": "47.5"}}), ("2017Q2", {"T01": {"value": "49.0"}}), ("2017Q3", {"T01": {"value": "50.5"}})],
    "HOUSING": [(q, {"T07": {"numerator": n, "denominator": n}}) for q, n in (("2017Q1", "41"), ("2017Q2", "58"), ("2017Q3", "66"))],
    "TRANSPORT": [(q, {"T08": {"numerator": n, "denominator": n}, "T36": {"numerator": m, "denominator": n}})
                  for q, n, m in (("2017Q1", "12", "12"), ("2017Q2", "19", "18"), ("2017Q3", "15", "15"))],
    "POST": [(q, {"T11": {"value": v}}) for q, v in (("2017Q1", "95.8"), ("2017Q2", "96.4"), ("2017Q3", "94.1"))],
    "OCEAN": [(q, {"T30": {"value": "1"}}) for q in ("2017Q1", "2017Q2", "2017Q3")]
    + [("2017", {"T19": {"achieved": "1"}})],
    "CBRC": [("2017", {"T09": {"value": "98.7"}})],
    "COMM": [("2017", {"T10": {"value": "81.2"}})],
    "ENV": [("2017", {"T14": {"achieved": "1"}, "T17": {"achieved": "1"}, "T23": {"achieved": "1"}, "T24": {"value": "0"}})],
    "HEALTH": [("2017", {"T22": {"achieved": "1"}, "T34": {"value": "26"}, "T35": {"value": "2"}})],
    "FDA": [("2017", {"T29": {"value": "1"}})],
    "QTS": [("2017", {"T43": {"value": "5"}})],
}  # fmt: skip


def _registry(rng) -> int:
    units = {u.code: u for u in Unit.objects.filter(code__in={v[1] for v in REGISTRY.values()})}
    local = list(local_government_units())
    objs = []
    span = (END - dt.date(2017, 1, 1)).days
    for kind, (n, owner, pattern) in REGISTRY.items():
        for i in range(1, n + 1):
            day = dt.date(2017, 1, 1) + dt.timedelta(days=int(rng.integers(0, span + 1)))
            holder = local[int(rng.integers(len(local)))]
            objs.append(RegistryItem(kind=kind, name=pattern.format(i), holder=f"{holder.name}（演示）", unit=units[owner],
                                     region=holder, date=day, certificate_no=f"DEMO-{kind}-{i:03d}", note="演示数据"))  # fmt: skip
    before = RegistryItem.objects.count()
    RegistryItem.objects.bulk_create(objs, ignore_conflicts=True)
    return RegistryItem.objects.count() - before


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _file(
    sub: Submission, office, reporter, values, *, submitted: dt.date | None, outcome: str, reason: str = ""
) -> None:
    """Fill, submit (dated) and review one submission; nothing happens when anybody touched it before (a second
    bootstrap leaves a draft someone filled in, or the demo filled in, as it is)."""
    if sub.status != SubmissionStatus.DRAFT or sub.first_submitted_at is not None:
        return
    if sub.comment or sub.values.exclude(_EMPTY).exists():
        return  # (the values are created empty with the submission: only a value somebody entered counts)
    submission_save(submission=sub, user=reporter, values=values, comment="演示数据")
    if submitted is None:
        return
    submission_submit(submission=sub, user=reporter)
    Submission.objects.filter(pk=sub.pk).update(first_submitted_at=_at(submitted), submitted_at=_at(submitted))
    sub.refresh_from_db()
    if outcome == "approved":
        submission_approve(submission=sub, user=office)
    elif outcome == "returned":
        submission_return(
            submission=sub, user=office, reason=reason or "数据与统计报表不一致，请核实后重新报送（演示）"
        )


def _reports(rng) -> int:
    office = User.objects.filter(role="office").order_by("pk").first()
    if office is None:
        office = User.objects.create(username="demo-office", role="office", unit=Unit.objects.get(code="OFFICE"))
    reporter = office  # the office may enter on behalf of a unit; the audit log records who did
    before = Submission.objects.count()
    for code, reports in DEPT_REPORTS.items():
        unit = Unit.objects.get(code=code)
        for period, values in reports:
            sub = submission_get_or_create(unit=unit, period=period)
            p_end = sub.period_end if sub.period_type != "year" else dt.date(2017, 11, 20)
            on = min(END, p_end + dt.timedelta(days=int(rng.integers(3, 9))))
            outcome = "approved" if sub.period_type != "year" else "submitted"
            _file(sub, office, reporter, values, submitted=on, outcome=outcome)
    # county reports: T25 (sewage treatment) and T26 (refuse treatment), quarterly, numerator/denominator
    for i, unit in enumerate(local_government_units().order_by("sort_order", "code")):
        for q, due in (
            ("2017Q1", dt.date(2017, 4, 10)),
            ("2017Q2", dt.date(2017, 7, 10)),
            ("2017Q3", dt.date(2017, 10, 10)),
        ):
            sub = submission_get_or_create(unit=unit, period=q)
            den25 = int(rng.integers(800, 6000))
            rate25 = rng.uniform(0.74, 0.9) if i % 4 else rng.uniform(0.7, 0.78)
            den26 = int(rng.integers(300, 2500))
            rate26 = rng.uniform(0.92, 0.99)
            values = {"T25": {"numerator": str(int(den25 * rate25)), "denominator": str(den25)},
                      "T26": {"numerator": str(int(den26 * rate26)), "denominator": str(den26)}}  # fmt: skip
            if q == "2017Q3" and i in (3, 11):
                _file(sub, office, reporter, values, submitted=None, outcome="")  # draft only: missing
                continue
            late = i in (5, 9, 14) and q != "2017Q1"
            on = (
                due + dt.timedelta(days=int(rng.integers(4, 20)))
                if late
                else due - dt.timedelta(days=int(rng.integers(0, 8)))
            )
            outcome = "approved"
            if q == "2017Q3":
                outcome = "returned" if i in (2, 7) else ("submitted" if i % 3 == 0 else "approved")
            _file(sub, office, reporter, values, submitted=on, outcome=outcome)
    return Submission.objects.count() - before


def load_demo(*, year: int = 2017) -> dict:
    if year != 2017:
        return {"skipped": f"demo data exist for 2017 only, not {year}"}
    rng = np.random.default_rng(SEED)
    plan = plan_for_year(year)
    indicators_sync(plan=plan)
    counts = {"registry_items": _registry(rng), "submissions": _reports(rng)}
    if Evaluation.objects.filter(target__plan=plan).exists():
        return counts  # evaluated before: a second bootstrap leaves the office's evaluations alone
    summary = evaluation_run(year=year)
    counts["evaluation"] = summary["targets"]
    counts["as_of"] = summary["as_of"]
    # the synthetic earlier year (plans.demo), evaluated on the records the demo holds for it (daily air)
    if Plan.objects.filter(year=year - 1, status=PlanStatus.PUBLISHED).exists():
        counts[f"evaluation_{year - 1}"] = evaluation_run(year=year - 1, as_of=dt.date(year - 1, 12, 31))["targets"]
    return counts
