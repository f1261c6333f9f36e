from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    ON_TRACK = "on_track", _("正常推进")
    DELAYED = "delayed", _("滞后")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")

    @classmethod
    def open(cls) -> tuple[str, ...]:
        """Statuses whose deadline still matters (overdue detection, reminders)."""
        return (cls.NOT_STARTED, cls.ON_TRACK, cls.DELAYED)

    @classmethod
    def badge(cls, value: str) -> str:
        return {
            cls.NOT_STARTED: "grey",
            cls.ON_TRACK: "green",
            cls.DELAYED: "amber",
            cls.DONE: "met",
            cls.CANCELLED: "no_data",
        }.get(value, "grey")


class TaskNoticeKind(models.TextChoices):
    REMINDER = "reminder", _("到期提醒")
    OVERDUE = "overdue", _("逾期通知")


class SummaryKind(models.TextChoices):
    HALF_YEAR = "half_year", _("上半年工作总结")
    ANNUAL = "annual", _("年度工作总结及下年度工作计划")


class SummaryStatus(models.TextChoices):
    EXPECTED = "expected", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已采纳")


class BoardStatus(models.TextChoices):
    """Where a summary stands on the submission board (computed, not stored)."""

    ON_TIME = "on_time", _("按时")
    LATE = "late", _("逾期报送")
    MISSING = "missing", _("未报送")
    RETURNED = "returned", _("退回待重报")
    PENDING = "pending", _("未到期")

    @classmethod
    def badge(cls, value: str) -> str:
        return {cls.ON_TIME: "green", cls.LATE: "amber", cls.MISSING: "red", cls.RETURNED: "amber"}.get(value, "grey")


class DueRule(models.TextChoices):
    """How a calendar deadline is applied to submissions (see :func:`qualityplan.ledger.timeliness.effective_due`)."""

    NEXT_WORKDAY = "next_workday", _("顺延至下一个工作日")
    CALENDAR = "calendar", _("按日历日")
