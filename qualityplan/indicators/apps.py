from django.apps import AppConfig


def _recompute_evaluations(sender, *, years, **kwargs) -> None:
    """Monitoring records were withdrawn or replaced: re-evaluate the affected years that were evaluated."""
    from qualityplan.indicators.models import Evaluation
    from qualityplan.indicators.services import evaluation_run

    for year in sorted(years):
        if Evaluation.objects.filter(year=year).exists():
            evaluation_run(year=year)


class IndicatorsConfig(AppConfig):
    name = "qualityplan.indicators"

    def ready(self) -> None:
        # Registry items are an indicators record kind: plug their loader into the monitoring import runner, and
        # listen for corrections of monitoring data (monitoring never imports indicators).
        from qualityplan.indicators.importers import REGISTRY_COLUMNS, load_registry
        from qualityplan.indicators.models import RegistryItem
        from qualityplan.monitoring.choices import ImportKind
        from qualityplan.monitoring.ingest.corrections import Records, records_changed, register_records
        from qualityplan.monitoring.ingest.runner import register_kind

        register_kind(ImportKind.REGISTRY, load_registry, REGISTRY_COLUMNS)
        register_records(
            ImportKind.REGISTRY,
            Records(
                RegistryItem,
                ("kind", "name", "certificate_no"),
                ("holder", "unit_id", "region_id", "date", "note"),
                "date",
                "unit_id",
            ),  # fmt: skip
        )
        records_changed.connect(_recompute_evaluations, dispatch_uid="indicators-recompute-on-correction")
        # the plan-import review page shows and sets each target's measurement method through this hook
        from qualityplan.plans import method_hooks

        method_hooks.register(_MethodProvider())


class _MethodProvider:
    """What plans.method_hooks asks of the indicators app (plans never imports indicators)."""

    def options(self) -> list[tuple[str, str]]:
        from qualityplan.indicators.methods import method_options

        return [(option, label) for option, label, _d in method_options()]

    def matched(self, *, indicator: str, unit: str, text: str) -> tuple[str, str]:
        from qualityplan.indicators.methods import option_matched

        return option_matched(indicator=indicator, unit=unit, text=text)

    def plan_created(self, plan) -> None:
        from qualityplan.indicators.services import indicators_sync

        indicators_sync(plan=plan)
