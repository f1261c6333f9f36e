from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    PENALTY = "penalty", _("行政处罚")
    ABNORMAL_IN = "abnormal_in", _("列入经营异常名录")
    ABNORMAL_OUT = "abnormal_out", _("移出经营异常名录")
    BLACKLIST_IN = "blacklist_in", _("列入严重违法失信名单")
    BLACKLIST_OUT = "blacklist_out", _("移出严重违法失信名单")
    SAMPLE_FAIL = "sample_fail", _("监督抽检不合格")
    RECALL = "recall", _("缺陷产品召回")
    HONOUR = "honour", _("荣誉")
    REPAIR = "repair", _("信用修复")

    @classmethod
    def from_label(cls) -> dict[str, str]:
        """File values (the Chinese labels, as in the issue) -> kind."""
        return {
            "行政处罚": cls.PENALTY,
            "列入经营异常名录": cls.ABNORMAL_IN,
            "移出经营异常名录": cls.ABNORMAL_OUT,
            "列入严重违法失信名单": cls.BLACKLIST_IN,
            "移出严重违法失信名单": cls.BLACKLIST_OUT,
            "召回": cls.RECALL,
            "缺陷产品召回": cls.RECALL,
            "荣誉": cls.HONOUR,
            "信用修复": cls.REPAIR,
        }


class Domain(models.TextChoices):
    FOOD = "食品", _("食品")
    DRUG = "药品", _("药品")
    SPECIAL_EQUIPMENT = "特种设备", _("特种设备")
    OTHER = "其他", _("其他")


class RecallKind(models.TextChoices):
    VOLUNTARY = "voluntary", _("主动召回")
    ORDERED = "ordered", _("责令召回")


class RecheckStatus(models.TextChoices):
    NONE = "none", _("未申请复检")
    REQUESTED = "requested", _("复检中")
    UPHELD = "upheld", _("复检维持不合格")
    OVERTURNED = "overturned", _("复检合格（原结论撤销）")


class RepairStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已受理")
    GRANTED = "granted", _("准予修复")
    REJECTED = "rejected", _("不予修复")

    @classmethod
    def badge(cls, value: str) -> str:
        return {"submitted": "amber", "granted": "green", "rejected": "red"}[value]


class DocumentKind(models.TextChoices):
    APPLICATION = "application", _("信用修复申请书")
    PLEDGE = "pledge", _("守信承诺书")
    FULFILMENT = "fulfilment", _("履行完毕证明")
    DECISION = "decision", _("决定书/证明材料")


class CreditClass(models.TextChoices):
    A = "A", _("A 类（信用风险低）")
    B = "B", _("B 类（信用风险一般）")
    C = "C", _("C 类（信用风险较高）")
    D = "D", _("D 类（信用风险高）")
