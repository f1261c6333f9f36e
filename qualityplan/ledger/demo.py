"""Demo ledger: work plans of several lead units over the plan's measures, progress in every status (with
evidence), cooperating parts for cities/counties and departments, summaries on time / late / missing / returned,
and the task notices the daily job would have sent during the year. Set-based, fixed seed, idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from qualityplan.core.audit import log_bulk
from qualityplan.ledger.choices import SummaryKind, SummaryStatus, TaskStatus
from qualityplan.ledger.models import Evidence, Milestone, ProgressUpdate, Summary, Task, TaskPart
from qualityplan.ledger.services import ledger_daily_run, summaries_create_expected
from qualityplan.orgs.models import Unit, User
from qualityplan.plans.models import Measure, MeasureUnit, Plan

LEAD_UNITS = ["QTS", "AGRI", "FDA", "SAIC", "TOURISM", "COMMERCE", "OCEAN", "CIQ", "HOUSING", "MIIT", "ENV", "OFFICE"]
PART_UNITS = ["460100", "469002", "460200", "ENV", "QTS", "AGRI", "469005", "YANGPU"]
OWNERS = ["王海", "李明", "陈静", "黄磊", "林芳", "吴强", "符晓", "郑伟", "周婷", "云海"]
VERBS = ["制定", "组织开展", "推进", "完善", "督促落实", "建立"]
OBJECTS = ["实施方案", "专项检查", "标准体系建设", "质量提升行动", "监督抽查", "品牌培育工作", "宣传活动", "统计分析"]
OUTPUTS = ["印发文件 1 份", "检查报告", "工作总结", "抽查结果通报", "标准草案", "培训 2 期"]
NARRATIVE = {
    TaskStatus.NOT_STARTED: "已明确责任人，正在准备。",
    TaskStatus.ON_TRACK: "按计划推进，已完成阶段性工作。",
    TaskStatus.DELAYED: "因部门协调未完成，进度滞后，已制定追赶措施。",
    TaskStatus.DONE: "已全面完成，成果已报送领导小组办公室。",
    TaskStatus.CANCELLED: "经领导小组办公室同意，本项任务取消。",
}


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def load_demo(*, year: int = 2017) -> dict:
    plan = Plan.objects.filter(year=year).order_by("-version").first()
    if plan is None:
        return {"skipped": "no plan"}
    counts = {"summaries": summaries_create_expected(plan=plan)}
    if Task.objects.filter(plan=plan).exists():
        return {**counts, "tasks": 0}
    rng = random.Random(2017)
    units = {u.code: u for u in Unit.objects.all()}
    leads: dict[str, list[int]] = {}
    for code, measure_id in MeasureUnit.objects.filter(
        measure__plan=plan, role="lead", unit__code__in=LEAD_UNITS
    ).values_list("unit__code", "measure_id"):
        leads.setdefault(code, []).append(measure_id)
    group_led = Measure.objects.filter(plan=plan, number="三.(三).1").first()
    if group_led is not None:
        leads.setdefault("ENV", []).append(group_led.id)
    tasks = []
    for code in LEAD_UNITS:
        for measure_id in leads.get(code, []):
            for k in range(rng.randint(1, 3)):
                deadline = dt.date(year, rng.choice([3, 5, 6, 9, 10, 11, 12]), rng.choice([15, 28, 30]))
                tasks.append(
                    Task(
                        plan=plan,
                        measure_id=measure_id,
                        unit=units[code],
                        title=f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}（{code}-{len(tasks) + 1}）",
                        owner_name=rng.choice(OWNERS),
                        owner_phone=f"0898-6{rng.randint(1000000, 9999999)}",
                        deadline=deadline,
                        expected_output=rng.choice(OUTPUTS),
                        stage=1 + (k == 2),
                    )
                )
    Task.objects.bulk_create(tasks)
    tasks = list(Task.objects.filter(plan=plan).order_by("id"))
    statuses = (
        [TaskStatus.DONE] * 5
        + [TaskStatus.ON_TRACK] * 3
        + [TaskStatus.DELAYED] * 2
        + [
            TaskStatus.NOT_STARTED,
            TaskStatus.CANCELLED,
        ]
    )
    milestones, parts, updates = [], [], []
    office_user = User.objects.filter(username="office").first()
    users_by_unit = {u.unit_id: u for u in User.objects.filter(role__in=("dept_reporter", "city_reporter"))}
    for i, task in enumerate(tasks):
        status = statuses[i % len(statuses)] if i > 2 else [TaskStatus.DONE, TaskStatus.DELAYED, TaskStatus.ON_TRACK][i]
        start = dt.date(year, 2, 20)
        mid = start + (task.deadline - start) / 2
        milestones += [
            Milestone(
                task=task,
                title="制定方案",
                due_date=mid,
                order=0,
                reached_on=mid if status in (TaskStatus.DONE, TaskStatus.ON_TRACK, TaskStatus.DELAYED) else None,
            ),
            Milestone(
                task=task,
                title="完成并报送成果",
                due_date=task.deadline,
                order=1,
                reached_on=task.deadline if status == TaskStatus.DONE else None,
            ),
        ]
        for code in rng.sample([c for c in PART_UNITS if c != task.unit.code], k=rng.randint(0, 2)):
            parts.append(
                TaskPart(
                    task=task,
                    unit=units[code],
                    description=f"配合{task.title[:12]}，提供本单位情况",
                    status=rng.choice([TaskStatus.ON_TRACK, TaskStatus.DONE, TaskStatus.NOT_STARTED]),
                )
            )
        history = {
            TaskStatus.DONE: [TaskStatus.ON_TRACK, TaskStatus.DONE],
            TaskStatus.DELAYED: [TaskStatus.ON_TRACK, TaskStatus.DELAYED],
            TaskStatus.ON_TRACK: [TaskStatus.ON_TRACK],
            TaskStatus.CANCELLED: [TaskStatus.ON_TRACK, TaskStatus.CANCELLED],
            TaskStatus.NOT_STARTED: [],
        }[status]
        for j, st in enumerate(history):
            day = mid if j == 0 else min(task.deadline - dt.timedelta(days=rng.randint(-10, 5)), dt.date(year, 12, 20))
            updates.append(
                ProgressUpdate(
                    task=task,
                    unit=task.unit,
                    status=st,
                    narrative=NARRATIVE[st],
                    reported_on=day,
                    reason="职能调整" if st == TaskStatus.CANCELLED else "",
                    reported_by=users_by_unit.get(task.unit_id, office_user),
                )
            )
        task.status = status
        task.cancel_reason = "职能调整，并入其他任务" if status == TaskStatus.CANCELLED else ""
        task.last_update_on = max((u.reported_on for u in updates if u.task is task), default=None)
    Task.objects.bulk_update(tasks, ["status", "cancel_reason", "last_update_on"])
    Milestone.objects.bulk_create(milestones)
    TaskPart.objects.bulk_create(parts, ignore_conflicts=True)
    ProgressUpdate.objects.bulk_create(updates)
    evidence = []
    for update in ProgressUpdate.objects.filter(task__plan=plan, status=TaskStatus.DONE).order_by("id")[:25]:
        original = f"task{update.task_id}-成果.txt"
        name = default_storage.save(  # stored under a random name; the original is kept for display
            f"evidence/ledger/demo/{original}",
            ContentFile(f"{update.task_id} 成果材料（演示）\n{update.narrative}\n".encode()),
        )
        evidence.append(Evidence(update=update, file=name, name=original, size=default_storage.size(name)))
    Evidence.objects.bulk_create(evidence)
    # the year's reminders / overdue notices, as the daily job would have sent them (quietly: no inbox flood)
    notices = 0
    for day in (dt.date(year, m, d) for m in (3, 6, 9, 12) for d in (1, 15)):
        r = ledger_daily_run(today=day, notify=False)
        notices += r["reminders"] + r["overdue_notices"]
    counts.update(tasks=len(tasks), parts=len(parts), updates=len(updates), evidence=len(evidence), notices=notices)
    counts["summaries_filed"] = _file_summaries(plan=plan, rng=rng, office=office_user)
    log_bulk(Task, action="create", summary={"title": f"演示台账 {year}", **counts})
    return counts


def _file_summaries(*, plan, rng, office) -> int:
    """Half-year summaries: on time, late, returned and missing; annual ones: on time or missing."""
    rows = list(Summary.objects.filter(plan=plan).select_related("unit").order_by("kind", "unit__sort_order"))
    fixed = {"460100": "on_time", "469002": "late", "QTS": "on_time", "ENV": "returned"}
    for i, s in enumerate(rows):
        if s.kind == SummaryKind.HALF_YEAR:
            outcome = fixed.get(s.unit.code) or ["on_time", "on_time", "late", "missing", "returned", "on_time"][i % 6]
        else:
            outcome = fixed.get(s.unit.code) if s.unit.code in ("QTS",) else ["on_time", "missing", "late"][i % 3]
            if outcome == "returned":
                outcome = "on_time"
        if outcome == "missing":
            continue
        due = s.due_date
        day = (
            due - dt.timedelta(days=rng.randint(0, 5))
            if outcome != "late"
            else due + dt.timedelta(days=rng.randint(1, 9))
        )
        s.text = f"{s.unit.name}{plan.year}年{'上半年' if s.kind == SummaryKind.HALF_YEAR else ''}质量工作总结（演示）：围绕质量强省行动计划，落实各项任务……"
        s.next_year_plan = f"{plan.year + 1}年工作计划（演示）" if s.kind == SummaryKind.ANNUAL else ""
        s.submitted_at = s.first_submitted_at = _aware(day)
        s.status = SummaryStatus.ACCEPTED if outcome == "on_time" and i % 2 else SummaryStatus.SUBMITTED
        if outcome == "returned":
            s.status = SummaryStatus.RETURNED
            s.returned_reason = "缺少主要指标完成情况和存在问题分析，请补充后重新报送。"
            s.returned_at = _aware(day + dt.timedelta(days=3))
            s.return_count = 1
    Summary.objects.bulk_update(
        rows,
        [
            "text",
            "next_year_plan",
            "submitted_at",
            "first_submitted_at",
            "status",
            "returned_reason",
            "returned_at",
            "return_count",
        ],
    )
    return sum(1 for s in rows if s.submitted_at)
