"""Enterprise credit archive: enterprises keyed by USCC, names over time, credit events, repair applications and
their documents.

Publicity is decided once, when an event is written (``credit.rules`` → ``starts_on``, ``last_day``,
``repair_from``); an early end (granted repair, removal from a list) sets ``ended_on``. Every question "what is in
publicity on day D" is then a plain, set-based filter (:func:`in_publicity_q`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import BaseModel
from qualityplan.credit.choices import DocumentKind, Domain, EventKind, RecallKind, RecheckStatus, RepairStatus
from qualityplan.orgs.models import Unit

# Kinds the public query may show (positives and list removals are history, not publicity).
PUBLIC_KINDS = (EventKind.PENALTY, EventKind.ABNORMAL_IN, EventKind.BLACKLIST_IN)


def in_publicity_q(day: dt.date, prefix: str = "") -> Q:
    """Events in publicity (or list membership) on ``day``: started, not past the last day, not ended early."""
    p = prefix
    return (
        Q(**{f"{p}starts_on__lte": day})
        & (Q(**{f"{p}last_day__isnull": True}) | Q(**{f"{p}last_day__gte": day}))
        & (Q(**{f"{p}ended_on__isnull": True}) | Q(**{f"{p}ended_on__gt": day}))
    )


class Enterprise(BaseModel):
    """One enterprise of the archive. ``uscc`` as written (upper-cased); ``uscc_valid`` is the GB 32100 check."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=40, blank=True)
    uscc_valid = models.BooleanField(_("代码校验通过"), default=False)
    uscc_error = models.CharField(_("代码问题"), max_length=120, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("所在市县")
    )
    industry = models.CharField(_("行业"), max_length=100, blank=True)

    scope_unit_field = None  # archive reference data: every signed-in user reads; writes through services
    scope_public = Q()  # identity (name, USCC, region) is public registration data; events are filtered by day

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="credit_enterprise_uscc_unique",
                violation_error_message=_("该统一社会信用代码已建档。"),
            )
        ]
        indexes = [models.Index(fields=["name"], name="credit_ent_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc or '无代码'}）"


class EnterpriseName(BaseModel):
    """A name the enterprise carried from ``valid_from`` (names over time)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    valid_from = models.DateField(_("启用日期"))

    class Meta:
        ordering = ["enterprise", "valid_from", "id"]
        verbose_name = _("企业曾用名")
        verbose_name_plural = _("企业曾用名")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="credit_name_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from} 起）"


class CreditEvent(BaseModel):
    """One dated fact of an enterprise's credit archive, owned by the department that decided or entered it."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("日期"), help_text=_("决定/列入/移出/召回/认定日期"))
    published_on = models.DateField(_("公示日期"), null=True, blank=True)
    decision_no = models.CharField(_("决定书文号"), max_length=100, blank=True)
    penalties = models.CharField(_("处罚种类"), max_length=200, blank=True, help_text=_("以 ; 分隔"))
    fine_yuan = models.DecimalField(_("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    lower_amount = models.BooleanField(_("较低数额罚款"), null=True, blank=True)
    restrict_years = models.PositiveSmallIntegerField(_("限制从业年限"), null=True, blank=True)
    domain = models.CharField(_("领域"), max_length=10, choices=Domain.choices, default=Domain.OTHER)
    recall_kind = models.CharField(_("召回方式"), max_length=10, choices=RecallKind.choices, blank=True)
    note = models.TextField(_("备注"), blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_events", verbose_name=_("录入部门")
    )
    # links
    sampling_record = models.ForeignKey(
        "monitoring.SamplingRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_events"
    )
    received_on = models.DateField(_("检验结论送达日期"), null=True, blank=True)
    recheck_status = models.CharField(
        _("复检"), max_length=12, choices=RecheckStatus.choices, default=RecheckStatus.NONE, blank=True
    )
    registry_item = models.ForeignKey(
        "indicators.RegistryItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="credit_events"
    )
    supervision_item = models.ForeignKey(
        "supervision.SupervisionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="credit_events"
    )
    related = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followers", verbose_name=_("关联事件")
    )
    # decided by credit.rules when written
    starts_on = models.DateField(_("生效/公示起始"), null=True, blank=True)
    last_day = models.DateField(_("公示/列入截止"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("公示期（月）"), default=0)
    repair_from = models.DateField(_("可申请修复/提前移出"), null=True, blank=True)
    ended_on = models.DateField(_("提前结束日期"), null=True, blank=True)
    severe = models.BooleanField(_("吊销或责令停产停业"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    batch = models.ForeignKey("monitoring.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL)

    scope_unit_field = "unit"
    scope_read_all = True  # the archive is read by every signed-in user; the owning department writes
    scope_public = Q(kind__in=PUBLIC_KINDS, starts_on__isnull=False)  # narrowed to the day by the selectors

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("信用事件")
        verbose_name_plural = _("信用事件")
        indexes = [
            models.Index(fields=["enterprise", "kind", "starts_on"], name="credit_event_ent_kind"),
            models.Index(fields=["kind", "starts_on", "last_day"], name="credit_event_kind_period"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "decision_no"],
                condition=Q(kind="penalty") & ~Q(decision_no=""),
                name="credit_penalty_decision_unique",
                violation_error_message=_("该处罚决定书文号已录入。"),
            ),
            models.UniqueConstraint(
                fields=["sampling_record"],
                condition=Q(sampling_record__isnull=False),
                name="credit_event_sample_unique",
                violation_error_message=_("该抽检记录已生成信用事件。"),
            ),
        ]

    def __str__(self) -> str:
        ref = self.decision_no or (self.sampling_record_id and f"#{self.sampling_record_id}") or ""
        return f"{self.get_kind_display()} {self.date} {ref}".strip()

    @property
    def penalty_list(self) -> list[str]:
        return [p for p in self.penalties.split(";") if p]

    def in_publicity(self, day: dt.date) -> bool:
        if self.starts_on is None or self.starts_on > day:
            return False
        if self.last_day is not None and day > self.last_day:
            return False
        return self.ended_on is None or day < self.ended_on


class RepairApplication(BaseModel):
    """信用修复: an application to stop a penalty's publicity early, to leave the 经营异常名录 or the 严重违法失信名单
    early. Decided by the department that owns the event within 15 working days of receipt."""

    event = models.ForeignKey(CreditEvent, on_delete=models.PROTECT, related_name="repairs")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("决定部门"))
    applicant = models.CharField(_("申请人"), max_length=100)
    received_on = models.DateField(_("受理日期"))
    deadline = models.DateField(_("决定期限"))
    reason = models.TextField(_("申请理由/履行情况"))
    status = models.CharField(_("状态"), max_length=12, choices=RepairStatus.choices, default=RepairStatus.SUBMITTED)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("决定理由"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    scope_unit_field = "unit"
    scope_read_all = True

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status="submitted"),
                name="credit_repair_one_open",
                violation_error_message=_("该事件已有待决定的修复申请。"),
            )
        ]

    def __str__(self) -> str:
        return f"信用修复 #{self.pk} {self.event}"


class CreditDocument(BaseModel):
    """A file kept with an event or a repair application; served only by the permission-checked view."""

    event = models.ForeignKey(CreditEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    application = models.ForeignKey(
        RepairApplication, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("材料"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="credit/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小"), default=0)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    scope_unit_field = "unit"  # files: the owning department, the office, viewers and inspectors

    class Meta:
        ordering = ["id"]
        verbose_name = _("信用材料")
        verbose_name_plural = _("信用材料")

    def __str__(self) -> str:
        return self.file_name
