"""One module per data source; importing this package registers every rule type (see ``rules.RULES``)."""

from qualityplan.assessment.sources import attainment, credit, ledger, manual, registry, risk, supervision  # noqa: F401
