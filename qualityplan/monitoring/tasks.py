"""Background import: the upload page stores the file and queues this task (``immediate`` in tests)."""

from huey.contrib.djhuey import db_task

from qualityplan.monitoring.ingest.runner import import_run
from qualityplan.monitoring.models import ImportBatch


@db_task()
def import_batch_task(batch_id: int) -> None:
    import_run(batch=ImportBatch.objects.get(pk=batch_id))
