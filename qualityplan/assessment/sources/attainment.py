"""Rule ``attainment``: points from a target's attainment for the unit (``indicators.Evaluation``).

* ``met`` → full points; ``on_track`` (evaluation dated before the year end) → full points, said so;
* ``at_risk`` / ``missed`` → ``partial``: ``proportional`` (share = (ratio − floor) / (1 − floor), clamped),
  ``stepped`` (first step whose ratio threshold is reached) or ``all_or_nothing``;
  ratio = value / target for "≥" targets, target / value for "≤" targets;
* ``no_data`` or no evaluation row for the unit → 0 points, status "无数据" (never a guessed value).

Reads one query: every annual evaluation of the plan's targets for the round's units.
"""

from __future__ import annotations

from decimal import Decimal

from qualityplan.assessment.choices import ScoreStatus
from qualityplan.assessment.rules import Ref, RuleType, Score, number_param, q, register, register_source, share_of

PARTIAL_MODES = ("proportional", "stepped", "all_or_nothing")


def load(ctx) -> dict:
    from qualityplan.indicators.models import Evaluation

    rows = (
        Evaluation.objects.filter(
            target__plan=ctx.plan, year=ctx.year, period=str(ctx.year), unit_id__in=[u.id for u in ctx.units]
        )
        .select_related("target")
        .order_by("as_of", "id")
    )
    out: dict[tuple[str, int], object] = {}
    for ev in rows:  # the latest as_of wins
        out[(ev.target.code, ev.unit_id)] = ev
    return out


def ratio(ev) -> Decimal | None:
    if ev.value is None or ev.target_value is None:
        return None
    value, target = Decimal(str(ev.value)), Decimal(str(ev.target_value))
    comparator = ev.comparator
    if comparator in ("<=", "reduce_by"):
        if value <= 0:
            return Decimal(1)
        return target / value
    if target == 0:
        return Decimal(1) if value >= 0 else Decimal(0)
    return value / target


def partial_share(rule: dict, r: Decimal | None) -> Decimal:
    mode = rule.get("partial", "proportional")
    if r is None or mode == "all_or_nothing":
        return Decimal(0)
    r = min(r, Decimal(1))
    if mode == "stepped":
        for threshold, share in rule.get("steps", []):
            if r >= Decimal(str(threshold)):
                return Decimal(str(share))
        return Decimal(0)
    floor = Decimal(str(rule.get("floor", 0)))
    if floor >= 1:
        return Decimal(0)
    return max(Decimal(0), (r - floor) / (Decimal(1) - floor))


def _fmt(v) -> str:
    return "—" if v is None else f"{v:g}"


def evaluate(item, unit, ctx) -> Score:
    code = item.rule["target"]
    ev = ctx.source("attainment").get((code, unit.id))
    if ev is None:
        return Score(
            q(0),
            ScoreStatus.NO_DATA,
            f"{code}：无{unit.name}{ctx.year}年度达成评估，按无数据计 0 分",
            (Ref("target", code, code),),
        )
    refs = (Ref("evaluation", ev.id, f"{code} {ev.period} {ev.get_status_display()}"),)
    value = f"{_fmt(ev.value)} / 目标 {ev.comparator} {_fmt(ev.target_value)}"
    head = f"{code} {ev.target.indicator}：{ev.explanation or value}"
    if ev.status == "met":
        return Score(q(item.points), ScoreStatus.FULL, f"{head}；已达成，得满分", refs, value)
    if ev.status == "on_track":
        return Score(q(item.points), ScoreStatus.FULL, f"{head}；截至 {ev.as_of} 进展正常，按达成计满分", refs, value)
    if ev.status == "no_data":
        return Score(q(0), ScoreStatus.NO_DATA, f"{head}；无数据，计 0 分", refs, value)
    r = ratio(ev)
    share = partial_share(item.rule, r)
    points = share_of(item.points, share)
    mode = item.rule.get("partial", "proportional")
    how = {"proportional": "按比例", "stepped": "分档", "all_or_nothing": "未达成不得分"}[mode]
    ratio_text = f"完成比 {r:.4f}" if r is not None else "完成比无法计算"
    status = ScoreStatus.PARTIAL if points > 0 else ScoreStatus.ZERO
    return Score(points, status, f"{head}；未达成，{ratio_text}，{how}得 {points} 分", refs, value)


def check(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    target = rule.get("target")
    if not target:
        errors.append("attainment 规则缺少参数 target")
    elif context.target_codes is not None and target not in context.target_codes:
        errors.append(f"规则指向的目标 {target} 在该年度计划中不存在")
    mode = rule.get("partial", "proportional")
    if mode not in PARTIAL_MODES:
        errors.append(f"partial 应为 {'/'.join(PARTIAL_MODES)} 之一，而不是 {mode}")
    if mode == "stepped":
        steps = rule.get("steps")
        if not steps or not all(isinstance(s, list | tuple) and len(s) == 2 for s in steps):
            errors.append("stepped 需要 steps: [[完成比, 得分比例], …]")
        else:
            thresholds = [Decimal(str(s[0])) for s in steps]
            if thresholds != sorted(thresholds, reverse=True):
                errors.append("steps 的完成比应从高到低排列")
            if any(not (0 <= Decimal(str(s[1])) <= 1) for s in steps):
                errors.append("steps 的得分比例应在 0–1 之间")
    floor = number_param(rule, "floor", errors)
    if floor is not None and floor >= 1:
        errors.append("floor 应小于 1")
    return errors


register_source("attainment", load)
register(
    RuleType(
        name="attainment",
        label="目标达成",
        source="attainment",
        evaluate=evaluate,
        check=check,
        basis="indicators.Evaluation（目标 × 市县 × 年度的达成评估）",
    )
)
