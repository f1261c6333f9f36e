"""Surface-water sections and drinking-water sources: GB 3838-2002 class per sample."""

from __future__ import annotations

import numpy as np

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import StationKind, WaterBody
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_pks, stations_prepare
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.models import ImportBatch, WaterSample
from qualityplan.monitoring.tables import ImportFailed, RowError, Table

WATER_KINDS = {"surface": StationKind.SURFACE, "地表水": StationKind.SURFACE, "drinking": StationKind.DRINKING}
WATER_KINDS["饮用水水源地"] = StationKind.DRINKING
BODIES = {"river": WaterBody.RIVER, "河流": WaterBody.RIVER, "lake": WaterBody.LAKE, "湖库": WaterBody.LAKE}
BODIES["reservoir"] = WaterBody.LAKE


def load_water(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    p = Parser.open(table, "city", "station", "date")
    errors = p.errors
    units = p.units()
    date = p.date("date")
    kind = p.choice("kind", WATER_KINDS, default=StationKind.SURFACE)
    body = p.choice("water_body", BODIES, default=WaterBody.RIVER)
    items = {k: p.measurement(k) for k in rules.WATER_ITEMS if p.has(k)}
    if not items:
        errors.append(RowError(table.name, 1, "pH…FC", "no GB 3838 item column"))
    river = p.text("river", required=False)
    codes, existing, new = stations_prepare(p, kind, units, {"water_body": body, "river": river})
    p.duplicates([codes, date], "date")
    if errors:
        raise ImportFailed(errors)
    if table.validate_only:
        return 0, 0  # an earlier chunk of the file was refused
    classes, exceed = rules.water_classes(items, np.array(body, dtype=object))
    ids = station_pks(codes, existing, new)
    objs = (  # built 5,000 at a time by bulk_write, never all at once
        WaterSample(
            station_id=int(ids[i]),
            date=date[i],
            items={k: float(v[i]) for k, v in items.items() if not np.isnan(v[i])},
            water_class=int(classes[i]) if classes[i] and not np.isnan(float(classes[i])) else None,
            exceed_iii=str(exceed[i] or "")[:300],
            standard=rules.WATER_STANDARD,
            batch=batch,
        )
        for i in range(table.n)
    )
    return bulk_write(WaterSample, objs, batch, progress, total=table.n)
