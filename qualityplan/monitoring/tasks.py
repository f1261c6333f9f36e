"""Background import: the upload page stores the file and queues this task (``immediate`` in tests); the reaper."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qualityplan.monitoring import partitions
from qualityplan.monitoring.ingest.runner import import_run
from qualityplan.monitoring.models import ImportBatch
from qualityplan.monitoring.services import import_batches_reap


@db_task()
def import_batch_task(batch_id: int) -> None:
    import_run(batch=ImportBatch.objects.get(pk=batch_id))


@db_periodic_task(crontab(minute="*"))
def import_reaper() -> None:
    """Every minute: batches whose worker died are marked failed (``qualityplan import reap`` does the same)."""
    import_batches_reap()


@db_periodic_task(crontab(day="1", hour="3", minute="0"))
def partitions_ahead() -> None:
    """Monthly: the coming years' partitions of the air tables exist before any row needs them (PostgreSQL)."""
    partitions.partitions_ensure()
