"""Choices of the quality-risk module (sources, stages, levels, disposal kinds)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceType(models.TextChoices):
    """The eight risk-information sources (质检 guidance; workflow-rules §6)."""

    COMPLAINT = "complaint", _("投诉举报")
    ENFORCEMENT = "enforcement", _("执法监管")
    MONITORING = "monitoring", _("主动监测")
    LABORATORY = "laboratory", _("实验室检验")
    MEDIA = "media", _("媒体网络舆情")
    FOREIGN = "foreign", _("境外通报")
    ENTERPRISE = "enterprise", _("企业报告")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    INTAKE = "intake", _("信息采集")
    WORK = "work", _("工作研判")
    EXPERT = "expert", _("专业研判")
    CENTRAL = "central", _("集中研判")
    DISPOSAL = "disposal", _("风险处置")
    CLOSED = "closed", _("已结案")


REVIEW_STAGES = (Stage.WORK, Stage.EXPERT, Stage.CENTRAL)


class Severity(models.IntegerChoices):
    SLIGHT = 1, _("微弱")
    GENERAL = 2, _("一般")
    SERIOUS = 3, _("严重")
    VERY_SERIOUS = 4, _("非常严重")


class Probability(models.IntegerChoices):
    RARE = 1, _("极少发生")
    UNLIKELY = 2, _("可能性小")
    POSSIBLE = 3, _("可能发生")
    LIKELY = 4, _("很可能发生")


class Level(models.TextChoices):
    I = "I", _("I级（红）")  # noqa: E741
    II = "II", _("II级（橙）")
    III = "III", _("III级（黄）")
    IV = "IV", _("IV级（蓝）")


class InfoGrade(models.TextChoices):
    FIRST = "1", _("一级（特别重大）")
    SECOND = "2", _("二级（重大）")
    THIRD = "3", _("三级（重要）")


class DisposalKind(models.TextChoices):
    WARNING = "warning", _("风险警示")
    NOTICE = "notice", _("风险告知书（约谈）")
    ANNOUNCEMENT = "announcement", _("风险公告")
    SAMPLING = "sampling", _("监督抽查")
    RECALL = "recall", _("召回/停售")
    CONSULT = "consult", _("部门会商")
    REPORT = "report", _("报告地方政府")
    STANDARD = "standard", _("建议修订标准")


class DisposalStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")


class SignalRule(models.TextChoices):
    ABOVE_3SIGMA = "above_3sigma", _("超出3σ上限")
    EXACT_BINOMIAL = "exact_binomial", _("精确二项尾概率")
    RISING_RUN = "rising_run", _("连续三期上升")
    ENTERPRISE_CLUSTER = "enterprise_cluster", _("同一企业多批次不合格")
    ITEM_CLUSTER = "item_cluster", _("同一不合格项目聚集")
