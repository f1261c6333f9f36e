"""Functional-zone noise: GB 3096-2008 limit and compliance per measurement."""

from __future__ import annotations

from qualityplan.monitoring import rules
from qualityplan.monitoring.choices import NoisePeriod, StationKind
from qualityplan.monitoring.ingest.parser import Parser
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.ingest.stations import station_pks, stations_prepare
from qualityplan.monitoring.ingest.writers import bulk_write
from qualityplan.monitoring.models import ImportBatch, NoiseMeasurement
from qualityplan.monitoring.tables import ImportFailed, Table

NOISE_ZONES = {z: z for z in ("0", "1", "2", "3", "4a", "4b")}
NOISE_ZONES.update({"4A": "4a", "4B": "4b"})
PERIODS = {"day": NoisePeriod.DAY, "昼间": NoisePeriod.DAY, "night": NoisePeriod.NIGHT, "夜间": NoisePeriod.NIGHT}


def load_noise(table: Table, batch: ImportBatch, progress: Progress) -> tuple[int, int]:
    p = Parser.open(table, "city", "station", "date", "zone", "period", "leq_dBA")
    errors = p.errors
    units = p.units()
    date = p.date("date")
    zone = p.choice("zone", NOISE_ZONES)
    period = p.choice("period", PERIODS)
    leq = p.measurement("leq_dBA", required=True)
    codes, existing, new = stations_prepare(p, StationKind.NOISE, units, {"noise_zone": zone})
    p.duplicates([codes, date, period], "period")
    if errors:
        raise ImportFailed(errors)
    if table.validate_only:
        return 0, 0  # an earlier chunk of the file was refused
    limit, compliant = rules.noise_compliance(zone, period, leq)
    ids = station_pks(codes, existing, new)
    objs = (  # built 5,000 at a time by bulk_write, never all at once
        NoiseMeasurement(
            station_id=int(ids[i]),
            date=date[i],
            period=period[i],
            zone=zone[i],
            leq=float(leq[i]),
            limit=float(limit[i]),
            compliant=bool(compliant[i]),
            batch=batch,
        )
        for i in range(table.n)
    )
    return bulk_write(NoiseMeasurement, objs, batch, progress, total=table.n)
