"""Rule ``credit``: deductions per blacklisted enterprise or per failing 监督抽检 sample in the city/county (``credit``).

``{type: credit, count: blacklisted, per_item: 1}``: start from the item's points and deduct ``per_item`` for each
enterprise located in the assessed city/county (``credit.Enterprise.region``) that is on the 严重违法失信名单 at the
cut-off date. ``{type: credit, count: failing_samples, per_item: 0.5}``: deduct for each failing 监督抽检 sample of
the unit (``monitoring.SamplingRecord.unit``) that became a credit event in the assessment year up to the cut-off
(after its recheck window; overturned results never count). Never below 0; each deduction is listed.

Reads one query per count kind: the memberships / events of the round's units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from qualityplan.assessment.rules import (
    RuleType,
    Score,
    count_rule_check,
    per_item_deduction,
    register,
    register_source,
)

COUNTS = {"blacklisted": "严重违法失信企业", "failing_samples": "监督抽检不合格批次"}


def load(ctx) -> dict:
    from qualityplan.credit.choices import EventKind
    from qualityplan.credit.models import CreditEvent, in_publicity_q

    ids = [u.id for u in ctx.units]
    out: dict[str, dict[int, list]] = {"blacklisted": defaultdict(list), "failing_samples": defaultdict(list)}
    for row in (
        CreditEvent.objects.filter(
            in_publicity_q(ctx.as_of), kind=EventKind.BLACKLIST_IN, enterprise__region_id__in=ids
        )
        .order_by("enterprise__name", "id")
        .values("id", "enterprise__region_id", "enterprise__name", "enterprise__uscc", "starts_on")
    ):
        out["blacklisted"][row["enterprise__region_id"]].append(
            (row["id"], f"{row['enterprise__name']}（{row['enterprise__uscc'] or '无代码'}，{row['starts_on']} 列入）")
        )
    for row in (
        CreditEvent.objects.filter(
            kind=EventKind.SAMPLE_FAIL,
            starts_on__gte=dt.date(ctx.year, 1, 1),
            starts_on__lte=min(ctx.as_of, dt.date(ctx.year, 12, 31)),
            sampling_record__unit_id__in=ids,
        )
        .order_by("starts_on", "id")
        .values("id", "sampling_record__unit_id", "sampling_record__sample_no", "enterprise__name", "starts_on")
    ):
        out["failing_samples"][row["sampling_record__unit_id"]].append(
            (row["id"], f"{row['sampling_record__sample_no']} {row['enterprise__name']}（{row['starts_on']}）")
        )
    return out


def evaluate(item, unit, ctx) -> Score:
    rows = ctx.source("credit")[item.rule["count"]].get(unit.id, [])
    return per_item_deduction(item, rows, label=COUNTS[item.rule["count"]], kind="credit")


def check(item, rule: dict, context) -> list[str]:
    return count_rule_check(rule, COUNTS, "credit")


register_source("credit", load)
register(
    RuleType(
        name="credit",
        label="企业信用扣分",
        source="credit",
        evaluate=evaluate,
        check=check,
        basis="credit.CreditEvent（严重违法失信名单、复检期满的监督抽检不合格）",
    )
)
