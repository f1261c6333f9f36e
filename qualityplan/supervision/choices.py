from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemSource(models.TextChoices):
    LEADER_INSTRUCTION = "leader_instruction", _("领导批示")
    INSPECTION_FINDING = "inspection_finding", _("督查发现问题")
    OVERDUE_TASK = "overdue_task", _("任务逾期")
    HOTLINE = "hotline", _("12345热线")


class ItemStatus(models.TextChoices):
    REGISTERED = "registered", _("立项")
    ASSIGNED = "assigned", _("交办")
    IN_PROGRESS = "in_progress", _("办理中")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请")
    REPORTED = "reported", _("已报告")
    UNDER_REVIEW = "under_review", _("审核")
    REDO = "redo", _("退回重办")
    CLOSED = "closed", _("销号")

    @classmethod
    def clock_running(cls) -> tuple[str, ...]:
        """States in which the handling deadline runs and the escalation ladder applies."""
        return (cls.ASSIGNED, cls.IN_PROGRESS, cls.EXTENSION_REQUESTED, cls.REDO)

    @classmethod
    def badge(cls, value: str) -> str:
        return {
            cls.REGISTERED: "grey",
            cls.ASSIGNED: "grey",
            cls.IN_PROGRESS: "on_track",
            cls.EXTENSION_REQUESTED: "amber",
            cls.REPORTED: "on_track",
            cls.UNDER_REVIEW: "on_track",
            cls.REDO: "red",
            cls.CLOSED: "met",
        }.get(value, "grey")


class RectificationStatus(models.TextChoices):
    PLAN = "plan", _("整改方案")
    REPORT = "report", _("整改报告")
    VERIFY = "verify", _("核查")
    CLOSED = "closed", _("销号")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    COOPERATING = "cooperating", _("协办")


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("到期提醒")
    URGE = "urge", _("催办通知")
    CIRCULAR = "circular", _("通报")

    @classmethod
    def badge(cls, value: str) -> str:
        return {cls.REMINDER: "grey", cls.URGE: "amber", cls.CIRCULAR: "red"}.get(value, "grey")


class ReportKind(models.TextChoices):
    FINAL = "final", _("办理情况报告")
    RECT_PLAN = "rect_plan", _("整改方案")
    RECT_REPORT = "rect_report", _("整改报告")
