"""Base model, audit log and the scoped queryset every list page and API list goes through."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from qualityplan.core import clock
from qualityplan.core.querysets import RestrictedQuerySet


class BaseModel(models.Model):
    """Timestamps, change logging and data scope.

    Subclasses declare their scope:

    * ``scope_unit_field`` — path to the owning unit (e.g. ``"unit"`` or ``"task__unit"``). ``None`` marks
      reference data (plans, targets, units) that every signed-in user may read and only the office writes.
    * ``scope_public`` — a ``Q`` selecting rows the anonymous public may read (``None``: nothing public).
    * ``audited`` — record every create/update/delete in :class:`ChangeLog` (default on).
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    scope_unit_field: str | None = None
    scope_public = None
    audited = True

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance


class ChangeAction(models.TextChoices):
    CREATE = "create", _("创建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")


class ChangeLog(models.Model):
    """One audited change: who, when, which object, and the field values before and after.

    Append-only and tamper-evident: entries are numbered (``seq``) and each carries the sha256 of its canonical
    content plus the previous entry's hash (see :mod:`qualityplan.core.audit`); ``qualityplan audit verify`` walks
    the chain. On PostgreSQL a trigger refuses UPDATE and DELETE on the table. The user is kept without a foreign-key
    constraint so that removing a user never rewrites the log (``user_name`` keeps the name).
    """

    seq = models.BigIntegerField(_("序号"), unique=True, null=True, editable=False)
    time = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
    )
    user_name = models.CharField(_("用户名"), max_length=150, blank=True)
    unit_id = models.IntegerField(_("单位"), null=True, blank=True, db_index=True)
    unit_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
