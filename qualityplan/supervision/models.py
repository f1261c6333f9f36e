"""督查督办: numbered supervision items, 主办/协办 units, reports, rectification items, notices, policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel
from qualityplan.supervision.choices import (
    AssignmentRole,
    ItemSource,
    ItemStatus,
    NoticeKind,
    RectificationStatus,
    ReportKind,
)


class SupervisionItem(VersionedModel, BaseModel):
    """A 督办单: what must be done, by whom (主办 + 协办), by when (N working days from 交办)."""

    year = models.PositiveIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("督办单编号"), max_length=40, unique=True)
    title = models.CharField(_("事项"), max_length=300)
    source = models.CharField(_("来源"), max_length=30, choices=ItemSource.choices)
    source_ref = models.CharField(_("来源说明"), max_length=300, blank=True)
    task = models.ForeignKey(
        "ledger.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="supervision_items"
    )
    requirement = models.TextField(_("督办要求"))
    lead_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="supervision_lead", verbose_name=_("主办单位")
    )
    deadline_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=15)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("原定期限"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("期限轮次"), default=1)  # +1 on approved extension / 退回重办
    status = models.CharField(_("状态"), max_length=30, choices=ItemStatus.choices, default=ItemStatus.REGISTERED)
    extension_until = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # carry-over: the open item of the previous year this one continues (its history stays on the origin)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to", verbose_name=_("结转自")
    )

    scope_unit_field = "assignments__unit"

    class Meta:
        ordering = ["-year", "-seq"]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="supervision_year_seq_unique"),
            models.CheckConstraint(condition=Q(deadline_workdays__gte=1), name="supervision_deadline_workdays_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_badge(self) -> str:
        return ItemStatus.badge(self.status)


class ItemUnit(BaseModel):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="supervision_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=AssignmentRole.choices)
    part = models.TextField(_("分工"), blank=True)

    scope_unit_field = "item__assignments__unit"

    class Meta:
        ordering = ["item", "role", "id"]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="itemunit_item_unit_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit}"


class ItemEvent(BaseModel):
    """One transition of an item or of one of its rectification items: the workflow history."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="events")
    rectification = models.ForeignKey(
        "RectificationItem", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=30)
    to_status = models.CharField(_("新状态"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_unit_field = "item__assignments__unit"
    audited = False  # the event itself is the record

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    def _state_label(self, value: str) -> str:
        choices = RectificationStatus if self.rectification_id else ItemStatus
        return str(dict(choices.choices).get(value, value or "—"))

    @property
    def action_label(self) -> str:
        from qualityplan.supervision import workflow

        machine = workflow.RECTIFICATION if self.rectification_id else workflow.ITEM
        action = self.action.removeprefix("rectification_")
        transition = workflow.TRANSITIONS.get((machine, action))
        labels = {"register": pgettext_lazy("supervision action", "立项"), "add": _("增加整改事项")}
        return transition.label if transition else labels.get(action, action)

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_status)


class RectificationItem(VersionedModel, BaseModel):
    """整改事项: 整改方案 → 整改报告 → 核查 → 销号 (its own machine in ``workflow.py``)."""

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="rectifications")
    title = models.CharField(_("整改事项"), max_length=300)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    status = models.CharField(
        _("状态"), max_length=20, choices=RectificationStatus.choices, default=RectificationStatus.PLAN
    )
    plan_text = models.TextField(_("整改方案"), blank=True)
    report_text = models.TextField(_("整改报告"), blank=True)
    verify_comment = models.TextField(_("核查意见"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    scope_unit_field = "item__assignments__unit"

    class Meta:
        ordering = ["item", "order", "id"]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self) -> str:
        return self.title


class Report(BaseModel):
    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="reports")
    rectification = models.ForeignKey(
        RectificationItem, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReportKind.choices, default=ReportKind.FINAL)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("报告内容"))
    file = models.FileField(_("附件"), upload_to="evidence/supervision/%Y/%m/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    review_result = models.CharField(_("审核结果"), max_length=20, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    scope_unit_field = "item__assignments__unit"

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理报告")
        verbose_name_plural = _("办理报告")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Notice(BaseModel):
    """A 提醒 / 催办通知 / 通报 sent for an item: dated, numbered, addressed to the 主办 unit and its leader.

    Unique per (item, kind, stage): the escalation job can run any number of times.
    """

    item = models.ForeignKey(SupervisionItem, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    stage = models.PositiveSmallIntegerField(_("期限轮次"))
    number = models.CharField(_("文号"), max_length=60)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主送单位"))
    leader_name = models.CharField(_("抄送负责人"), max_length=50, blank=True)
    addressed_to = models.CharField(_("主送"), max_length=200)
    issued_on = models.DateField(_("发出日期"), db_index=True)
    deadline = models.DateField(_("对应期限"))
    text = models.TextField(_("内容"))
    run_id = models.CharField(max_length=32, blank=True, db_index=True)

    scope_unit_field = "item__assignments__unit"
    audited = False

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        constraints = [models.UniqueConstraint(fields=["item", "kind", "stage"], name="notice_item_kind_stage_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def badge(self) -> str:
        return NoticeKind.badge(self.kind)


class EscalationPolicy(BaseModel):
    """Override of the escalation ladder (the newest active row wins; defaults in ``escalation.DEFAULT_POLICY``)."""

    name = models.CharField(_("名称"), max_length=100)
    reminder_workdays_before = models.PositiveSmallIntegerField(_("到期前提醒（工作日）"), default=2)
    urge_after_workdays = models.PositiveSmallIntegerField(_("逾期后催办（工作日）"), default=1)
    circular_after_workdays = models.PositiveSmallIntegerField(_("催办后仍逾期通报（工作日）"), default=5)
    active = models.BooleanField(_("启用"), default=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["-active", "-id"]
        verbose_name = _("催办督办规则")
        verbose_name_plural = _("催办督办规则")
        constraints = [
            models.CheckConstraint(condition=Q(urge_after_workdays__gte=1), name="policy_urge_after_pos"),
            models.CheckConstraint(condition=Q(circular_after_workdays__gte=1), name="policy_circular_after_pos"),
        ]

    def __str__(self) -> str:
        return self.name
