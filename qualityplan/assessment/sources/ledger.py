"""Rules ``ledger_tasks`` and ``ledger_summaries``: task completion and summary timeliness (``ledger``).

``ledger_tasks`` — the unit's tasks (tasks it leads and cooperating parts it holds) whose deadline falls on or
before the round's cut-off date, cancelled ones excluded. Done by the deadline (date of the first "done"
progress report; without one, the row's ``last_update_on``, the date its status was last set) earns a full
share, done late ``late_share`` (default 0.5) — as is "done" with no date at all, since nothing shows it was on
time — and not done nothing:
points × Σshare / due. With no due task the item scores ``if_none`` (``full`` by default: nothing was asked).

``ledger_summaries`` — the unit's expected summaries (half-year, annual; ``kind`` may restrict) judged by
``ledger.timeliness.board_status`` (working-day rule): on time 1, late or returned ``late_share``, missing 0;
summaries not yet due are left out.

Reads three queries: tasks led (with done date), parts held (with done date), summaries.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Min, Q
from django.utils import timezone

from qualityplan.assessment.choices import ScoreStatus
from qualityplan.assessment.rules import (
    Ref,
    RuleType,
    Score,
    number_param,
    q,
    register,
    register_source,
    share_of,
    status_for,
)


def load_tasks(ctx) -> dict:
    from qualityplan.ledger.choices import TaskStatus
    from qualityplan.ledger.models import Task, TaskPart

    unit_ids = [u.id for u in ctx.units]
    out: dict[int, list[dict]] = defaultdict(list)
    done = Q(updates__status=TaskStatus.DONE)
    tasks = (
        Task.objects.filter(plan=ctx.plan, unit_id__in=unit_ids, deadline__lte=ctx.as_of)
        .exclude(status=TaskStatus.CANCELLED)
        .annotate(done_on=Min("updates__reported_on", filter=done & Q(updates__part__isnull=True)))
        .values("id", "unit_id", "title", "deadline", "status", "done_on", "last_update_on", "measure__number")
    )
    for t in tasks:
        last_update = t.pop("last_update_on")
        t["done_on"] = t["done_on"] or last_update
        out[t["unit_id"]].append({**t, "kind": "task"})
    parts = (
        TaskPart.objects.filter(task__plan=ctx.plan, unit_id__in=unit_ids)
        .exclude(status=TaskStatus.CANCELLED)
        .annotate(done_on=Min("updates__reported_on", filter=done))
        .values(
            "id",
            "unit_id",
            "task__title",
            "task__deadline",
            "deadline",
            "status",
            "done_on",
            "last_update_on",
            "task__measure__number",
        )  # fmt: skip
    )
    for p in parts:
        deadline = p["deadline"] or p["task__deadline"]
        if deadline > ctx.as_of:
            continue
        out[p["unit_id"]].append(
            {
                "id": p["id"],
                "unit_id": p["unit_id"],
                "title": p["task__title"],
                "deadline": deadline,
                "status": p["status"],
                "done_on": p["done_on"] or p["last_update_on"],
                "measure__number": p["task__measure__number"],
                "kind": "part",
            }
        )
    return out


def evaluate_tasks(item, unit, ctx) -> Score:
    from qualityplan.ledger.choices import TaskStatus

    late_share = Decimal(str(item.rule.get("late_share", "0.5")))
    rows = ctx.source("ledger_tasks").get(unit.id, [])
    if not rows:
        if item.rule.get("if_none", "full") == "full":
            return Score(q(item.points), ScoreStatus.FULL, f"截至 {ctx.as_of} 无到期任务，不扣分")
        return Score(q(0), ScoreStatus.NO_DATA, f"截至 {ctx.as_of} 无到期任务，按规则计 0 分")
    on_time = late = missing = 0
    refs = []
    for r in rows:
        done_on = r["done_on"] if r["status"] == TaskStatus.DONE else None
        if done_on is not None and done_on <= r["deadline"]:
            on_time += 1
            verdict = "按时完成"
        elif done_on is not None:
            late += 1
            verdict = f"逾期完成（{done_on}）"
        elif r["status"] == TaskStatus.DONE:
            late += 1  # done, but no date shows it was on time: counted as late, and said so
            verdict = "已完成但未记录完成日期，按逾期完成计"
        else:
            missing += 1
            verdict = "未完成"
        refs.append(
            Ref(r["kind"], r["id"], f"{r['measure__number']} {r['title'][:30]}：时限 {r['deadline']}，{verdict}")
        )
    due = len(rows)
    share = (Decimal(on_time) + late_share * late) / due
    points = share_of(item.points, share)
    text = f"到期任务 {due} 项：按时完成 {on_time}、逾期完成 {late}（每项按 {late_share} 计）、未完成 {missing}；完成率折算 {share:.4f}"
    return Score(points, status_for(points, item.points), text, tuple(refs), f"{on_time}/{due}")


def load_summaries(ctx) -> dict:
    from qualityplan.ledger.models import Summary
    from qualityplan.ledger.timeliness import board_status

    out: dict[int, list[dict]] = defaultdict(list)
    rows = Summary.objects.filter(plan=ctx.plan, unit_id__in=[u.id for u in ctx.units]).values(
        "id", "unit_id", "kind", "due_date", "status", "submitted_at"
    )
    for s in rows:
        submitted_on = timezone.localdate(s["submitted_at"]) if s["submitted_at"] else None
        column = board_status(status=s["status"], due=s["due_date"], submitted_on=submitted_on, today=ctx.as_of)
        out[s["unit_id"]].append({**s, "column": column, "submitted_on": submitted_on})
    return out


def evaluate_summaries(item, unit, ctx) -> Score:
    from qualityplan.ledger.choices import BoardStatus, SummaryKind

    late_share = Decimal(str(item.rule.get("late_share", "0.5")))
    kind = item.rule.get("kind")
    rows = [r for r in ctx.source("ledger_summaries").get(unit.id, []) if not kind or r["kind"] == kind]
    rows = [r for r in rows if r["column"] != BoardStatus.PENDING]
    if not rows:
        return Score(q(item.points), ScoreStatus.FULL, f"截至 {ctx.as_of} 无到期总结，不扣分")
    labels = dict(SummaryKind.choices)
    col_labels = dict(BoardStatus.choices)
    total = Decimal(0)
    refs = []
    for r in rows:
        share = {BoardStatus.ON_TIME: Decimal(1), BoardStatus.LATE: late_share, BoardStatus.RETURNED: late_share}.get(
            r["column"], Decimal(0)
        )
        total += share
        when = f"，{r['submitted_on']} 报送" if r["submitted_on"] else ""
        refs.append(
            Ref(
                "summary",
                r["id"],
                f"{labels.get(r['kind'], r['kind'])}：时限 {r['due_date']}{when}，{col_labels[r['column']]}",
            )
        )
    share = total / len(rows)
    points = share_of(item.points, share)
    counts = defaultdict(int)
    for r in rows:
        counts[r["column"]] += 1
    text = "、".join(f"{col_labels[c]} {n}" for c, n in counts.items())
    return Score(
        points,
        status_for(points, item.points),
        f"应报总结 {len(rows)} 份：{text}；折算 {share:.4f}",
        tuple(refs),
        f"{counts[BoardStatus.ON_TIME]}/{len(rows)}",
    )


def check_tasks(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    share = number_param(rule, "late_share", errors)
    if share is not None and share > 1:
        errors.append("late_share 应在 0–1 之间")
    if rule.get("if_none", "full") not in ("full", "zero"):
        errors.append("if_none 应为 full 或 zero")
    return errors


def check_summaries(item, rule: dict, context) -> list[str]:
    errors: list[str] = []
    share = number_param(rule, "late_share", errors)
    if share is not None and share > 1:
        errors.append("late_share 应在 0–1 之间")
    if rule.get("kind") not in (None, "half_year", "annual"):
        errors.append("kind 应为 half_year 或 annual")
    return errors


register_source("ledger_tasks", load_tasks)
register_source("ledger_summaries", load_summaries)
register(
    RuleType(
        name="ledger_tasks",
        label="任务完成情况",
        source="ledger_tasks",
        evaluate=evaluate_tasks,
        check=check_tasks,
        basis="ledger.Task / TaskPart 与进展报告中的完成日期",
    )
)
register(
    RuleType(
        name="ledger_summaries",
        label="总结报送及时性",
        source="ledger_summaries",
        evaluate=evaluate_summaries,
        check=check_summaries,
        basis="ledger.Summary 与 ledger.timeliness.board_status（工作日顺延规则）",
    )
)
