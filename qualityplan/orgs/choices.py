from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OFFICE = "office", _("领导小组办公室")
    DEPARTMENT = "department", _("省直部门")
    VERTICAL = "vertical", _("中央驻琼单位")
    CITY = "city", _("地级市")
    COUNTY = "county", _("县级市/县")
    ZONE = "zone", _("经济开发区")

    @classmethod
    def local_governments(cls) -> tuple[str, ...]:
        """Kinds assessed as city/county governments (考核对象): the 19 cities/counties and Yangpu."""
        return (cls.CITY, cls.COUNTY, cls.ZONE)

    @classmethod
    def provincial(cls) -> tuple[str, ...]:
        return (cls.OFFICE, cls.DEPARTMENT, cls.VERTICAL)
