"""Coastal sea stations: GB 3097-1997 class per sample."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import StationKind
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_pks, stations_prepare
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.models import ImportBatch, SeaSample
from qualityplan.monitoring.tables import ImportFailed, RowError, Table


def load_sea(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    p = Parser.open(table, "city", "station", "date")
    errors = p.errors
    units = p.units()
    date = p.date("date")
    items = {k: p.measurement(k) for k in rules.SEA_ITEMS if p.has(k)}
    if not items:
        errors.append(RowError(table.name, 1, "pH…Petroleum", "no GB 3097 item column"))
    codes, existing, new = stations_prepare(p, StationKind.SEA, units)
    p.duplicates([codes, date], "date")
    if errors:
        raise ImportFailed(errors)
    if table.validate_only:
        return 0, 0  # an earlier chunk of the file was refused
    classes = rules.sea_classes(items)
    ids = station_pks(codes, existing, new)
    objs = (  # built 5,000 at a time by bulk_write, never all at once
        SeaSample(
            station_id=int(ids[i]),
            date=date[i],
            items={k: float(v[i]) for k, v in items.items() if not np.isnan(v[i])},
            sea_class=int(classes[i]) if classes[i] and not np.isnan(float(classes[i])) else None,
            batch=batch,
        )
        for i in range(table.n)
    )
    return bulk_write(SeaSample, objs, batch, progress, total=table.n)
