"""Indicator definitions, registry items, unit reporting (DHIS2-style data sets), computed values, evaluations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel
from qualityplan.core.querysets import RestrictedQuerySet
from qualityplan.indicators.choices import (
    Method,
    PeriodType,
    RegistryKind,
    ReporterScope,
    Status,
    SubmissionStatus,
    ValueType,
)
from qualityplan.monitoring.choices import ProductGroup, SampleScope
from qualityplan.orgs.models import Unit
from qualityplan.plans.choices import PlanStatus, TargetScope
from qualityplan.plans.models import Plan, Target


class Indicator(BaseModel):
    """How one target of the plan is measured: reported, computed from records, or counted from a registry."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="indicator_definition")
    code = models.CharField(_("指标代码"), max_length=20)
    name = models.CharField(_("指标名称"), max_length=300)
    method = models.CharField(_("获取方式"), max_length=20, choices=Method.choices)
    value_type = models.CharField(_("数值类型"), max_length=20, choices=ValueType.choices, default=ValueType.RATE)
    period_type = models.CharField(_("报告周期"), max_length=10, choices=PeriodType.choices, default=PeriodType.YEAR)
    scope = models.CharField(_("适用范围"), max_length=20, choices=TargetScope.choices, default=TargetScope.PROVINCE)
    reporter_scope = models.CharField(
        _("填报单位"), max_length=20, choices=ReporterScope.choices, default=ReporterScope.LEAD_UNITS
    )
    responsible_units = models.ManyToManyField(Unit, related_name="indicators", verbose_name=_("责任单位"), blank=True)
    computation = models.CharField(_("计算规则"), max_length=40, blank=True)
    product_group = models.CharField(_("抽检产品归类"), max_length=20, choices=ProductGroup.choices, blank=True)
    registry_kind = models.CharField(_("登记事项类别"), max_length=30, choices=RegistryKind.choices, blank=True)
    # which sampling a pass rate counts: follows the target's wording (SampleScope.from_wording) unless the office
    # confirmed another on the methods page; a group row (monitoring.PassRateScope) or SAMPLING_SCOPE overrides
    # the wording's default (computations.Calculator.pass_rate)
    sample_scope = models.CharField(_("抽检范围"), max_length=30, choices=SampleScope.choices, blank=True)
    standard_edition = models.CharField(_("标准版本"), max_length=120, blank=True)
    cumulative = models.BooleanField(_("累计型"), default=False)
    timely_days = models.PositiveSmallIntegerField(_("按时报送期限（周期结束后天数）"), default=10)
    description = models.TextField(_("说明"), blank=True)
    # how the method was bound (indicators.methods.method_match): "wording+unit", "wording" (unit differs: to be
    # confirmed), "" (no method found), or "confirmed" (set or confirmed by the office: kept by indicators_sync)
    method_match = models.CharField(_("方法匹配"), max_length=20, blank=True)

    scope_public = Q(plan__status=PlanStatus.PUBLISHED)

    class Meta:
        ordering = ["plan", "target__order"]
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="indicator_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RegistryItem(BaseModel):
    """A named item counted towards a target: a brand product, a trademark, a scenic spot, a certificate…"""

    kind = models.CharField(_("类别"), max_length=30, choices=RegistryKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    holder = models.CharField(_("企业/单位"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="registry_items", verbose_name=_("所属单位"))
    region = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_registry_items",
        verbose_name=_("所在市县"),
        help_text=_("事项所在的市县（或洋浦），用于市县考核加分；所属单位是登记/认定的责任部门。"),
    )
    date = models.DateField(_("认定/发证日期"))
    certificate_no = models.CharField(_("证书/文号"), max_length=100, blank=True)
    evidence = models.FileField(_("证明材料"), upload_to="registry/%Y/", blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    batch = models.ForeignKey(
        "monitoring.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="registry_items"
    )

    scope_unit_field = "unit"
    scope_read_all = True

    class Meta:
        ordering = ["kind", "-date", "name"]
        verbose_name = _("登记事项")
        verbose_name_plural = _("登记事项")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "certificate_no"],
                name="registryitem_natural_key",
                violation_error_message=_("该事项已登记。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class Submission(VersionedModel, BaseModel):
    """A unit's data set for one period (DHIS2 data-set instance): values, comment, evidence, review state."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("填报单位"))
    year = models.PositiveIntegerField(_("年度"))
    period = models.CharField(_("周期"), max_length=10)  # 2017, 2017H1, 2017Q3, 2017-05
    period_type = models.CharField(_("周期类型"), max_length=10, choices=PeriodType.choices)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    due_date = models.DateField(_("报送期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    comment = models.TextField(_("填报说明"), blank=True)
    evidence = models.FileField(_("证明材料"), upload_to="submissions/%Y/", blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("退回原因"), blank=True)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-year", "period", "unit__sort_order"]
        verbose_name = _("填报")
        verbose_name_plural = _("填报")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period"],
                name="submission_unit_period_unique",
                violation_error_message=_("该单位本周期的填报已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def locked(self) -> bool:
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)

    @property
    def on_time(self) -> bool | None:
        if self.first_submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localtime(self.first_submitted_at).date() <= self.due_date


class ReportedValue(BaseModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="reported_values")
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("分子"), max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("分母"), max_digits=16, decimal_places=4, null=True, blank=True)
    achieved = models.BooleanField(_("是否达成"), null=True, blank=True)  # qualitative targets
    comment = models.TextField(_("说明"), blank=True)

    scope_unit_field = "submission__unit"

    class Meta:
        ordering = ["submission", "indicator__target__order"]
        verbose_name = _("填报数值")
        verbose_name_plural = _("填报数值")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="reportedvalue_unique"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="reportedvalue_numerator_lte_denominator",
                violation_error_message=_("分子不能大于分母。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.indicator.code} = {self.value}"


class ComputedValue(models.Model):
    """An indicator value for a unit (``unit`` empty: the province) and period, with its provenance."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="computed_values")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="computed_values")
    period = models.CharField(_("周期"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.FloatField(_("数值"), null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    rule_edition = models.CharField(_("规则版本"), max_length=120, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    provenance = models.JSONField(_("数据来源"), default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_unit_field = "unit"
    scope_read_all = True

    class Meta:
        ordering = ["indicator", "period", "unit"]
        verbose_name = _("计算值")
        verbose_name_plural = _("计算值")
        indexes = [models.Index(fields=["indicator", "period"], name="computedvalue_ind_period")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit or '全省'} {self.period} = {self.value}"


class Evaluation(models.Model):
    """Attainment of one target for one unit (empty: the province) and period, with a one-line explanation."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="evaluations")
    indicator = models.ForeignKey(Indicator, null=True, on_delete=models.CASCADE, related_name="evaluations")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveIntegerField()
    period = models.CharField(_("周期"), max_length=10)
    as_of = models.DateField(_("评估截至"))
    value = models.FloatField(_("数值"), null=True)
    target_value = models.FloatField(_("目标值"), null=True)
    comparator = models.CharField(_("比较（原文）"), max_length=20)
    reading = models.CharField(_("判定口径"), max_length=20)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    explanation = models.CharField(_("说明"), max_length=500)
    projection = models.JSONField(_("年末预测"), default=dict, blank=True)
    units_met = models.PositiveSmallIntegerField(null=True)
    units_total = models.PositiveSmallIntegerField(null=True)
    computed = models.ForeignKey(ComputedValue, null=True, on_delete=models.SET_NULL, related_name="+")
    evaluated_at = models.DateTimeField(auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["year", "period", "target__order", "unit__sort_order"]
        verbose_name = _("达成评估")
        verbose_name_plural = _("达成评估")
        indexes = [models.Index(fields=["year", "period", "status"], name="evaluation_year_period_status")]

    def __str__(self) -> str:
        return f"{self.target.code} {self.unit or '全省'} {self.period}: {self.status}"


class RunTrigger(models.TextChoices):
    WEB = "web", _("页面")
    CLI = "cli", _("命令行")
    NIGHTLY = "nightly", _("夜间任务")


class EvaluationRun(models.Model):
    """One evaluation run kept as a record: its as-of date, who started it, the inputs' versions and the results.

    The :class:`Evaluation` rows always hold the latest run of a year (the pages read them); each run keeps its own
    results here, so that a past run can be shown and two runs compared. ``results`` maps
    ``period → target code → {"status", "value", "units": {unit code: status}}`` (``units`` for each-unit rows).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluation_runs", verbose_name=_("计划"))
    year = models.PositiveIntegerField(_("年度"), db_index=True)
    as_of = models.DateField(_("评估截至"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    started_by_name = models.CharField(_("发起人"), max_length=150, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    trigger = models.CharField(_("方式"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.CLI)
    inputs = models.JSONField(_("输入版本"), default=dict, blank=True)
    totals = models.JSONField(_("状态合计"), default=dict, blank=True)
    results = models.JSONField(_("结果"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("评估运行")
        verbose_name_plural = _("评估运行")

    def __str__(self) -> str:
        return f"{self.year} #{self.pk} 截至 {self.as_of:%Y-%m-%d}"
