"""One module per data source; importing this package registers every rule type (see ``rules.RULES``)."""

from qualityplan.assessment.sources import (  # noqa: F401
    attainment,
    credit,
    hotline,
    ledger,
    manual,
    registry,
    risk,
    supervision,
)
