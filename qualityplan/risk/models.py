"""Quality risks: intake from eight sources, 研判 (work → expert → central), the P × S matrix as data, disposal
tasks with working-day deadlines, and the links that close the loop (targeted sampling results, credit events).

Scope: a risk belongs to the unit that handles it (``unit``: the city/county of the risk, or the department that
entered it); the office sees and writes everything, inspectors and viewers read everything.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel
from qualityplan.orgs.models import Unit
from qualityplan.risk.choices import (
    DisposalKind,
    DisposalStatus,
    InfoGrade,
    Level,
    Probability,
    Severity,
    SourceType,
    Stage,
)


class LevelRule(VersionedModel, BaseModel):
    """One band of the risk matrix (score = probability × severity): the lowest score of the level and the working
    days a disposal task of that level gets (0 = the same day). Kept as data, edited by the office."""

    level = models.CharField(_("等级"), max_length=4, choices=Level.choices, unique=True)
    min_score = models.PositiveSmallIntegerField(
        _("最低分值"), validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    colour = models.CharField(_("颜色"), max_length=10)
    disposal_workdays = models.PositiveSmallIntegerField(_("处置时限（工作日）"))

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("风险等级规则")
        verbose_name_plural = _("风险等级规则")

    def __str__(self) -> str:
        return f"{self.level} ≥{self.min_score}"


class Risk(VersionedModel, BaseModel):
    number = models.CharField(_("编号"), max_length=30, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    source_type = models.CharField(_("信息来源"), max_length=20, choices=SourceType.choices)
    source_ref = models.CharField(
        _("来源编号"), max_length=100, blank=True, help_text=_("如 12345 工单号、抽样单编号、通报文号")
    )
    product_category = models.CharField(_("产品/服务类别"), max_length=100)
    product_name = models.CharField(_("产品名称"), max_length=200, blank=True)
    region = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="risks_in_region", verbose_name=_("市县"), null=True, blank=True
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="risks", verbose_name=_("承办单位"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "credit.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="risks"
    )
    description = models.TextField(_("风险描述"))
    reporter = models.CharField(_("报告人"), max_length=100, blank=True)
    received_on = models.DateField(_("接收日期"))
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices, default=Stage.INTAKE)
    probability = models.PositiveSmallIntegerField(_("可能性"), choices=Probability.choices, null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("严重程度"), choices=Severity.choices, null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("风险值"), null=True, blank=True)
    level = models.CharField(_("风险等级"), max_length=4, choices=Level.choices, blank=True)
    info_grade = models.CharField(_("信息分级"), max_length=1, choices=InfoGrade.choices, blank=True)
    signal = models.JSONField(_("统计信号"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    close_result = models.TextField(_("处置结果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    samples = models.ManyToManyField(
        "monitoring.SamplingRecord", through="RiskSample", related_name="risks", blank=True
    )

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("质量风险")
        verbose_name_plural = _("质量风险")
        indexes = [models.Index(fields=["stage", "level"], name="risk_stage_level")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED


class RiskEvidence(BaseModel):
    """A file kept with a risk (served only through the permission-checked download view)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="evidence/risk/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "risk__unit"

    class Meta:
        ordering = ["id"]
        verbose_name = _("风险证据")
        verbose_name_plural = _("风险证据")

    def __str__(self) -> str:
        return self.file_name


class Review(BaseModel):
    """One 研判 opinion: 工作研判 by the handling unit, 专业研判 by an expert, 集中研判 (quarterly) by the office."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(_("环节"), max_length=10, choices=Stage.choices)
    expert = models.CharField(_("专家/研判人"), max_length=100, blank=True)
    opinion = models.TextField(_("研判意见"))
    probability = models.PositiveSmallIntegerField(_("可能性"), choices=Probability.choices)
    severity = models.PositiveSmallIntegerField(_("严重程度"), choices=Severity.choices)
    score = models.PositiveSmallIntegerField(_("风险值"))
    level = models.CharField(_("风险等级"), max_length=4, choices=Level.choices)
    reviewed_on = models.DateField(_("研判日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "risk__unit"

    class Meta:
        ordering = ["risk", "reviewed_on", "id"]
        verbose_name = _("风险研判")
        verbose_name_plural = _("风险研判")

    def __str__(self) -> str:
        return f"{self.risk_id} {self.stage} {self.level}"


class Disposal(VersionedModel, BaseModel):
    """A disposal task with its owner unit and working-day deadline (by level, from :class:`LevelRule`)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="disposals")
    kind = models.CharField(_("处置措施"), max_length=20, choices=DisposalKind.choices)
    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="risk_disposals", verbose_name=_("责任单位"))
    instruction = models.TextField(_("要求"), blank=True)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.OPEN)
    result = models.TextField(_("办理结果"), blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    planned_samples = models.PositiveIntegerField(_("计划抽样批次"), null=True, blank=True)
    supervision_item = models.ForeignKey(
        "supervision.SupervisionItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "owner"

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("风险处置任务")
        verbose_name_plural = _("风险处置任务")

    def __str__(self) -> str:
        return f"{self.risk.number} {self.get_kind_display()}"


class RiskSample(BaseModel):
    """A sampling result that came back into a risk (targeted sampling of a disposal, or the sample that opened it)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="sample_links")
    sampling_record = models.ForeignKey(
        "monitoring.SamplingRecord", on_delete=models.PROTECT, related_name="risk_links"
    )
    disposal = models.ForeignKey(Disposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="samples")

    scope_unit_field = "risk__unit"

    class Meta:
        ordering = ["id"]
        verbose_name = _("风险关联抽检")
        verbose_name_plural = _("风险关联抽检")
        constraints = [models.UniqueConstraint(fields=["risk", "sampling_record"], name="risk_sample_unique")]

    def __str__(self) -> str:
        return f"{self.risk_id} ← {self.sampling_record_id}"


class AutoOpenRule(VersionedModel, BaseModel):
    """The office's threshold for opening risks from statistical signals automatically (one row, ``pk=1``, seeded
    by migration ``0003`` with automatic opening **off**).

    A signal of a kind ticked here qualifies when it has at least ``min_failed`` failing batches (a cluster: the
    failing batches of its enterprise or item) and — p-chart signals only (``above_3sigma``, ``exact_binomial``) —
    a z of at least ``min_z``. Run and cluster signals are not filtered by z: a rising run lies inside the limits by
    design, and a cluster's z is the whole cell's, not the cluster's.

    Grading is left to people: an automatically opened risk is ungraded in 信息采集, exactly like one opened with the
    one-click button. The matrix needs a probability and a severity, which are expert judgements (研判) the numbers
    of a signal do not give; a level guessed by the job would start a disposal deadline nobody decided.
    """

    enabled = models.BooleanField(_("自动立案"), default=False)
    open_pchart = models.BooleanField(_("p 控制图超限"), default=True)
    open_run = models.BooleanField(_("连续三期上升"), default=False)
    open_cluster = models.BooleanField(_("企业/不合格项目聚集"), default=False)
    min_z = models.DecimalField(
        _("最小 z 值"),
        max_digits=4,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("仅用于 p 控制图信号"),
    )
    min_failed = models.PositiveIntegerField(
        _("最少不合格批次"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100000)]
    )

    class Meta:
        verbose_name = _("自动立案阈值")
        verbose_name_plural = _("自动立案阈值")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="risk_autoopenrule_singleton")]

    def __str__(self) -> str:
        return "auto-open"
