from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "qualityplan.indicators"

    def ready(self) -> None:
        # Registry items are an indicators record kind: plug their loader into the monitoring import runner
        # (monitoring never imports indicators).
        from qualityplan.indicators.importers import REGISTRY_COLUMNS, load_registry
        from qualityplan.monitoring.choices import ImportKind
        from qualityplan.monitoring.ingest.runner import register_kind

        register_kind(ImportKind.REGISTRY, load_registry, REGISTRY_COLUMNS)
