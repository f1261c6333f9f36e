"""台账: unit work plans (tasks per measure), cooperating parts, progress with evidence, notices, summaries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel
from qualityplan.ledger.choices import SummaryKind, SummaryStatus, TaskNoticeKind, TaskStatus


class Task(VersionedModel, BaseModel):
    """One task of a lead unit's work plan for a measure: who, by when, producing what."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("年度计划"))
    measure = models.ForeignKey(
        "plans.Measure", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("工作措施")
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("牵头单位"))
    title = models.CharField(_("任务"), max_length=300)
    owner_name = models.CharField(_("责任人"), max_length=50)
    owner_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    deadline = models.DateField(_("完成时限"))
    expected_output = models.TextField(_("预期成果"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    last_update_on = models.DateField(_("最近更新"), null=True, blank=True)
    overdue_since = models.DateField(_("逾期起始"), null=True, blank=True, db_index=True)
    stage = models.PositiveSmallIntegerField(_("时限轮次"), default=1)  # +1 when the deadline changes
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # carry-over (ledger.services.carry_over): the unfinished task of the previous year's plan this one continues
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to", verbose_name=_("结转自")
    )

    scope_unit_field = "unit"

    class Meta:
        ordering = ["measure__order", "deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="task_cancel_needs_reason",
                violation_error_message=_("取消任务必须说明原因。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in TaskStatus.open()

    @property
    def status_badge(self) -> str:
        return TaskStatus.badge(self.status)


class Milestone(BaseModel):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_date = models.DateField(_("计划时间"), null=True, blank=True)
    reached_on = models.DateField(_("完成时间"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    scope_unit_field = "task__unit"

    class Meta:
        ordering = ["task", "order", "due_date"]
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")

    def __str__(self) -> str:
        return self.title


class TaskPart(VersionedModel, BaseModel):
    """The part of a task a cooperating unit does; that unit sees the task and reports on its part."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="parts")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="task_parts", verbose_name=_("配合单位")
    )
    description = models.TextField(_("分工内容"))
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    last_update_on = models.DateField(_("最近更新"), null=True, blank=True)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("配合分工")
        verbose_name_plural = _("配合分工")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit"], name="taskpart_task_unit_unique", violation_error_message=_("该单位已有分工。")
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.description[:40]}"

    @property
    def status_badge(self) -> str:
        return TaskStatus.badge(self.status)


class ProgressUpdate(VersionedModel, BaseModel):
    """One dated progress report on a task (or on a cooperating unit's part); the rows are the history."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    part = models.ForeignKey(TaskPart, null=True, blank=True, on_delete=models.CASCADE, related_name="updates")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("报告单位"))
    status = models.CharField(_("状态"), max_length=20, choices=TaskStatus.choices)
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("达成节点")
    )
    narrative = models.TextField(_("进展情况"))
    reason = models.TextField(_("取消/滞后原因"), blank=True)
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self) -> str:
        return f"{self.reported_on} {self.get_status_display()}"


class Evidence(BaseModel):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="evidence/ledger/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))

    scope_unit_field = "update__unit"

    class Meta:
        ordering = ["id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.name


class TaskNotice(BaseModel):
    """A reminder or overdue notice sent for a task; one per (task, kind, stage) — the job is idempotent."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=20, choices=TaskNoticeKind.choices)
    stage = models.PositiveSmallIntegerField(_("时限轮次"))
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("发出日期"))
    deadline = models.DateField(_("对应时限"))
    run_id = models.CharField(max_length=32, blank=True, db_index=True)

    scope_unit_field = "unit"
    audited = False

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("任务提醒")
        verbose_name_plural = _("任务提醒")
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "stage"], name="tasknotice_task_kind_stage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.task_id}"


class Summary(VersionedModel, BaseModel):
    """An expected submission (half-year / annual summary) of one unit, created from the plan's deadline."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="summaries")
    deadline = models.ForeignKey("plans.Deadline", on_delete=models.CASCADE, related_name="summaries")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="summaries", verbose_name=_("单位"))
    kind = models.CharField(_("类型"), max_length=20, choices=SummaryKind.choices)
    due_date = models.DateField(_("报送时限"))
    status = models.CharField(_("状态"), max_length=20, choices=SummaryStatus.choices, default=SummaryStatus.EXPECTED)
    text = models.TextField(_("总结内容"), blank=True)
    next_year_plan = models.TextField(_("下年度工作计划"), blank=True)
    file = models.FileField(_("附件"), upload_to="summaries/%Y/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField(_("退回原因"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["due_date", "unit__sort_order"]
        verbose_name = _("工作总结")
        verbose_name_plural = _("工作总结")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "unit"],
                name="summary_deadline_unit_unique",
                violation_error_message=_("该单位的此项总结已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}"
