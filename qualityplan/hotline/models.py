"""12345 hotline work orders (工单) on quality: the order, its units, history, attachments, notices, and the
time-limit table and dispatch catalogue (派单目录) kept as data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import BaseModel
from qualityplan.hotline.choices import Category, Channel, LimitKind, Satisfaction, Status, Subject, UnitRole
from qualityplan.supervision.choices import NoticeKind


class TimeLimit(BaseModel):
    """办理时限 table: working days per category (and for 签收). Missing rows fall back to ``deadlines.DEFAULTS``."""

    kind = models.CharField(_("类别"), max_length=20, choices=LimitKind.choices, unique=True)
    workdays = models.PositiveSmallIntegerField(_("时限（工作日）"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [models.CheckConstraint(condition=Q(workdays__gte=1), name="hotline_timelimit_pos")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.workdays}"


class DispatchRule(BaseModel):
    """派单目录: subject (× region) → 主办 unit and 协办 units.

    ``region`` empty: any region. ``department_matter``: the matter belongs to a provincial department (事权在省直
    部门) and is never pushed down to a city/county government, not even by an office override.
    """

    subject = models.CharField(_("诉求对象"), max_length=30, choices=Subject.choices)
    region = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("区域")
    )
    keyword = models.CharField(_("关键词"), max_length=50, blank=True)
    lead_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="hotline_rules", verbose_name=_("主办单位")
    )
    cooperating_units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+", verbose_name=_("协办单位"))
    department_matter = models.BooleanField(_("省直部门事权（不得下派）"), default=False)
    basis = models.CharField(_("依据（三定/权责清单）"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["subject", "region", "id"]
        verbose_name = _("派单目录")
        verbose_name_plural = _("派单目录")

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.region or '全省'} → {self.lead_unit}"


class WorkOrder(BaseModel):
    """One 12345 work order. Caller data is personal: masked for everyone but the handling unit and the office
    (``policies.can_see_caller``), never exported, and redacted in the audit log (``audit_redact``)."""

    number = models.CharField(_("工单编号"), max_length=40, unique=True)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.PHONE)
    caller_name = models.CharField(_("来电人"), max_length=50, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=30, blank=True, db_index=True)
    category = models.CharField(_("诉求类别"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("诉求对象"), max_length=30, choices=Subject.choices)
    enterprise_uscc = models.CharField(_("企业统一社会信用代码"), max_length=18, blank=True, db_index=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    region = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("诉求内容"))
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.REGISTERED)
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_orders",
        verbose_name=_("主办单位"),
    )
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    dispatched_on = models.DateField(_("派单日期"), null=True, blank=True)
    sign_deadline = models.DateField(_("签收期限"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_on = models.DateField(_("签收日期"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("原定期限"), null=True, blank=True)
    stage = models.PositiveSmallIntegerField(_("期限轮次"), default=1)
    return_reason = models.TextField(_("退单理由"), blank=True)
    return_basis = models.TextField(_("退单依据"), blank=True)
    return_from = models.CharField(max_length=30, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    extension_requested = models.BooleanField(_("已申请延期"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("延期工作日"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_approved = models.BooleanField(_("延期已批准"), default=False)
    reply_text = models.TextField(_("办复内容"), blank=True)
    replied_at = models.DateTimeField(_("办复时间"), null=True, blank=True)
    direct_answer = models.BooleanField(_("直接答复"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    handling_hours = models.DecimalField(
        _("办理时长（工作小时）"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    resolved = models.BooleanField(_("是否解决"), null=True, blank=True)
    visit_note = models.TextField(_("回访记录"), blank=True)
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", verbose_name=_("并入工单")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "assignments__unit"
    scope_hotline_all = True
    audit_redact = ("caller_name", "caller_phone")

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="hotline_status_deadline"),
            models.Index(fields=["lead_unit", "received_at"], name="hotline_unit_received"),
            models.Index(fields=["region", "received_at"], name="hotline_region_received"),
        ]
        verbose_name = _("热线工单")
        verbose_name_plural = _("热线工单")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction="") | Q(satisfaction__in=Satisfaction.values), name="hotline_satisfaction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_badge(self) -> str:
        return Status.badge(self.status)

    @property
    def rated(self) -> bool:
        """参评: the caller actually gave a rating at the return visit."""
        return bool(self.satisfaction)


class OrderUnit(BaseModel):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="hotline_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=UnitRole.choices)

    scope_unit_field = "order__assignments__unit"
    scope_hotline_all = True

    class Meta:
        ordering = ["order", "role", "id"]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["order", "unit"], name="hotline_orderunit_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit}"


class OrderEvent(BaseModel):
    """One step of a work order (the workflow history): who, when, from which state to which, and why.

    Never carries caller data: comments are written by the units about the handling.
    """

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=40)
    at = models.DateTimeField(_("时间"))  # the step's time on the platform clock (``core.clock``)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_unit_field = "order__assignments__unit"
    scope_hotline_all = True
    audited = False  # the event itself is the record

    class Meta:
        ordering = ["id"]  # the order the steps were taken
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"

    @property
    def action_label(self) -> str:
        from qualityplan.hotline import workflow

        t = workflow.TRANSITIONS.get(self.action)
        return str(t.label) if t else str(workflow.EXTRA_LABELS.get(self.action, self.action))

    @property
    def to_label(self) -> str:
        return str(dict(Status.choices).get(self.to_status, self.to_status))


class Attachment(BaseModel):
    """A file attached to an order; served only through ``views.attachment_download`` (permission-checked)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="evidence/hotline/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_unit_field = "order__assignments__unit"
    scope_hotline_all = True

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("工单附件")
        verbose_name_plural = _("工单附件")

    def __str__(self) -> str:
        return self.name


class OrderNotice(BaseModel):
    """A 催办 / 催办通知书 / 通报 for an order (the supervision ladder, its ``NoticeKind``); one per (order, kind, stage)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    stage = models.PositiveSmallIntegerField(_("期限轮次"))
    number = models.CharField(_("文号"), max_length=60)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("主送单位"))
    addressed_to = models.CharField(_("主送"), max_length=200)
    issued_on = models.DateField(_("发出日期"), db_index=True)
    deadline = models.DateField(_("对应期限"))
    text = models.TextField(_("内容"))
    run_id = models.CharField(max_length=32, blank=True, db_index=True)

    scope_unit_field = "order__assignments__unit"
    scope_hotline_all = True
    audited = False

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("热线催办通知")
        verbose_name_plural = _("热线催办通知")
        constraints = [
            models.UniqueConstraint(fields=["order", "kind", "stage"], name="hotline_notice_order_kind_stage")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def badge(self) -> str:
        return NoticeKind.badge(self.kind)
