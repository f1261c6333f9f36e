from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The public face: published snapshots (portal, open data) and the publicity calendar. A high layer: it reads
    plans, indicators, monitoring and credit; nothing imports it but config/urls, api/urls and ops."""

    name = "qualityplan.public"
    verbose_name = _("公开门户")

    def ready(self):
        from qualityplan.plans import evidence
        from qualityplan.public import kinds  # noqa: F401  (the built-in kinds register themselves)
        from qualityplan.public.calendar import activities_as_evidence

        evidence.register(activities_as_evidence)
