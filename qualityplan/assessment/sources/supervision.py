"""Rule ``supervision``: deductions per overdue 督办 item and per 催办/通报 notice (``supervision``).

``{type: supervision, per_overdue: 1, per_urge: 0.5, per_circular: 2}``: start from the item's points and
deduct for each supervision item of the assessment year the unit handles as 主办 that was overdue (closed
after its deadline, or still open past it at the cut-off), for each 催办通知 and each 通报 addressed to the
unit; never below 0. Each deduction is listed with the item's number.

Reads two queries: the year's items led by the round's units, the notices addressed to them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from qualityplan.assessment.rules import Ref, RuleType, Score, number_param, q, register, register_source, status_for


def load(ctx) -> dict:
    from qualityplan.supervision.models import Notice, SupervisionItem

    unit_ids = [u.id for u in ctx.units]
    items: dict[int, list[dict]] = defaultdict(list)
    for row in SupervisionItem.objects.filter(year=ctx.year, lead_unit_id__in=unit_ids).values(
        "id", "number", "title", "lead_unit_id", "deadline", "closed_on", "status"
    ):
        if row["deadline"] is None:
            continue
        finished = row["closed_on"]
        if (finished and finished > row["deadline"]) or (not finished and row["deadline"] < ctx.as_of):
            items[row["lead_unit_id"]].append(row)
    notices: dict[int, list[dict]] = defaultdict(list)
    for row in Notice.objects.filter(
        unit_id__in=unit_ids, issued_on__year=ctx.year, issued_on__lte=ctx.as_of, kind__in=("urge", "circular")
    ).values("id", "number", "kind", "unit_id", "issued_on", "item__number"):
        notices[row["unit_id"]].append(row)
    return {"overdue": items, "notices": notices}


def evaluate(item, unit, ctx) -> Score:
    data = ctx.source("supervision")
    per = {
        "overdue": Decimal(str(item.rule.get("per_overdue", 0))),
        "urge": Decimal(str(item.rule.get("per_urge", 0))),
        "circular": Decimal(str(item.rule.get("per_circular", 0))),
    }
    refs: list[Ref] = []
    deduction = Decimal(0)
    overdue = data["overdue"].get(unit.id, [])
    for row in overdue:
        deduction += per["overdue"]
        state = f"{row['closed_on']} 销号" if row["closed_on"] else "未销号"
        refs.append(
            Ref("supervision", row["id"], f"{row['number']} 逾期（期限 {row['deadline']}，{state}）−{per['overdue']}")
        )
    n = {"urge": 0, "circular": 0}
    for row in data["notices"].get(unit.id, []):
        n[row["kind"]] += 1
        deduction += per[row["kind"]]
        label = "催办通知" if row["kind"] == "urge" else "通报"
        refs.append(
            Ref(
                "notice",
                row["id"],
                f"{label} {row['number']}（{row['item__number']}，{row['issued_on']}）−{per[row['kind']]}",
            )
        )
    points = q(max(Decimal(0), item.points - deduction))
    if not refs:
        return Score(points, status_for(points, item.points), f"{ctx.year}年无逾期督办事项、催办或通报，不扣分")
    floor = "，扣至 0 分为止" if deduction > item.points else ""
    text = f"逾期督办事项 {len(overdue)} 项、催办通知 {n['urge']} 次、通报 {n['circular']} 次，共扣 {q(deduction)} 分{floor}"
    return Score(points, status_for(points, item.points), text, tuple(refs), f"−{q(deduction)}")


def check(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    for key in ("per_overdue", "per_urge", "per_circular"):
        number_param(rule, key, errors)
    if not any(k in rule for k in ("per_overdue", "per_urge", "per_circular")):
        errors.append("supervision 规则至少需要 per_overdue / per_urge / per_circular 之一")
    return errors


register_source("supervision", load)
register(
    RuleType(
        name="supervision",
        label="督查督办扣分",
        source="supervision",
        evaluate=evaluate,
        check=check,
        basis="supervision.SupervisionItem（逾期）与 supervision.Notice（催办通知、通报）",
    )
)
