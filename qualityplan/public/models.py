"""Published snapshots and the publicity calendar.

A :class:`Publication` is a frozen JSON snapshot of one item the office chose to publish (a plan, the evaluation of
a year, a registry, a sampling announcement, the credit blacklist…), built by its kind (:mod:`qualityplan.public.kinds`)
from public fields only. The portal and open data read nothing else: unpublishing (``withdrawn_at``) takes the item
off both at once. Each publication has a random slug: nothing unpublished can be reached by guessing a URL.

An :class:`Activity` is one of the office's publicity activities (who, where, which measure of the plan it serves);
the yearly publicity days are fixed dates (:mod:`qualityplan.public.calendar`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.concurrency import VersionedModel
from qualityplan.core.models import BaseModel


def new_slug() -> str:
    return secrets.token_urlsafe(12)  # 96 random bits


class Publication(BaseModel):
    kind = models.CharField(_("类别"), max_length=30)
    key = models.CharField(_("条目"), max_length=100)
    title = models.CharField(_("标题"), max_length=300)
    slug = models.CharField(max_length=32, unique=True, default=new_slug, editable=False)
    data = models.JSONField(_("快照"), default=dict)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    scope_public = Q(withdrawn_at__isnull=True)  # scope_unit_field None: only the office changes

    class Meta:
        ordering = ["kind", "key", "-published_at"]
        verbose_name = _("公开发布")
        verbose_name_plural = _("公开发布")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"], condition=Q(withdrawn_at__isnull=True), name="public_one_live_per_item"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None


class Activity(VersionedModel, BaseModel):
    """A publicity activity of the office or a unit: what, when, who, where, which measure it serves."""

    title = models.CharField(_("活动名称"), max_length=200)
    theme = models.CharField(_("宣传节点"), max_length=30, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    organiser = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="publicity_activities", verbose_name=_("主办单位")
    )
    place = models.CharField(_("地点"), max_length=200)
    measure = models.ForeignKey(
        "plans.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publicity_activities",
        verbose_name=_("服务的措施"),
    )
    description = models.TextField(_("内容"), blank=True)
    public = models.BooleanField(_("公开"), default=True)

    scope_unit_field = "organiser"
    scope_read_all = True
    scope_public = Q(public=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="public_activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} {self.title}"

    @property
    def last_day(self):
        return self.ends_on or self.starts_on


class ReminderSent(models.Model):
    """One reminder run per event and unit (so the daily job never repeats itself)."""

    event_key = models.CharField(max_length=80)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event_key", "unit"], name="public_reminder_once")]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.unit_id} ({self.sent_on})"
