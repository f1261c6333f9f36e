from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    """An assessment round's state machine (see ``services.ROUND_TRANSITIONS``)."""

    OPEN = "open", _("已开启")
    SELF_ASSESSMENT = "self_assessment", _("单位自评")
    VERIFICATION = "verification", _("核查评定")
    CLOSED = "closed", _("已结束（锁定）")

    @classmethod
    def badge(cls, value: str) -> str:
        return {cls.OPEN: "grey", cls.SELF_ASSESSMENT: "amber", cls.VERIFICATION: "on_track", cls.CLOSED: "green"}.get(
            value, "grey"
        )


class UnitStatus(models.TextChoices):
    PENDING = "pending", _("待自评")
    SUBMITTED = "submitted", _("自评已提交")
    VERIFIED = "verified", _("已核定")

    @classmethod
    def badge(cls, value: str) -> str:
        return {cls.PENDING: "grey", cls.SUBMITTED: "amber", cls.VERIFIED: "green"}.get(value, "grey")


class Grade(models.TextChoices):
    A = "A", _("A（优秀）")
    B = "B", _("B（良好）")
    C = "C", _("C（合格）")
    D = "D", _("D（不合格）")

    @classmethod
    def badge(cls, value: str) -> str:
        return {cls.A: "met", cls.B: "on_track", cls.C: "at_risk", cls.D: "missed"}.get(value, "no_data")


class ScoreStatus(models.TextChoices):
    """How an item's evaluator judged the unit (drives the badge next to the points)."""

    FULL = "full", _("满分")
    PARTIAL = "partial", _("部分得分")
    ZERO = "zero", _("不得分")
    NO_DATA = "no_data", _("无数据")
    MANUAL = "manual", _("人工评分")
    PENDING = "pending", _("待评分")

    @classmethod
    def badge(cls, value: str) -> str:
        return {
            cls.FULL: "met",
            cls.PARTIAL: "at_risk",
            cls.ZERO: "missed",
            cls.NO_DATA: "no_data",
            cls.MANUAL: "on_track",
            cls.PENDING: "grey",
        }.get(value, "grey")
