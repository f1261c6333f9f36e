from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("领导小组办公室管理员")
    DEPT_REPORTER = "dept_reporter", _("省直部门填报员")
    CITY_REPORTER = "city_reporter", _("市县填报员")
    INSPECTOR = "inspector", _("检查员")
    VIEWER = "viewer", _("只读用户")
    HOTLINE = "hotline", _("12345热线话务员")

    @classmethod
    def reporters(cls) -> tuple[str, ...]:
        return (cls.DEPT_REPORTER, cls.CITY_REPORTER)
