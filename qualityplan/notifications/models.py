"""In-app inbox: one row per recipient and message."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import BaseModel
from qualityplan.notifications.choices import NotificationKind


class Notification(BaseModel):
    """A message in a user's inbox; ``unit`` is the addressed unit (for scope and for the office's overview)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("收件人")
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("单位")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.INFO)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed = models.BooleanField(_("已发邮件"), default=False)

    scope_unit_field = "unit"
    audited = False  # high volume, written by jobs; the notices they announce are the record

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(BaseModel):
    """A user's delivery choices. The inbox always receives every message (a hand-over is never lost);
    the preferences decide which kinds are also e-mailed, and whether e-mail comes at once or as a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("用户"),
    )
    email_enabled = models.BooleanField(_("发送电子邮件"), default=True)
    email_muted_kinds = models.JSONField(_("不发邮件的消息类型"), default=list, blank=True)
    daily_digest = models.BooleanField(_("每日汇总一封邮件"), default=False)

    scope_unit_field = "user__unit"

    class Meta:
        verbose_name = _("消息设置")
        verbose_name_plural = _("消息设置")

    def __str__(self) -> str:
        return str(self.user)

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind not in (self.email_muted_kinds or [])
