"""An annual plan as data: its numbered hierarchy, targets, measures with lead/cooperating units, deadlines."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel
from qualityplan.orgs.models import Unit, UnitGroup
from qualityplan.plans.choices import Comparator, PlanStatus, TargetGroup, TargetScope, UnitRole


class Plan(BaseModel):
    year = models.PositiveIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    date = models.DateField(_("发文日期"), null=True, blank=True)
    # the province the plan is for (administrative division code): one published plan per year and region
    region = models.CharField(_("地区"), max_length=12, default="460000")
    # a plan is a draft until the office publishes it (plans.services.plan_publish); see docs/plan-lifecycle.md
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    source_text = models.TextField(_("原文"), blank=True)
    source_name = models.CharField(_("原文文件"), max_length=200, blank=True)
    extra = models.JSONField(_("其他字段"), default=dict, blank=True)

    scope_public = Q(status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"],
                name="plan_year_version_unique",
                violation_error_message=_("该年度的此版本已存在。"),
            ),
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=Q(status=PlanStatus.PUBLISHED),
                name="plan_one_published_per_year_region",
                violation_error_message=_("该年度已有一份已发布的计划。"),
            ),
        ]

    @property
    def is_draft(self) -> bool:
        return self.status != PlanStatus.PUBLISHED

    def __str__(self) -> str:
        return f"{self.title}（{self.year}，第{self.version}版）" if self.version > 1 else self.title


class Section(BaseModel):
    """A numbered heading of the plan: 二 / 二.(一) / 三.(二).4 ..."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    order = models.PositiveIntegerField(default=0)

    scope_public = Q(plan__status=PlanStatus.PUBLISHED)
    audited = False

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="section_plan_number_unique")]
        verbose_name = _("章节")
        verbose_name_plural = _("章节")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Measure(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    number = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("内容"), blank=True)
    label = models.CharField(_("标注"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)

    scope_public = Q(plan__status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="measure_plan_number_unique")]
        verbose_name = _("工作措施")
        verbose_name_plural = _("工作措施")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def section_number(self) -> str:
        return self.number.rsplit(".", 1)[0] if self.number.count(".") >= 2 else self.number


class MeasureUnit(BaseModel):
    """One written responsibility: a lead or cooperating unit (or group) of a measure, as written in the plan."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="responsibilities")
    role = models.CharField(_("职责"), max_length=20, choices=UnitRole.choices)
    written = models.CharField(_("原文写法"), max_length=100)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="measure_roles")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="measure_roles")
    position = models.PositiveSmallIntegerField(default=0)

    scope_public = Q(measure__plan__status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["measure", "-role", "position"]  # lead before cooperating
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")

    def __str__(self) -> str:
        return f"{self.measure.number} {self.get_role_display()} {self.written}"


class Target(VersionedModel, BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="targets", verbose_name=_("所属措施")
    )
    code = models.CharField(_("指标代码"), max_length=60, blank=True)
    text = models.TextField(_("条款原文"))
    indicator = models.CharField(_("指标"), max_length=300)
    comparator = models.CharField(_("比较"), max_length=20, choices=Comparator.choices)
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4, null=True, blank=True)
    value_max = models.DecimalField(_("目标上限"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    where = models.CharField(_("位置"), max_length=40)
    group = models.CharField(_("类别"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.OTHER)
    scope = models.CharField(_("适用范围"), max_length=20, choices=TargetScope.choices, default=TargetScope.PROVINCE)
    baseline_year = models.PositiveIntegerField(_("基准年"), null=True, blank=True)
    baseline_value = models.DecimalField(_("基准值"), max_digits=14, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    uncertain = models.BooleanField(_("待核实"), default=False)
    order = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)

    scope_public = Q(plan__status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("目标")
        verbose_name_plural = _("目标")

    def __str__(self) -> str:
        return self.text

    @property
    def is_quantitative(self) -> bool:
        return self.comparator != Comparator.QUALITATIVE and self.value is not None


class Deadline(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deadlines")
    date = models.DateField(_("日期"))
    what = models.TextField(_("事项"))
    where = models.CharField(_("位置"), max_length=40)
    original = models.CharField(_("原文"), max_length=100, blank=True)
    uncertain = models.BooleanField(_("待核实"), default=False)
    note = models.TextField(_("备注"), blank=True)
    order = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)

    scope_public = Q(plan__status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["plan", "date", "order"]
        verbose_name = _("时限")
        verbose_name_plural = _("时限")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.what[:40]}"


class PlanImportStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    CREATED = "created", _("已建计划")
    DISCARDED = "discarded", _("已放弃")


class PlanImport(BaseModel):
    """An uploaded plan document, its parsed reading (interchange format) and the office's edits before creation."""

    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    source_text = models.TextField(_("原文（规范化）"))
    parsed = models.JSONField(_("解析结果"))
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanImportStatus.choices, default=PlanImportStatus.DRAFT
    )
    created_by = models.ForeignKey("orgs.User", null=True, on_delete=models.SET_NULL, related_name="+")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("计划文件导入")
        verbose_name_plural = _("计划文件导入")

    def __str__(self) -> str:
        return self.file_name
