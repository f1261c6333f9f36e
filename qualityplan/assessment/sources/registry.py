"""Rule ``registry``: bonus per named item of a counted registry (``indicators.RegistryItem``), capped.

``{type: registry, kind: brand_product, per_item: 0.5}``: each item of that kind located in the assessed city/county
(``RegistryItem.region``; items without a region count for the unit that registered them, ``RegistryItem.unit``)
with a date in the assessment year earns ``per_item`` points, up to the item's points (its cap). Every counted item
is listed in the explanation by name and certificate number.

Reads one query: the year's registry items of the round's units.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from qualityplan.assessment.rules import Ref, RuleType, Score, number_param, q, register, register_source, status_for


def load(ctx) -> dict:
    from qualityplan.indicators.models import RegistryItem

    out: dict[tuple[str, int], list] = defaultdict(list)
    ids = [u.id for u in ctx.units]
    rows = (
        RegistryItem.objects.filter(date__year=ctx.year, date__lte=ctx.as_of)
        .filter(Q(region_id__in=ids) | Q(region__isnull=True, unit_id__in=ids))
        .order_by("date", "id")
    )
    for row in rows.only("id", "kind", "name", "holder", "unit_id", "region_id", "date", "certificate_no"):
        out[(row.kind, row.region_id or row.unit_id)].append(row)
    return out


def evaluate(item, unit, ctx) -> Score:
    kind = item.rule["kind"]
    per_item = Decimal(str(item.rule.get("per_item", 1)))
    rows = ctx.source("registry").get((kind, unit.id), [])
    raw = per_item * len(rows)
    points = q(min(raw, item.points))
    refs = tuple(Ref("registry", r.id, f"{r.name}（{r.certificate_no or r.date}）") for r in rows)
    names = "、".join(r.name for r in rows[:6]) + ("等" if len(rows) > 6 else "")
    capped = f"，超过上限按 {item.points} 分计" if raw > item.points else ""
    text = f"{ctx.year}年登记 {len(rows)} 项（{names or '无'}），每项 {per_item} 分{capped}"
    return Score(points, status_for(points, item.points), text, refs, str(len(rows)))


def check(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    kind = rule.get("kind")
    if not kind:
        errors.append("registry 规则缺少参数 kind")
    elif context.registry_kinds is not None and kind not in context.registry_kinds:
        errors.append(f"未知的登记事项类别 {kind}")
    number_param(rule, "per_item", errors, required=True)
    return errors


register_source("registry", load)
register(
    RuleType(
        name="registry",
        label="登记事项计数加分",
        source="registry",
        evaluate=evaluate,
        check=check,
        bonus_ok=True,
        basis="indicators.RegistryItem（名牌产品、著名商标、鲁班奖等逐项登记）",
    )
)
