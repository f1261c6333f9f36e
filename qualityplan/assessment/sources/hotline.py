"""Rule ``hotline``: a 12345 work-order KPI of the assessed unit against a target (``hotline.kpi``).

``{type: hotline, metric: satisfaction_rate, target: 90, by: unit, mode: threshold}``: the unit's KPI for the
assessment year (orders received 1 Jan – 31 Dec, cut-off ``as_of``) — ``metric`` one of sign_rate, on_time_rate,
close_rate, first_time_rate, satisfaction_rate, resolution_rate (percent) — earns the item's points when it reaches
``target``; below it ``mode: threshold`` gives 0 and ``mode: proportional`` gives points × value / target. ``by``:
``unit`` (orders the unit handled as 主办) or ``region`` (orders from the city/county). A unit without dispatched
orders (or, for 满意率/解决率, without rated orders) keeps the full points, said so in the explanation.

Reads two grouped queries: the year's KPIs by handling unit and by region, for the round's units.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from qualityplan.assessment.rules import Ref, RuleType, Score, number_param, q, register, register_source, status_for

METRICS = {
    "sign_rate": "签收及时率",
    "on_time_rate": "按时办结率",
    "close_rate": "办结率",
    "first_time_rate": "一次性办结率",
    "satisfaction_rate": "满意率",
    "resolution_rate": "解决率",
}


def load(ctx) -> dict:
    from qualityplan.hotline.kpi import kpi_rows

    ids = [u.id for u in ctx.units]
    start, end = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    out = {}
    for by in ("unit", "region"):
        rows = kpi_rows(date_from=start, date_to=end, by=by, unit_ids=ids, as_of=min(end, ctx.as_of))
        out[by] = {r.key: r for r in rows}
    return out


def evaluate(item, unit, ctx) -> Score:
    rule = item.rule
    metric = rule["metric"]
    target = Decimal(str(rule.get("target", 90)))
    row = ctx.source("hotline")[rule.get("by", "unit")].get(unit.id)
    label = METRICS[metric]
    value = getattr(row, metric) if row is not None else None
    if value is None:
        return Score(
            q(item.points), status_for(q(item.points), item.points), f"{ctx.year}年无可计算{label}的12345工单，不扣分"
        )
    ref = Ref(
        "hotline", unit.id, f"{label} {value}%（派单 {row.dispatched} 件，办结 {row.closed} 件，参评 {row.rated} 件）"
    )
    if value >= target:
        points = q(item.points)
        text = f"{ctx.year}年12345工单{label} {value}%，达到 {target}% 的要求，得满分"
    elif rule.get("mode", "threshold") == "proportional":
        points = q(item.points * value / target)
        text = f"{ctx.year}年12345工单{label} {value}%，低于 {target}%，按比例得 {points} 分"
    else:
        points = q(0)
        text = f"{ctx.year}年12345工单{label} {value}%，低于 {target}%，不得分"
    return Score(points, status_for(points, item.points), text, (ref,), f"{value}%")


def check(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    if rule.get("metric") not in METRICS:
        errors.append(f"hotline 规则的 metric 须为 {'、'.join(METRICS)} 之一")
    target = number_param(rule, "target", errors, default=Decimal(90))
    if target is not None and target > 100:
        errors.append("hotline 规则的 target 是百分比，不能大于 100")
    if rule.get("by", "unit") not in ("unit", "region"):
        errors.append("hotline 规则的 by 须为 unit 或 region")
    if rule.get("mode", "threshold") not in ("threshold", "proportional"):
        errors.append("hotline 规则的 mode 须为 threshold 或 proportional")
    return errors


register_source("hotline", load)
register(
    RuleType(
        name="hotline",
        label="12345热线工单指标",
        source="hotline",
        evaluate=evaluate,
        check=check,
        basis="hotline.WorkOrder（签收及时率、按时办结率、办结率、一次性办结率、满意率、解决率）",
    )
)
