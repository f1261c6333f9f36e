"""Attainment: a value against a target → met / on track / at risk / missed / no data, with one line of why.

Readings (the plan keeps the comparator as written; the evaluation states the reading it applied):

* ``>=`` — met at the target or better;
* ``=`` on a rate or count written 为 / 保持 / 达 X — met at X or better (reading ``>=``);
* ``<=`` — met at the target or lower;
* ``reduce_by`` — met when the value fell by at least X % against the previous year (exact check in
  ``qualityplan.standards``);
* qualitative targets — met when the responsible unit reported the target achieved (or, for a computed
  qualitative target, when every assessed item meets it: 100 %).

Before the period closes: a cumulative count that already reached the target is met; otherwise the
year-end projection (linear in elapsed days) decides on track vs at risk.  A rate below its target is at
risk, and so is a rate above it whose Wilson interval lies below the target; the projection states
what the rest of the year must achieve and whether that is still possible.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from qualityplan.indicators.choices import Method, Status, ValueType
from qualityplan.indicators.computations import Value, _fmt
from qualityplan.monitoring import rules
from qualityplan.plans.choices import Comparator

NON_ADDITIVE = {"water_iii_share", "river_annual_iii", "sea_good_share", "pm10_change"}


@dataclass
class Judgement:
    status: str
    explanation: str
    reading: str
    target_value: float | None
    projection: dict = field(default_factory=dict)


def reading_of(target, indicator) -> tuple[str, float | None, str]:
    """(reading comparator, target value, note on the reading) for a target."""
    value = float(target.value) if target.value is not None else None
    c = target.comparator
    if c == Comparator.EQ:
        return ">=", value, f"“为/保持/达{_num(value)}{target.unit or ''}”按不低于{_num(value)}{target.unit or ''}判定"
    if c == Comparator.QUALITATIVE:
        if indicator is not None and indicator.method == Method.COMPUTED:
            return ">=", 100.0, "定性目标按全部评价对象达标（100%）判定"
        return "achieved", None, "定性目标按责任单位填报的达成结论判定"
    if c == Comparator.GTE:
        return ">=", value, ""
    if c == Comparator.LTE:
        return "<=", value, ""
    if c == Comparator.REDUCE_BY:
        return "reduce_by", value, ""
    if c == Comparator.INCREASE_BY:
        return "increase_by", value, ""
    return c, value, ""


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:g}"


def _passes(reading: str, value: float, target: float | None, v: Value) -> bool:
    if reading == ">=":
        return value >= target
    if reading == "<=":
        return value <= target
    if reading == "reduce_by":
        cur, prev = v.extra.get("current"), v.extra.get("previous")
        if cur is not None and prev is not None:
            return rules.meets_reduction_target(cur, prev, target)
        return value <= -target
    if reading == "increase_by":
        return value >= target
    if reading == "achieved":
        return value >= 1
    raise ValueError(reading)


def judge(
    *, target, indicator, v: Value | None, period_start: dt.date, period_end: dt.date, as_of: dt.date
) -> Judgement:
    reading, tv, note = reading_of(target, indicator)
    unit = target.unit or ""
    if v is None or v.value is None:
        what = "尚无填报数据" if indicator is not None and indicator.method == Method.REPORTED else "尚无记录"
        return Judgement(Status.NO_DATA, f"无数据：{what}（截至 {as_of:%Y-%m-%d}）", reading, tv)
    if reading != "achieved" and tv is None:
        return Judgement(Status.NO_DATA, "目标无量化值，无法判定", reading, tv)
    closed = as_of >= period_end
    ok = _passes(reading, v.value, tv, v)
    symbol = {">=": "≥", "<=": "≤", "reduce_by": "降幅≥", "increase_by": "增幅≥", "achieved": ""}[reading]
    if reading == "achieved":
        head = "已达成" if ok else "未达成"
    elif reading in ("reduce_by", "increase_by"):
        head = f"同比 {_fmt(v.value)}%，目标{symbol}{_num(tv)}%" + ("，达到" if ok else "，未达到")
    else:
        rel = ("≥" if v.value >= tv else "<") if reading == ">=" else "≤" if v.value <= tv else ">"
        shown = _num(v.value) if unit != "%" and float(v.value).is_integer() else _fmt(v.value)
        head = f"{shown}{unit} {rel} {_num(tv)}{unit}"
    parts = [head]
    if v.basis:
        parts.append(v.basis)
    if note:
        parts.append(note)
    projection: dict = {}
    cumulative = indicator is not None and (indicator.cumulative or indicator.method == Method.COUNTED)
    # shares of stations classified on their period mean are not additive over time: no volume projection
    additive = indicator is not None and indicator.computation not in NON_ADDITIVE
    if closed:
        status = Status.MET if ok else Status.MISSED
    elif cumulative and reading == ">=":
        projection = _project_count(v.value, tv, period_start, period_end, as_of)
        if ok:
            status = Status.MET
        else:
            status = Status.ON_TRACK if projection["projected"] >= tv else Status.AT_RISK
            parts.append(
                f"按进度预计全年 {projection['projected']:.0f}，剩余 {projection['remaining_days']} 天还需 {projection['needed']:.0f}"
            )
    else:
        if reading in (">=", "<=") and v.denominator and v.numerator is not None and indicator is not None and additive:
            projection = _project_rate(v, tv, reading, period_start, period_end, as_of, indicator)
        likely_missed = reading == ">=" and v.ci_high is not None and v.ci_high < tv
        status = Status.ON_TRACK if ok and not likely_missed else Status.AT_RISK
        if projection:
            if projection.get("reachable") is False:
                parts.append(f"剩余期间即使全部达标也无法达到（需 {_fmt(projection['required_rate'])}%）")
            elif not ok and projection.get("required_rate") is not None:
                parts.append(f"剩余期间需达到 {_fmt(projection['required_rate'])}%")
        if v.ci_low is not None and ok and v.ci_low < (tv or 0):
            parts.append("区间下限低于目标，需关注")
    if v.extra.get("pending"):
        status_note = "含待审核数据"
        if status_note not in " ".join(parts):
            parts.append(status_note)
    if not closed:
        parts.append(f"截至 {as_of:%m-%d}")
    return Judgement(status, "；".join(parts)[:500], reading, tv, projection)


def _elapsed(period_start, period_end, as_of):
    total = (period_end - period_start).days + 1
    elapsed = max(1, min(total, (as_of - period_start).days + 1))
    return total, elapsed, total - elapsed


def _project_count(value, target, period_start, period_end, as_of) -> dict:
    total, elapsed, remaining = _elapsed(period_start, period_end, as_of)
    projected = value * total / elapsed
    return {"projected": projected, "needed": max(0.0, target - value), "remaining_days": remaining}


def _project_rate(v: Value, target, reading, period_start, period_end, as_of, indicator) -> dict:
    """What the rest of the period must achieve for a ratio k/n to end at the target."""
    through = v.extra.get("through")  # reported data may cover less than the elapsed time
    total, elapsed, remaining = _elapsed(period_start, period_end, min(as_of, through) if through else as_of)
    k, n = float(v.numerator), float(v.denominator)
    # good days: one value per remaining day; other ratios: the same volume per day as so far
    n_rest = float(remaining) if indicator.computation == "air_good_day_ratio" else n * remaining / elapsed
    if n_rest <= 0:
        return {"remaining_days": remaining}
    required = (target / 100.0 * (n + n_rest) - k) / n_rest * 100.0
    reachable = required >= -1e-9 if reading == "<=" else required <= 100.0 + 1e-9
    return {
        "remaining_days": remaining,
        "remaining_volume": math.floor(n_rest),
        "required_rate": max(0.0, required),
        "reachable": reachable,
    }


def summarise_units(target, judgements: dict[int, Judgement], total_units: int, closed: bool) -> tuple[str, str, int]:
    """Province row of a per-unit target: "n of 20 units meet it"."""
    good = sum(1 for j in judgements.values() if j.status in (Status.MET, Status.ON_TRACK))
    with_data = sum(1 for j in judgements.values() if j.status != Status.NO_DATA)
    if with_data == 0:
        return Status.NO_DATA, f"无数据：{total_units} 个市县均无记录", 0
    if closed:
        status = Status.MET if good == total_units else Status.MISSED
    else:
        status = Status.ON_TRACK if good == total_units else Status.AT_RISK
    missing = total_units - with_data
    extra = f"，{missing} 个无数据" if missing else ""
    return status, f"{good}/{total_units} 个市县达到{extra}", good


__all__ = ["Judgement", "ValueType", "judge", "reading_of", "summarise_units"]
