from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    WEB = "web", _("网站")
    APP = "app", _("移动客户端")
    WECHAT = "wechat", _("微信")
    EMAIL = "email", _("电子邮件")
    OTHER = "other", _("其他")


class Category(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    SUGGESTION = "suggestion", _("意见建议")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class Subject(models.TextChoices):
    PRODUCT = "product", _("产品质量")
    FOOD = "food", _("食品安全")
    SERVICE = "service", _("服务质量")
    CONSTRUCTION = "construction", _("工程质量")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    MEASUREMENT = "measurement", _("计量")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    REGISTERED = "registered", _("登记")
    DISPATCHED = "dispatched", _("已派单")
    RETURN_REQUESTED = "return_requested", _("退单审核")
    SIGNED = "signed", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    EXTENSION_REQUESTED = "extension_requested", _("延期审批")
    REPLIED = "replied", _("已办复")
    UNDER_REVIEW = "under_review", _("审核")
    REVISIT = "revisit", _("待回访")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并单")

    @classmethod
    def clock_running(cls) -> tuple[str, ...]:
        """States in which the handling deadline runs (countdown, 催办 ladder)."""
        return (
            cls.DISPATCHED,
            cls.RETURN_REQUESTED,
            cls.SIGNED,
            cls.IN_PROGRESS,
            cls.EXTENSION_REQUESTED,
        )

    @classmethod
    def open(cls) -> tuple[str, ...]:
        return tuple(v for v in cls.values if v not in (cls.CLOSED, cls.MERGED))

    @classmethod
    def badge(cls, value: str) -> str:
        return {
            cls.REGISTERED: "grey",
            cls.DISPATCHED: "grey",
            cls.RETURN_REQUESTED: "amber",
            cls.SIGNED: "on_track",
            cls.IN_PROGRESS: "on_track",
            cls.EXTENSION_REQUESTED: "amber",
            cls.REPLIED: "on_track",
            cls.UNDER_REVIEW: "on_track",
            cls.REVISIT: "on_track",
            cls.CLOSED: "met",
            cls.MERGED: "grey",
        }.get(value, "grey")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")

    @classmethod
    def satisfied(cls) -> tuple[str, ...]:
        """The levels counted as satisfied in 满意率: (非常满意 + 满意 + 基本满意) / 参评."""
        return (cls.VERY_SATISFIED, cls.SATISFIED, cls.BASIC)


class LimitKind(models.TextChoices):
    """Rows of the time-limit table: 签收 plus one per category."""

    SIGN = "sign", _("签收")
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    SUGGESTION = "suggestion", _("意见建议")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("主办")
    COOPERATING = "cooperating", _("协办")


class Light(models.TextChoices):
    NONE = "", ""
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
