from django.db import models
from django.utils.translation import gettext_lazy as _


class Comparator(models.TextChoices):
    GTE = ">=", _("不低于")
    LTE = "<=", _("不高于")
    EQ = "=", _("等于/保持")
    REDUCE_BY = "reduce_by", _("下降")
    INCREASE_BY = "increase_by", _("提高")
    QUALITATIVE = "qualitative", _("定性")


class TargetGroup(models.TextChoices):
    PRODUCT = "product", _("产品质量")
    ENGINEERING = "engineering", _("工程质量")
    SERVICE = "service", _("服务质量")
    ENVIRONMENT = "environment", _("环境质量")
    OTHER = "other", _("其他")


class TargetScope(models.TextChoices):
    PROVINCE = "province", _("全省")
    EACH_UNIT = "each_unit", _("各市县")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    COOPERATING = "cooperating", _("配合")
