from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationKind(models.TextChoices):
    AIR = "air", _("空气自动站")
    SURFACE = "surface", _("地表水断面")
    DRINKING = "drinking", _("饮用水水源地")
    SEA = "sea", _("近岸海域站位")
    NOISE = "noise", _("噪声功能区点位")


class WaterBody(models.TextChoices):
    RIVER = "river", _("河流")
    LAKE = "lake", _("湖库")


class NoisePeriod(models.TextChoices):
    DAY = "day", _("昼间")
    NIGHT = "night", _("夜间")


class SampleType(models.TextChoices):
    SUPERVISION = "监督抽检", _("监督抽检")
    RISK = "风险监测", _("风险监测")
    EVALUATION = "评价性抽检", _("评价性抽检")

    @classmethod
    def official(cls) -> tuple[str, ...]:
        """Sample types that count in official pass rates (风险监测 is excluded)."""
        return (cls.SUPERVISION, cls.EVALUATION)


class SampleScope(models.TextChoices):
    """Which sampling counts towards a pass rate (风险监测 never does)."""

    SUPERVISION = "supervision", _("仅监督抽检")
    SUPERVISION_EVALUATION = "supervision_evaluation", _("监督抽检 + 评价性抽检")

    def sample_types(self) -> tuple[str, ...]:
        if self == SampleScope.SUPERVISION:
            return (SampleType.SUPERVISION,)
        return (SampleType.SUPERVISION, SampleType.EVALUATION)

    def other(self) -> SampleScope:
        return SampleScope.SUPERVISION_EVALUATION if self == SampleScope.SUPERVISION else SampleScope.SUPERVISION

    @classmethod
    def from_wording(cls, text: str | None) -> SampleScope:
        """The scope a target's wording asks for: a pass rate that names 监督抽检 (and not 评价性抽检) counts
        监督抽检 only; a plain 抽检合格率 counts 监督抽检 + 评价性抽检 (docs/indicators.md, "Sample scope")."""
        text = text or ""
        if "监督抽检" in text and "评价性抽检" not in text:
            return cls.SUPERVISION
        return cls.SUPERVISION_EVALUATION


class SamplingResult(models.TextChoices):
    PASS = "合格", _("合格")
    FAIL = "不合格", _("不合格")


class ProductGroup(models.TextChoices):
    """Which pass-rate target a product category counts towards."""

    AGRI = "agri", _("农产品（蔬菜、水果、畜禽、水产品）")
    INDUSTRIAL = "industrial", _("工业产品")
    FOOD = "food", _("食品")
    DRUG = "drug", _("药品")
    EXPORT = "export", _("出口法定检验产品")


class ImportKind(models.TextChoices):
    AIR = "air", _("空气小时数据")
    WATER = "water", _("地表水/饮用水水源地样品")
    SEA = "sea", _("近岸海域样品")
    NOISE = "noise", _("功能区噪声")
    SAMPLING = "sampling", _("抽检结果")
    REGISTRY = "registry", _("登记事项")
    STATION = "station", _("站点")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("处理中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    DUPLICATE = "duplicate", _("重复文件")
    WITHDRAWN = "withdrawn", _("已撤回")
    REPLACED = "replaced", _("已被更正文件替换")

    @classmethod
    def badge(cls, value: str) -> str:
        return {
            "done": "green",
            "failed": "red",
            "running": "amber",
            "pending": "grey",
            "duplicate": "grey",
            "withdrawn": "grey",
            "replaced": "grey",
        }[value]

    @classmethod
    def final(cls) -> tuple[str, ...]:
        return (cls.DONE, cls.DUPLICATE, cls.FAILED, cls.WITHDRAWN, cls.REPLACED)
