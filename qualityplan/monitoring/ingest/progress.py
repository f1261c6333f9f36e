"""Progress of a running import batch, visible to pollers while the import transaction is open."""

from __future__ import annotations

import json
import time

from django.conf import settings

from qualityplan.monitoring.models import ImportBatch


class Progress:
    """Progress of a running batch, in a small JSON file: visible to pollers while the transaction is open."""

    def __init__(self, batch: ImportBatch | None):
        self.batch = batch
        self.last = 0.0

    @staticmethod
    def path(batch_id: int):
        folder = settings.VAR_DIR / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"progress-{batch_id}.json"

    def update(self, processed: int, total: int, stage: str, force: bool = False) -> None:
        if self.batch is None or self.batch.pk is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.3:
            return
        self.last = now
        self.path(self.batch.pk).write_text(json.dumps({"processed": processed, "total": total, "stage": stage}))

    @classmethod
    def read(cls, batch_id: int) -> dict | None:
        try:
            return json.loads(cls.path(batch_id).read_text())
        except (OSError, ValueError):
            return None

    def clear(self) -> None:
        if self.batch is not None and self.batch.pk is not None:
            self.path(self.batch.pk).unlink(missing_ok=True)
