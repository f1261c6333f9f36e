from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    REPORTED = "reported", _("单位填报")
    COMPUTED = "computed", _("由监测/抽检记录计算")
    COUNTED = "counted", _("按登记事项计数")


class PeriodType(models.TextChoices):
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    HALF = "half", _("半年")
    YEAR = "year", _("年")


class ValueType(models.TextChoices):
    RATE = "rate", _("比率（%）")
    RATIO = "ratio", _("比率（分子/分母）")
    NUMBER = "number", _("数值")
    COUNT = "count", _("计数")
    QUALITATIVE = "qualitative", _("定性结论")


class ReporterScope(models.TextChoices):
    LEAD_UNITS = "lead_units", _("牵头单位")
    LOCAL = "local", _("各市县")


class Status(models.TextChoices):
    MET = "met", _("已达成")
    ON_TRACK = "on_track", _("进展正常")
    AT_RISK = "at_risk", _("存在风险")
    MISSED = "missed", _("未达成")
    NO_DATA = "no_data", _("无数据")

    @classmethod
    def order(cls) -> list[str]:
        return [cls.MET, cls.ON_TRACK, cls.AT_RISK, cls.MISSED, cls.NO_DATA]


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核锁定")

    @classmethod
    def badge(cls, value: str) -> str:
        return {"draft": "grey", "submitted": "amber", "returned": "red", "approved": "green"}[value]


class RegistryKind(models.TextChoices):
    BRAND_PRODUCT = "brand_product", _("海南省名牌产品")
    TRADEMARK = "trademark", _("海南省著名商标")
    SCENIC_2A = "scenic_2a", _("2A以上景区")
    LUBAN = "luban", _("“鲁班”奖工程")
    GREEN_ISLAND = "green_island", _("“绿岛杯”优质工程")
    LOCAL_STANDARD = "local_standard", _("地方标准制定项目")
    FISHERY_STANDARD = "fishery_standard", _("渔业地方标准")
    HACCP = "haccp", _("HACCP/ISO 22000 认证企业")
    HIGH_TECH = "high_tech", _("新认定高新技术企业")
    AQUATIC_CERT = "aquatic_cert", _("无公害水产品认定发证企业")
