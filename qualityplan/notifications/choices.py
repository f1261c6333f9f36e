from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    INFO = "info", _("通知")
    TASK_REMINDER = "task_reminder", _("任务到期提醒")
    TASK_OVERDUE = "task_overdue", _("任务逾期")
    SUPERVISION = "supervision", _("督办事项")
    REMINDER = "reminder", _("督办到期提醒")
    URGE = "urge", _("催办通知")
    CIRCULAR = "circular", _("通报")
    SUMMARY = "summary", _("工作总结")
    SUBMISSION = "submission", _("指标填报")
    TASK = "task", _("工作任务")
    ASSESSMENT = "assessment", _("考核评价")
