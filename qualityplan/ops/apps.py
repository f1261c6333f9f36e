from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations at the top of the layers (ADR 0005): `bootstrap` and `demo_logins` load every app's data in order."""

    name = "qualityplan.ops"
    verbose_name = _("运维")
