"""The station register itself (code, name, kind, unit, water body, zone, coordinates)."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring.choices import StationKind
from qualityplan.monitoring.ingest.noise import NOISE_ZONES
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_pks, stations_prepare
from qualityplan.monitoring.ingest.water import BODIES
from qualityplan.monitoring.models import ImportBatch
from qualityplan.monitoring.tables import ImportFailed, Table


def load_station(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    p = Parser.open(table, "city", "station", "kind")
    errors = p.errors
    units = p.units()
    kinds = p.choice("kind", {k.value: k.value for k in StationKind} | {str(k.label): k.value for k in StationKind})
    extra = {
        "water_body": p.choice("water_body", BODIES | {"": ""}, default=""),
        "river": p.text("river", required=False),
        "noise_zone": p.choice("zone", NOISE_ZONES | {"": ""}, default=""),
        "latitude": np.array([None if np.isnan(x) else x for x in p.measurement("latitude")], dtype=object),
        "longitude": np.array([None if np.isnan(x) else x for x in p.measurement("longitude")], dtype=object),
    }
    codes, existing, new = stations_prepare(p, kinds, units, extra)
    p.duplicates([codes], "station")
    if errors:
        raise ImportFailed(errors)
    station_pks(codes, existing, new)
    return len(new), table.n - len(new)
