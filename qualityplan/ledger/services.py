"""Writes for the ledger: tasks, parts, progress with evidence, summaries; the daily overdue/reminder job."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.audit import log_changes
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import original_name
from qualityplan.core.middleware import acting_as
from qualityplan.core.querysets import CHANGE
from qualityplan.core.services import model_update
from qualityplan.ledger.choices import SummaryKind, SummaryStatus, TaskNoticeKind, TaskStatus
from qualityplan.ledger.models import Evidence, Milestone, ProgressUpdate, Summary, Task, TaskNotice, TaskPart
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan
from qualityplan.plans.selectors import measures_of_unit
from qualityplan.standards.workdays import add_workdays, is_workday

# ---------------------------------------------------------------- tasks


def _require_office(user) -> None:
    if not getattr(user, "is_office", False):
        raise ApplicationError(_("只有领导小组办公室可以执行此操作。"), {"user": getattr(user, "username", None)})


def _can_change_task(user, task: Task) -> bool:
    return Task.objects.restrict(user, CHANGE).filter(pk=task.pk).exists()


@transaction.atomic
def task_create(
    *,
    user,
    measure: Measure,
    title: str,
    owner_name: str,
    deadline: dt.date,
    unit: Unit | None = None,
    owner_phone: str = "",
    expected_output: str = "",
    milestones: list[tuple[str, dt.date | None]] | None = None,
    parts: list[tuple[Unit, str, dt.date | None]] | None = None,
) -> Task:
    """Break a measure down: a task of ``unit`` (the user's unit unless the office names one).

    The unit must lead or cooperate on the measure (directly or through a group such as 各市县政府): a city
    breaks down the provincial measures it cooperates on into its own local tasks. Cooperating units of the
    task itself get their ``parts``.
    """
    if unit is None:
        unit = user.unit
    if unit is None:
        raise ApplicationError(_("请指定牵头单位。"), {"field": "unit"})
    if not user.is_office and (user.unit_id != unit.id or not user.is_reporter):
        raise ApplicationError(_("只能为本单位分解任务。"), {"field": "unit"})
    if not measures_of_unit(unit_id=unit.id).filter(pk=measure.pk).exists():
        raise ApplicationError(
            _("%(unit)s 不是措施 %(measure)s 的牵头或配合单位。") % {"unit": unit, "measure": measure.number},
            {"field": "measure"},
        )
    task = Task(
        plan_id=measure.plan_id,
        measure=measure,
        unit=unit,
        title=title,
        owner_name=owner_name,
        owner_phone=owner_phone,
        deadline=deadline,
        expected_output=expected_output,
        created_by=user,
    )
    task.full_clean()
    task.save()
    for order, (m_title, due) in enumerate(milestones or []):
        Milestone.objects.create(task=task, title=m_title, due_date=due, order=order)
    for part_unit, description, part_deadline in parts or []:
        task_part_add(user=user, task=task, unit=part_unit, description=description, deadline=part_deadline)
    if user.unit_id != unit.id:  # the office assigned it: tell the lead unit
        _notify_task(
            task,
            [unit.id],
            _("新分解任务：%(title)s") % {"title": task.title},
            _("措施 %(measure)s，完成时限 %(deadline)s。")
            % {"measure": measure.number, "deadline": f"{task.deadline:%Y-%m-%d}"},
        )
    return task


def _notify_task(task: Task, unit_ids, title: str, body: str = "") -> None:
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import notify_units

    notify_units(
        unit_ids=unit_ids,
        title=title,
        body=body,
        url=reverse("ledger:task", args=[task.pk]),
        kind=NotificationKind.TASK,
    )


def task_part_add(*, user, task: Task, unit: Unit, description: str, deadline: dt.date | None = None) -> TaskPart:
    if not _can_change_task(user, task):
        raise ApplicationError(_("无权修改此任务。"), {"task": task.pk})
    if unit.id == task.unit_id:
        raise ApplicationError(_("配合单位不能是牵头单位本身。"), {"field": "unit"})
    part = TaskPart(task=task, unit=unit, description=description, deadline=deadline)
    part.full_clean()
    part.save()
    _notify_task(
        task,
        [unit.id],
        _("配合任务：%(title)s") % {"title": task.title},
        _("牵头单位：%(unit)s；本单位分工：%(part)s") % {"unit": task.unit, "part": description},
    )
    return part


def milestone_add(*, user, task: Task, title: str, due_date: dt.date | None = None) -> Milestone:
    if not _can_change_task(user, task):
        raise ApplicationError(_("无权修改此任务。"), {"task": task.pk})
    return Milestone.objects.create(task=task, title=title, due_date=due_date, order=task.milestones.count())


TASK_EDITABLE = ["title", "owner_name", "owner_phone", "deadline", "expected_output"]


def task_update(*, user, task: Task, data: dict) -> Task:
    """Edit a task's plan fields; a changed deadline starts a new reminder stage and clears the overdue flag."""
    if not _can_change_task(user, task):
        raise ApplicationError(_("无权修改此任务。"), {"task": task.pk})
    old_deadline = task.deadline
    task, changed = model_update(instance=task, fields=TASK_EDITABLE, data=data)
    if changed and task.deadline != old_deadline:
        task.stage += 1
        task.overdue_since = None
        task.save(update_fields=["stage", "overdue_since", "updated_at"])
    return task


@transaction.atomic
def progress_report(
    *,
    user,
    task: Task,
    status: str,
    narrative: str,
    part: TaskPart | None = None,
    milestone: Milestone | None = None,
    reason: str = "",
    files: list | None = None,
    today: dt.date | None = None,
) -> ProgressUpdate:
    """Record progress (with evidence files) on a task — by its lead unit — or on a part — by that part's unit.

    Cancelling needs a reason; a reached milestone is dated; the task's (or part's) current status follows the
    report and a done/cancelled task is no longer overdue.
    """
    today = today or clock.today()
    if status not in TaskStatus.values:
        raise ApplicationError(_("未知状态：%(status)s") % {"status": status}, {"field": "status"})
    if not narrative.strip():
        raise ApplicationError(_("请填写进展情况。"), {"field": "narrative"})
    if status == TaskStatus.CANCELLED and not reason.strip():
        raise ApplicationError(_("取消任务必须说明原因。"), {"field": "reason"})
    if part is not None:
        if part.task_id != task.id:
            raise ApplicationError(_("分工不属于该任务。"), {"field": "part"})
        if not (user.is_office or (user.is_reporter and user.unit_id == part.unit_id)):
            raise ApplicationError(_("只能报告本单位的配合分工。"), {"field": "part"})
        unit_id = part.unit_id
    else:
        if not _can_change_task(user, task):
            raise ApplicationError(_("只有牵头单位可以报告任务进展。"), {"task": task.pk})
        unit_id = task.unit_id
    if milestone is not None and milestone.task_id != task.id:
        raise ApplicationError(_("里程碑不属于该任务。"), {"field": "milestone"})
    for upload in files or []:
        evidence_validate(upload, field="evidence", label=_("佐证材料"))
    update = ProgressUpdate.objects.create(
        task=task,
        part=part,
        unit_id=unit_id,
        status=status,
        milestone=milestone,
        narrative=narrative,
        reason=reason,
        reported_on=today,
        reported_by=user,
    )
    for upload in files or []:
        Evidence.objects.create(update=update, file=upload, name=original_name(upload), size=upload.size)
    if milestone is not None and milestone.reached_on is None:
        milestone.reached_on = today
        milestone.save(update_fields=["reached_on", "updated_at"])
    if part is not None:
        part.status = status
        part.last_update_on = today
        part.save(update_fields=["status", "last_update_on", "updated_at"])
    else:
        task.status = status
        task.last_update_on = today
        if status == TaskStatus.CANCELLED:
            task.cancel_reason = reason
        if status not in TaskStatus.open():
            task.overdue_since = None
        task.save(update_fields=["status", "last_update_on", "cancel_reason", "overdue_since", "updated_at"])
    return update


# ---------------------------------------------------------------- summaries


def summary_kind_of(deadline: Deadline) -> str | None:
    """Which summary a plan deadline asks for: 上半年工作总结 → half-year; 工作总结…工作计划 → annual."""
    what = deadline.what
    if "总结" not in what:
        return None
    if "上半年" in what or (deadline.date.month, deadline.date.day) == (6, 30):
        return SummaryKind.HALF_YEAR
    return SummaryKind.ANNUAL


def summary_units(*, plan: Plan):
    """Units owing summaries: every city/county and Yangpu, and each provincial department named in the plan."""
    named = MeasureUnit.objects.filter(
        measure__plan=plan, unit__kind__in=(UnitKind.DEPARTMENT, UnitKind.VERTICAL)
    ).values("unit_id")
    return Unit.objects.filter(Q(kind__in=UnitKind.local_governments()) | Q(id__in=named)).order_by("sort_order")


def summaries_create_expected(*, plan: Plan) -> int:
    """Create the expected submissions from the plan's summary deadlines (idempotent; returns rows created)."""
    deadlines = [(d, summary_kind_of(d)) for d in plan.deadlines.all()]
    deadlines = [(d, k) for d, k in deadlines if k]
    unit_ids = list(summary_units(plan=plan).values_list("id", flat=True))
    existing = set(Summary.objects.filter(plan=plan).values_list("deadline_id", "unit_id"))
    rows = [
        Summary(plan=plan, deadline=d, unit_id=uid, kind=kind, due_date=d.date)
        for d, kind in deadlines
        for uid in unit_ids
        if (d.id, uid) not in existing
    ]
    Summary.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def summary_submit(
    *, user, summary: Summary, text: str, next_year_plan: str = "", file=None, now: dt.datetime | None = None
) -> Summary:
    if not (user.is_reporter and user.unit_id == summary.unit_id):
        raise ApplicationError(_("只能报送本单位的工作总结。"), {"summary": summary.pk})
    if summary.status not in (SummaryStatus.EXPECTED, SummaryStatus.RETURNED):
        raise ApplicationError(_("该总结已报送，退回后才能重新报送。"), {"status": summary.status})
    if not text.strip() and file is None and not summary.file:
        raise ApplicationError(_("请填写总结内容或上传文件。"), {"field": "text"})
    if summary.kind == SummaryKind.ANNUAL and not next_year_plan.strip() and file is None and not summary.file:
        raise ApplicationError(_("年度总结须附下年度工作计划。"), {"field": "next_year_plan"})
    if file is not None:
        evidence_validate(file, field="file", label=_("附件"))
        summary.file = file
        summary.file_name = original_name(file)
    now = now or clock.now()
    summary.text = text
    summary.next_year_plan = next_year_plan
    summary.status = SummaryStatus.SUBMITTED
    summary.submitted_at = now
    summary.first_submitted_at = summary.first_submitted_at or now
    summary.submitted_by = user
    summary.save()
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import notify_office

    notify_office(
        title=_("%(unit)s报送了%(kind)s，请审阅") % {"unit": summary.unit, "kind": summary.get_kind_display()},
        url=reverse("ledger:summary", args=[summary.pk]),
        kind=NotificationKind.SUMMARY,
        unit_id=summary.unit_id,
    )
    return summary


def summary_return(*, user, summary: Summary, reason: str, now: dt.datetime | None = None) -> Summary:
    _require_office(user)
    if summary.status != SummaryStatus.SUBMITTED:
        raise ApplicationError(_("只能退回已报送的总结。"), {"status": summary.status})
    if not reason.strip():
        raise ApplicationError(_("退回须说明原因。"), {"field": "reason"})
    summary.status = SummaryStatus.RETURNED
    summary.returned_reason = reason
    summary.returned_at = now or clock.now()
    summary.return_count += 1
    summary.save()
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import messages_for_units, notifications_deliver

    notifications_deliver(
        messages=messages_for_units(
            unit_ids=[summary.unit_id],
            title=f"{summary.get_kind_display()}被退回",
            body=f"退回原因：{reason}",
            url=f"/ledger/summaries/{summary.pk}/",
            kind=NotificationKind.SUMMARY,
        )
    )
    return summary


def summary_accept(*, user, summary: Summary) -> Summary:
    _require_office(user)
    if summary.status != SummaryStatus.SUBMITTED:
        raise ApplicationError(_("只能采纳已报送的总结。"), {"status": summary.status})
    summary.status = SummaryStatus.ACCEPTED
    summary.save(update_fields=["status", "updated_at"])
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import notify_units

    notify_units(
        unit_ids=[summary.unit_id],
        title=_("%(kind)s已采纳") % {"kind": summary.get_kind_display()},
        url=reverse("ledger:summary", args=[summary.pk]),
        kind=NotificationKind.SUMMARY,
    )
    return summary


# ---------------------------------------------------------------- daily job


@dataclass(frozen=True)
class TaskReminderPolicy:
    """Reminder ``reminder_workdays`` working days before a task deadline; overdue notice the first working day after."""

    reminder_workdays: int = 3


def ledger_daily_run(*, today: dt.date | None = None, policy: TaskReminderPolicy | None = None, notify=True) -> dict:
    """Flag overdue tasks and send task reminders/overdue notices — set-based and idempotent.

    Queries do not grow with the number of tasks (two UPDATEs, two candidate SELECTs, batched inserts,
    one read-back, one user lookup). A second run on the same day finds nothing to send: the
    ``(task, kind, stage)`` unique constraint plus a ``NOT EXISTS`` pre-filter.
    """
    today = today or clock.today()
    policy = policy or TaskReminderPolicy()
    open_q = Q(status__in=TaskStatus.open())
    to_flag = list(
        Task.objects.filter(open_q, deadline__lt=today, overdue_since__isnull=True).values_list("pk", "title")
    )
    to_clear = list(
        Task.objects.filter(overdue_since__isnull=False)
        .filter(~open_q | Q(deadline__gte=today))
        .values_list("pk", "title", "overdue_since")
    )
    flagged = Task.objects.filter(pk__in=[pk for pk, _t in to_flag]).update(overdue_since=today)
    cleared = Task.objects.filter(pk__in=[row[0] for row in to_clear]).update(overdue_since=None)
    log_changes(Task, [(pk, title, {"overdue_since": None}, {"overdue_since": today}) for pk, title in to_flag])
    log_changes(Task, [(pk, title, {"overdue_since": since}, {"overdue_since": None}) for pk, title, since in to_clear])
    last_workday = today if is_workday(today) else add_workdays(today, -1)
    remind_until = add_workdays(today, policy.reminder_workdays)

    def missing(kind):
        return ~Exists(TaskNotice.objects.filter(task=OuterRef("pk"), kind=kind, stage=OuterRef("stage")))

    run_id = uuid.uuid4().hex
    fields = ("id", "stage", "unit_id", "deadline")
    reminders = Task.objects.filter(open_q, deadline__gt=today, deadline__lte=remind_until).filter(
        missing(TaskNoticeKind.REMINDER)
    )
    overdue = Task.objects.filter(open_q, deadline__lt=last_workday).filter(missing(TaskNoticeKind.OVERDUE))
    rows = [
        TaskNotice(task_id=t[0], kind=kind, stage=t[1], unit_id=t[2], deadline=t[3], issued_on=today, run_id=run_id)
        for kind, qs in ((TaskNoticeKind.REMINDER, reminders), (TaskNoticeKind.OVERDUE, overdue))
        for t in qs.values_list(*fields)
    ]
    TaskNotice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    sent = 0
    if notify and rows:
        sent = _notify_task_notices(run_id=run_id)
    return {
        "flagged_overdue": flagged,
        "cleared_overdue": cleared,
        "reminders": sum(1 for r in rows if r.kind == TaskNoticeKind.REMINDER),
        "overdue_notices": sum(1 for r in rows if r.kind == TaskNoticeKind.OVERDUE),
        "messages": sent,
    }


def _notify_task_notices(*, run_id: str) -> int:
    """One inbox message per notice per user of the task's unit (2 queries + bulk insert)."""
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import Message, notifications_deliver
    from qualityplan.orgs.models import User

    notices = list(
        TaskNotice.objects.filter(run_id=run_id).values_list("task_id", "kind", "unit_id", "deadline", "task__title")
    )
    users: dict[int, list[tuple[int, str]]] = {}
    for uid, unit_id, email in User.objects.filter(unit_id__in={n[2] for n in notices}, is_active=True).values_list(
        "id", "unit_id", "email"
    ):
        users.setdefault(unit_id, []).append((uid, email))
    messages = []
    for task_id, kind, unit_id, deadline, title in notices:
        if kind == TaskNoticeKind.REMINDER:
            subject, nkind = f"任务即将到期：{title}", NotificationKind.TASK_REMINDER
            body = f"任务“{title}”的完成时限为 {deadline:%Y-%m-%d}，请按时完成并报告进展。"
        else:
            subject, nkind = f"任务已逾期：{title}", NotificationKind.TASK_OVERDUE
            body = f"任务“{title}”已超过完成时限 {deadline:%Y-%m-%d}，请尽快报告进展或申请调整时限。"
        for uid, email in users.get(unit_id, []):
            messages.append(
                Message(
                    user_id=uid,
                    unit_id=unit_id,
                    title=subject,
                    body=body,
                    url=f"/ledger/tasks/{task_id}/",
                    kind=nkind,
                    email=email,
                )
            )
    return notifications_deliver(messages=messages)


# ---------------------------------------------------------------- carry-over into the next year's plan


def _next_year(d: dt.date | None, target_year: int) -> dt.date | None:
    if d is None:
        return None
    years = target_year - d.year if d.year < target_year else 1
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@transaction.atomic
def carry_over(*, user, source: Plan, target: Plan, task_ids=None, item_ids=None) -> dict:
    with acting_as(user):  # audited with the real actor from the web and the CLI
        return _carry_over(user=user, source=source, target=target, task_ids=task_ids, item_ids=item_ids)


def _carry_over(*, user, source: Plan, target: Plan, task_ids=None, item_ids=None) -> dict:
    """结转: carry the unfinished tasks of ``source`` and the open supervision items (with their open rectification
    items) of its year into ``target``, the plan of the following year. Each new task / item links to its origin
    (``carried_from``); the origin keeps its history and is left as it is. ``task_ids`` / ``item_ids`` limit the
    carry-over to the chosen ones (default: all). Idempotent: what was carried already is skipped.

    Returns ``{"tasks": [...new], "items": [...new], "skipped": [(origin, reason), ...]}``."""
    from qualityplan.supervision.choices import ItemStatus, RectificationStatus
    from qualityplan.supervision.models import ItemEvent, RectificationItem, SupervisionItem
    from qualityplan.supervision.services import item_create

    _require_office(user)
    if target.year != source.year + 1:
        raise ApplicationError(
            _("只能结转到下一年度的计划（%(y)s 年）。") % {"y": source.year + 1}, {"field": "target"}
        )
    measures = {m.number: m for m in target.measures.all()}
    tasks = Task.objects.filter(plan=source, status__in=TaskStatus.open()).select_related("measure", "unit")
    if task_ids is not None:
        tasks = tasks.filter(pk__in=list(task_ids))
    already = set(Task.objects.filter(plan=target, carried_from__isnull=False).values_list("carried_from", flat=True))
    new_tasks, skipped, task_map = [], [], {}
    for task in tasks:
        if task.pk in already:
            skipped.append((task, _("已结转")))
            continue
        measure = measures.get(task.measure.number)
        if measure is None:
            skipped.append((task, _("下一年度计划没有措施 %(n)s") % {"n": task.measure.number}))
            continue
        new = Task.objects.create(
            plan=target, measure=measure, unit=task.unit, title=task.title, owner_name=task.owner_name,
            owner_phone=task.owner_phone, deadline=_next_year(task.deadline, target.year),
            expected_output=task.expected_output, status=task.status, created_by=user, carried_from=task,
        )  # fmt: skip
        for part in task.parts.exclude(status__in=[TaskStatus.DONE, TaskStatus.CANCELLED]):
            TaskPart.objects.create(task=new, unit=part.unit, description=part.description, status=part.status,
                                    deadline=_next_year(part.deadline, target.year))  # fmt: skip
        new_tasks.append(new)
        task_map[task.pk] = new
    for origin_pk, carried in Task.objects.filter(plan=target, carried_from__isnull=False).values_list(
        "carried_from", "pk"
    ):
        task_map.setdefault(origin_pk, carried)
    items = SupervisionItem.objects.filter(year=source.year).exclude(status=ItemStatus.CLOSED)
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    done_items = set(
        SupervisionItem.objects.filter(carried_from__isnull=False, year=target.year).values_list(
            "carried_from", flat=True
        )
    )
    new_items = []
    for item in items.select_related("lead_unit"):
        if item.pk in done_items:
            skipped.append((item, _("已结转")))
            continue
        carried_task = task_map.get(item.task_id)
        if isinstance(carried_task, int):
            carried_task = Task.objects.get(pk=carried_task)
        coop = [a.unit for a in item.assignments.select_related("unit") if a.unit_id != item.lead_unit_id]
        new = item_create(
            user=user, title=item.title, source=item.source, source_ref=item.source_ref or item.number,
            requirement=item.requirement, lead_unit=item.lead_unit, cooperating_units=coop,
            deadline_workdays=item.deadline_workdays, task=carried_task, year=target.year,
        )  # fmt: skip
        new.carried_from = item
        new.save(update_fields=["carried_from", "updated_at"])
        for r in item.rectifications.exclude(status=RectificationStatus.CLOSED):
            RectificationItem.objects.create(item=new, title=r.title, unit=r.unit, status=r.status,
                                             plan_text=r.plan_text, report_text=r.report_text, order=r.order)  # fmt: skip
        note = {"from": item.number, "to": new.number}
        ItemEvent.objects.create(item=item, action="carry_over", from_status=item.status, to_status=item.status,
                                 user=user, comment=_("结转至 %(n)s") % {"n": new.number}, data=note)  # fmt: skip
        ItemEvent.objects.create(item=new, action="carry_over", from_status="", to_status=new.status, user=user,
                                 comment=_("由 %(n)s 结转") % {"n": item.number}, data=note)  # fmt: skip
        new_items.append(new)
    return {"tasks": new_tasks, "items": new_items, "skipped": skipped}
