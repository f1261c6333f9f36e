"""考核: scoring schemes (YAML, versioned), rounds, per-unit assessments, item scores, evidence, veto events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.assessment.choices import Grade, RoundStatus, ScoreStatus, UnitStatus
from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel


class Scheme(BaseModel):
    """One version of a scoring scheme (考核评分细则); the YAML text is the source of truth."""

    code = models.CharField(_("细则代码"), max_length=60)
    year = models.PositiveIntegerField(_("考核年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("评分细则（YAML）"))
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=100)
    note = models.TextField(_("修订说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "code", "-version"]
        verbose_name = _("考核评分细则")
        verbose_name_plural = _("考核评分细则")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="scheme_code_version_unique",
                violation_error_message=_("该评分细则的此版本已存在。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    def parsed(self):
        from qualityplan.assessment.scheme import parse

        cached = getattr(self, "_parsed", None)
        if cached is None:
            cached = self._parsed = parse(self.text)
        return cached


class Round(BaseModel):
    """An assessment round for one year: open → self-assessment → verification → closed (locked)."""

    year = models.PositiveIntegerField(_("考核年度"), unique=True)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("评分细则"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    as_of = models.DateField(_("数据截止日期"))
    self_deadline = models.DateField(_("自评截止日期"), null=True, blank=True)
    scored_at = models.DateTimeField(_("最近计分时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核轮次")
        verbose_name_plural = _("考核轮次")

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.status == RoundStatus.CLOSED

    @property
    def status_badge(self) -> str:
        return RoundStatus.badge(self.status)


class UnitAssessment(VersionedModel, BaseModel):
    """One unit's assessment in a round: status, score, grade, rank."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("单位"))
    status = models.CharField(_("状态"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.PENDING)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    base_score = models.DecimalField(_("基本分"), max_digits=6, decimal_places=2, null=True, blank=True)
    bonus_score = models.DecimalField(_("加分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=1, choices=Grade.choices, blank=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True, blank=True)
    vetoed = models.BooleanField(_("一票否决"), default=False)
    self_note = models.TextField(_("自评说明"), blank=True)
    submitted_at = models.DateTimeField(_("自评提交时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核定时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "unit"

    class Meta:
        ordering = ["round", "rank", "unit__sort_order"]
        verbose_name = _("单位考核")
        verbose_name_plural = _("单位考核")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"],
                name="unitassessment_round_unit_unique",
                violation_error_message=_("该单位已在本轮考核中。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.round.year} {self.unit}"

    @property
    def grade_badge(self) -> str:
        return Grade.badge(self.grade)

    @property
    def status_badge(self) -> str:
        return UnitStatus.badge(self.status)


class ItemScore(VersionedModel, BaseModel):
    """Points of one scheme item for one unit: computed from the source, self-scored, verified, final."""

    assessment = models.ForeignKey(UnitAssessment, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("项目编号"), max_length=30)
    title = models.CharField(_("项目"), max_length=300)
    max_points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    rule_type = models.CharField(_("评分规则"), max_length=30)
    bonus = models.BooleanField(_("加分项"), default=False)
    order = models.PositiveIntegerField(default=0)
    auto_points = models.DecimalField(_("系统计分"), max_digits=6, decimal_places=2, null=True, blank=True)
    auto_status = models.CharField(
        _("计分状态"), max_length=20, choices=ScoreStatus.choices, default=ScoreStatus.PENDING
    )
    auto_explanation = models.TextField(_("计分说明"), blank=True)
    auto_refs = models.JSONField(_("依据记录"), default=list, blank=True)
    auto_value = models.CharField(_("数值"), max_length=100, blank=True)
    self_points = models.DecimalField(_("自评分"), max_digits=6, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("自评说明"), blank=True)
    verified_points = models.DecimalField(_("核定分"), max_digits=6, decimal_places=2, null=True, blank=True)
    verify_reason = models.TextField(_("核查意见"), blank=True)
    points = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, default=0)

    scope_unit_field = "assessment__unit"

    class Meta:
        ordering = ["assessment", "order"]
        verbose_name = _("项目得分")
        verbose_name_plural = _("项目得分")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="itemscore_assessment_code_unique"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True)
                | (Q(self_points__gte=0) & Q(self_points__lte=models.F("max_points"))),
                name="itemscore_self_points_range",
                violation_error_message=_("自评分应在 0 与本项分值之间。"),
            ),
            models.CheckConstraint(
                condition=Q(verified_points__isnull=True)
                | (Q(verified_points__gte=0) & Q(verified_points__lte=models.F("max_points"))),
                name="itemscore_verified_points_range",
                violation_error_message=_("核定分应在 0 与本项分值之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def lost(self):
        return self.max_points - self.points

    @property
    def status_badge(self) -> str:
        return ScoreStatus.badge(self.auto_status)


class ItemEvidence(BaseModel):
    item = models.ForeignKey(ItemScore, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="evidence/assessment/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "item__assessment__unit"

    class Meta:
        ordering = ["id"]
        verbose_name = _("自评佐证材料")
        verbose_name_plural = _("自评佐证材料")

    def __str__(self) -> str:
        return self.name


class VetoEvent(BaseModel):
    """A recorded veto event (e.g. a regional/systemic quality-safety incident): the unit's grade is D."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="vetoes")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    code = models.CharField(_("否决项"), max_length=30)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("事件说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_unit_field = "unit"

    class Meta:
        ordering = ["round", "occurred_on", "id"]
        verbose_name = _("否决事件")
        verbose_name_plural = _("否决事件")

    def __str__(self) -> str:
        return f"{self.unit} {self.code} {self.occurred_on}"
