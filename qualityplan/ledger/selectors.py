"""Reads for the ledger, always scoped to the requesting user."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qualityplan.core import clock
from qualityplan.ledger.choices import BoardStatus, DueRule, TaskStatus
from qualityplan.ledger.models import Summary, Task, TaskPart
from qualityplan.ledger.timeliness import board_status, effective_due


def task_list(*, user, filters: dict | None = None) -> QuerySet[Task]:
    """Tasks the user may see: its unit's tasks and tasks where its unit has a cooperating part (office: all)."""
    qs = Task.objects.restrict(user)
    if user.is_authenticated and getattr(user, "is_reporter", False):
        parts = TaskPart.objects.restrict(user).values("task_id")
        qs = Task.objects.filter(Q(id__in=qs.values("id")) | Q(id__in=parts))
    qs = qs.select_related("unit", "measure")
    filters = filters or {}
    if filters.get("plan"):
        qs = qs.filter(plan_id=filters["plan"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("measure"):
        qs = qs.filter(measure_id=filters["measure"])
    if filters.get("overdue"):
        today = filters.get("today") or clock.today()
        qs = qs.filter(status__in=TaskStatus.open(), deadline__lt=today)
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(owner_name__icontains=filters["q"]))
    return qs.order_by("measure__order", "deadline", "id")


def task_get(*, user, pk: int) -> Task | None:
    return task_list(user=user).filter(pk=pk).first()


def part_list(*, user) -> QuerySet[TaskPart]:
    """Cooperating parts of the user's unit (office: all)."""
    return TaskPart.objects.restrict(user).select_related("task", "task__unit", "task__measure", "unit")


def summary_list(*, user, plan=None) -> QuerySet[Summary]:
    qs = Summary.objects.restrict(user).select_related("unit", "deadline")
    return qs.filter(plan=plan) if plan is not None else qs


def submission_board(
    *, user, plan, kind: str | None = None, today: dt.date | None = None, rule: str = DueRule.NEXT_WORKDAY
) -> dict:
    """The office's board: each expected summary with its column, counts per column and the timeliness rate.

    Timeliness rate = on-time / due summaries (those whose effective due date has passed or that were submitted);
    it feeds the assessment's timeliness figures.
    """
    today = today or clock.today()
    qs = summary_list(user=user, plan=plan)
    if kind:
        qs = qs.filter(kind=kind)
    rows = []
    for s in qs:
        submitted_on = timezone.localdate(s.submitted_at) if s.submitted_at else None
        col = board_status(status=s.status, due=s.due_date, submitted_on=submitted_on, today=today, rule=rule)
        rows.append(
            {
                "summary": s,
                "column": col,
                "label": BoardStatus(col).label,
                "badge": BoardStatus.badge(col),
                "due": effective_due(s.due_date, rule),
            }
        )
    counts = Counter(r["column"] for r in rows)
    due = sum(counts[c] for c in (BoardStatus.ON_TIME, BoardStatus.LATE, BoardStatus.MISSING, BoardStatus.RETURNED))
    return {
        "rows": rows,
        "counts": {c: counts.get(c, 0) for c in BoardStatus.values},
        "timeliness_rate": (counts[BoardStatus.ON_TIME] / due) if due else None,
        "rule": rule,
    }


def ledger_stats(*, user, today: dt.date | None = None, plan=None) -> dict:
    """The ledger's cards; with ``plan``, for that plan's tasks only (the list below them shows the same plan)."""
    today = today or clock.today()
    qs = task_list(user=user, filters={"plan": plan.pk} if plan is not None else None)
    agg = qs.aggregate(
        total=Count("id", distinct=True),
        done=Count("id", filter=Q(status=TaskStatus.DONE), distinct=True),
        delayed=Count("id", filter=Q(status=TaskStatus.DELAYED), distinct=True),
        overdue=Count("id", filter=Q(status__in=TaskStatus.open(), deadline__lt=today), distinct=True),
    )
    return agg


def tasks_delayed(*, year: int) -> QuerySet[Task]:
    """Tasks of the year's plans reported as delayed (滞后), oldest first (the demo opens a 督办 item from one)."""
    return Task.objects.filter(plan__year=year, status="delayed").order_by("id")
