"""Rule ``risk``: deductions for quality risks of the city/county (``risk``).

``{type: risk, count: failing_targeted, per_item: 0.5}``: start from the item's points and deduct ``per_item`` for
each failing batch of a risk's targeted 监督抽查 (a result that came back into a risk, ``risk.RiskSample`` with a
disposal task) sampled in the assessed city/county in the assessment year up to the cut-off.
``{type: risk, count: overdue_disposals, per_item: 1}``: deduct for each disposal task owned by the unit and assigned
in the year that was done after its deadline, or is still open past it at the cut-off. Never below 0; each deduction
is listed with the risk's number.

Reads one query per count kind for the round's units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F, Q

from qualityplan.assessment.rules import (
    RuleType,
    Score,
    count_rule_check,
    per_item_deduction,
    register,
    register_source,
)

COUNTS = {"failing_targeted": "风险监督抽查不合格批次", "overdue_disposals": "逾期风险处置任务"}


def load(ctx) -> dict:
    from qualityplan.risk.models import Disposal, RiskSample

    ids = [u.id for u in ctx.units]
    start, end = dt.date(ctx.year, 1, 1), min(ctx.as_of, dt.date(ctx.year, 12, 31))
    out: dict[str, dict[int, list]] = {k: defaultdict(list) for k in COUNTS}
    for row in (
        RiskSample.objects.filter(
            disposal__isnull=False,
            sampling_record__result="不合格",
            sampling_record__unit_id__in=ids,
            sampling_record__sampling_date__range=(start, end),
        )
        .order_by("sampling_record__sampling_date", "id")
        .values(
            "risk_id",
            "risk__number",
            "sampling_record__unit_id",
            "sampling_record__sample_no",
            "sampling_record__enterprise",
            "sampling_record__failing_items",
        )  # fmt: skip
    ):
        out["failing_targeted"][row["sampling_record__unit_id"]].append(
            (
                row["risk_id"],
                f"{row['risk__number']} {row['sampling_record__sample_no']} "
                f"{row['sampling_record__enterprise']} {row['sampling_record__failing_items']}",
            )  # fmt: skip
        )
    late = Q(done_on__isnull=False, done_on__gt=F("due_on")) | Q(done_on__isnull=True, due_on__lt=ctx.as_of)
    for row in (
        Disposal.objects.filter(late, owner_id__in=ids, assigned_on__range=(start, end))
        .order_by("due_on", "id")
        .values("risk_id", "risk__number", "owner_id", "kind", "due_on", "done_on")
    ):
        done = f"，{row['done_on']} 完成" if row["done_on"] else "，未完成"
        out["overdue_disposals"][row["owner_id"]].append(
            (row["risk_id"], f"{row['risk__number']} {row['kind']} 期限 {row['due_on']}{done}")
        )
    return out


def evaluate(item, unit, ctx) -> Score:
    rows = ctx.source("risk")[item.rule["count"]].get(unit.id, [])
    return per_item_deduction(item, rows, label=COUNTS[item.rule["count"]], kind="risk")


def check(item, rule: dict, context) -> list[str]:
    return count_rule_check(rule, COUNTS, "risk")


register_source("risk", load)
register(
    RuleType(
        name="risk",
        label="质量风险扣分",
        source="risk",
        evaluate=evaluate,
        check=check,
        basis="risk.RiskSample（风险监督抽查不合格结果）、risk.Disposal（逾期处置任务）",
    )
)
