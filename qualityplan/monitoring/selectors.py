"""Reads of the monitoring app, each taking the requesting ``user`` (data scope through ``restrict``)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404

from qualityplan.monitoring import policies
from qualityplan.monitoring.choices import SampleScope
from qualityplan.monitoring.ingest.progress import Progress
from qualityplan.monitoring.models import ImportBatch, PassRateScope, ProductCategory


def import_batch_list(user, *, limit: int = 50):
    return ImportBatch.objects.restrict(user).select_related("user", "replaces")[:limit]


def import_batch_get(user, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.restrict(user).select_related("replaces", "corrected_by"), pk=pk)


def import_batch_progress(user, batch: ImportBatch) -> dict:
    """What the progress bar shows: live figures while running, the stored outcome once finished."""
    live = None if batch.finished else Progress.read(batch.pk)
    if live and live.get("total"):
        return {
            "percent": min(99, int(live["processed"] * 100 / live["total"])),
            "stage": live.get("stage", ""),
            "processed": live["processed"],
            "total": live["total"],
        }
    return {"percent": batch.percent, "stage": batch.status, "processed": batch.processed_rows,
            "total": batch.total_rows}  # fmt: skip


def import_batch_actions(user, batch: ImportBatch) -> dict:
    return {"can_correct": policies.can_correct_batch(user, batch)}


def sample_scope(product_group: str, default: str = SampleScope.SUPERVISION_EVALUATION) -> SampleScope:
    """The sampling counted towards ``product_group``'s pass rate: the office's row for the group, else the
    ``SAMPLING_SCOPE`` setting, else ``default`` (the indicator's scope, which follows its target's wording)."""
    row = PassRateScope.objects.filter(product_group=product_group).values_list("scope", flat=True).first()
    if row is None:
        row = dict(getattr(settings, "SAMPLING_SCOPE", {})).get(
            product_group, default or SampleScope.SUPERVISION_EVALUATION
        )
    return SampleScope(row)


def product_catalogue(user):
    return ProductCategory.objects.restrict(user).order_by("path")
