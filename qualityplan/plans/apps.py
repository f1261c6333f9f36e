from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "qualityplan.plans"
    verbose_name = _("年度计划")
