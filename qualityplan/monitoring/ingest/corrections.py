"""Corrections of imported data: withdraw a batch, or replace it by a corrected file.

Both remove the batch's rows by their ``batch`` link, recompute the derived values of the affected units and
dates (air: station-day and city-day values) and announce the change with :data:`records_changed`, so that apps
above monitoring (indicators: the evaluations of the affected years) recompute too — monitoring never imports
them.  A replacement records what changed against the replaced batch by natural key: rows added, removed, and
changed (same key, different values).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Min, ProtectedError
from django.dispatch import Signal

from qualityplan.core.exceptions import ApplicationError
from qualityplan.monitoring.choices import ImportKind, ImportStatus
from qualityplan.monitoring.ingest.air import air_daily_refresh
from qualityplan.monitoring.models import (
    AirHourly,
    ImportBatch,
    NoiseMeasurement,
    SamplingRecord,
    SeaSample,
    WaterSample,
)

# Sent after commit: kind (ImportKind), years (set of int), unit_ids (set of int), batch (the withdrawn/new batch).
records_changed = Signal()


@dataclass(frozen=True)
class Records:
    model: type
    key: tuple[str, ...]  # natural key
    values: tuple[str, ...]  # compared for "changed"
    date: str  # date field (the affected years and days)
    unit: str  # path to the unit id


RECORDS: dict[str, Records] = {
    ImportKind.AIR: Records(
        AirHourly,
        ("station_id", "date", "hour"),
        ("so2", "no2", "pm10", "pm25", "co", "o3"),
        "date",
        "station__unit_id",
    ),  # fmt: skip
    ImportKind.WATER: Records(
        WaterSample, ("station_id", "date"), ("items", "water_class"), "date", "station__unit_id"
    ),  # fmt: skip
    ImportKind.SEA: Records(SeaSample, ("station_id", "date"), ("items", "sea_class"), "date", "station__unit_id"),
    ImportKind.NOISE: Records(
        NoiseMeasurement, ("station_id", "date", "period"), ("zone", "leq"), "date", "station__unit_id"
    ),  # fmt: skip
    ImportKind.SAMPLING: Records(
        SamplingRecord,
        ("sample_no",),
        (
            "enterprise",
            "unit_id",
            "product_category",
            "product_group",
            "sampling_date",
            "result",
            "failing_items",
            "sample_type",
        ),
        "sampling_date",
        "unit_id",
    ),  # fmt: skip
}


def register_records(kind: str, records: Records) -> None:
    """Records of a kind owned by a higher app (indicators: registry items)."""
    RECORDS[kind] = records


def correctable(kind: str) -> bool:
    return kind in RECORDS


@dataclass
class Snapshot:
    rows: dict[tuple, tuple]
    unit_ids: set[int]
    start: dt.date | None
    end: dt.date | None

    @property
    def years(self) -> set[int]:
        return set(range(self.start.year, self.end.year + 1)) if self.start and self.end else set()


def snapshot(batch: ImportBatch) -> Snapshot:
    spec = RECORDS[batch.kind]
    qs = spec.model.objects.filter(batch=batch)
    rows = {r[: len(spec.key)]: r[len(spec.key) :] for r in qs.values_list(*spec.key, *spec.values).iterator()}
    span = qs.aggregate(start=Min(spec.date), end=Max(spec.date))
    units = set(qs.values_list(spec.unit, flat=True).distinct())
    return Snapshot(rows, units, span["start"], span["end"])


def _remove(batch: ImportBatch, snap: Snapshot) -> None:
    spec = RECORDS[batch.kind]
    try:
        spec.model.objects.filter(batch=batch).delete()
    except ProtectedError as exc:  # e.g. credit events that cite a failing sample of this batch
        by = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise ApplicationError(
            f"批次 #{batch.pk} 的 {len(exc.protected_objects)} 条记录已被其他记录引用（{'、'.join(map(str, by))}），"
            "不能撤回或替换；请先处理这些引用",
            extra={"field": "batch"},
        ) from None
    if batch.kind == ImportKind.AIR and snap.unit_ids:
        air_daily_refresh(unit_ids=snap.unit_ids, start=snap.start, end=snap.end)


def replace_begin(batch: ImportBatch) -> tuple[ImportBatch, Snapshot] | None:
    """Inside the import transaction, before loading: remove the rows of the batch being replaced."""
    if batch.replaces_id is None:
        return None
    old = ImportBatch.objects.select_for_update().get(pk=batch.replaces_id)
    if old.status != ImportStatus.DONE:
        raise ApplicationError(f"batch #{old.pk} is {old.get_status_display()}; only an imported batch can be replaced")
    snap = snapshot(old)
    _remove(old, snap)
    return old, snap


def replace_finish(batch: ImportBatch, old_state: tuple[ImportBatch, Snapshot]) -> None:
    """Inside the import transaction, after loading: what changed, the old batch marked replaced."""
    old, before = old_state
    after = snapshot(batch)
    if batch.kind == ImportKind.AIR and before.unit_ids:  # days only the old file had are recomputed too
        air_daily_refresh(unit_ids=before.unit_ids, start=before.start, end=before.end)
    added = after.rows.keys() - before.rows.keys()
    removed = before.rows.keys() - after.rows.keys()
    changed = sum(1 for k in after.rows.keys() & before.rows.keys() if after.rows[k] != before.rows[k])
    batch.changes = {"added": len(added), "removed": len(removed), "changed": changed}
    ImportBatch.objects.filter(pk=old.pk).update(status=ImportStatus.REPLACED, version=old.version + 1)


def announce(batch: ImportBatch, old_state) -> None:
    """After a replacement: tell the apps above which years and units to recompute (after commit)."""
    if old_state is None:
        return
    _, before = old_state
    after = snapshot(batch)
    years = before.years | after.years
    units = before.unit_ids | after.unit_ids
    transaction.on_commit(
        lambda: records_changed.send(sender=ImportBatch, kind=batch.kind, years=years, unit_ids=units, batch=batch)
    )


def withdraw(batch: ImportBatch) -> Snapshot:
    """Remove the batch's rows and recompute derived values (the caller holds the transaction and the lock)."""
    snap = snapshot(batch)
    _remove(batch, snap)
    transaction.on_commit(
        lambda: records_changed.send(
            sender=ImportBatch, kind=batch.kind, years=snap.years, unit_ids=snap.unit_ids, batch=batch
        )
    )
    return snap
