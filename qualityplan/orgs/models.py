"""Units (provincial departments, cities/counties, Yangpu), their names and groups, and users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qualityplan.core.models import BaseModel
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.roles import Role


class Unit(BaseModel):
    """A unit that leads, cooperates, reports or is assessed.

    Cities/counties carry their GB/T 2260 code as ``code``; Yangpu has none and uses ``YANGPU``;
    departments use a short mnemonic (``QTS`` for 省质监局).
    """

    code = models.CharField(_("代码"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    gb_code = models.CharField(_("GB/T 2260 代码"), max_length=6, blank=True)
    legacy_codes = models.JSONField(_("历史代码"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    leader_name = models.CharField(_("负责人"), max_length=50, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)

    scope_public = Q()  # the list of units is public information

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_government(self) -> bool:
        return self.kind in UnitKind.local_governments()

    def display_name(self, language: str | None = None) -> str:
        if language and language.startswith("en") and self.name_en:
            return self.name_en
        return self.name


class UnitGroup(BaseModel):
    """A collective name in plan documents (各市县政府 …) that expands to member units."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)
    selectors = models.JSONField(_("成员规则"), default=list, blank=True)
    members = models.ManyToManyField(Unit, related_name="groups", verbose_name=_("成员单位"), blank=True)
    note = models.TextField(_("说明"), blank=True)

    scope_public = Q()

    class Meta:
        ordering = ["code"]
        verbose_name = _("单位组")
        verbose_name_plural = _("单位组")

    def __str__(self) -> str:
        return self.name


class UnitName(BaseModel):
    """A spelling used in documents, resolving to exactly one unit or one group."""

    name = models.CharField(_("写法"), max_length=100, unique=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="names")
    group = models.ForeignKey(UnitGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="names")

    audited = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位写法")
        verbose_name_plural = _("单位写法")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                name="unitname_exactly_one_target",
                violation_error_message=_("一个写法只能对应一个单位或一个单位组。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person using qualityplan; belongs to one unit and has one role."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("所属单位")
    )
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_office(self) -> bool:
        return self.is_superuser or self.role == Role.OFFICE

    @property
    def is_reporter(self) -> bool:
        return self.role in Role.reporters()


from qualityplan.orgs.tokens import ApiToken  # noqa: E402, F401  (the model lives beside its services)
