"""One module per data source; importing this package registers every rule type (see ``rules.RULES``)."""

from qualityplan.assessment.sources import attainment, hotline, ledger, manual, registry, supervision  # noqa: F401
