"""The rules of batch corrections and of the reaper that the import tests do not reach: wrong kind, a kind that
cannot be corrected, a batch that is no longer done, the reason's length, a batch that finishes as the reaper looks.

Batches are created directly (no file is imported): the rules are checked before any row is read.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.monitoring import services
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.models import ImportBatch, ImportProgress

pytestmark = pytest.mark.django_db


def _batch(units, kind="air", status=ImportStatus.DONE, unit="460100", **extra) -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind, file_name=f"{kind}.csv", sha256="0" * 64, status=status, unit=units[unit], **extra
    )


def test_a_correction_must_be_of_the_same_kind(users, units):
    old = _batch(units)
    with pytest.raises(ApplicationError, match="same kind") as exc:
        services.import_batch_submit(
            user=users["office"], kind="sampling", name="s.csv", data=b"x", replaces=old, reason="wrong file"
        )
    assert exc.value.extra == {"field": "kind"}
    assert ImportBatch.objects.count() == 1  # nothing registered


def test_a_station_register_cannot_be_corrected(users, units):
    old = _batch(units, kind="station")
    with pytest.raises(ApplicationError, match="cannot be corrected"):
        services.import_batch_withdraw(user=users["office"], batch=old, reason="typo")
    old.refresh_from_db()
    assert old.status == ImportStatus.DONE


@pytest.mark.parametrize("status", [ImportStatus.FAILED, ImportStatus.WITHDRAWN, ImportStatus.REPLACED])
def test_only_a_done_batch_is_corrected(users, units, status):
    batch = _batch(units, status=status)
    # the importing unit and the office alike: a rule of the batch's state, not of the user (so not a 403)
    for user in (users["city"], users["office"], None):
        with pytest.raises(ApplicationError, match=f"batch #{batch.pk} is ") as exc:
            services.import_batch_withdraw(user=user, batch=batch, reason="again")
        assert exc.value.extra == {"field": "status"}


def test_another_unit_is_refused_a_done_batch(users, units):
    batch = _batch(units)  # imported by 海口 (460100)
    with pytest.raises(PermissionDenied):
        services.import_batch_withdraw(user=users["county"], batch=batch, reason="not ours")


def test_the_reason_is_at_most_2000_characters(users, units):
    batch = _batch(units)
    with pytest.raises(ApplicationError, match="longer than 2000 characters") as exc:
        services.import_batch_withdraw(user=users["office"], batch=batch, reason="理" * 2001)
    assert exc.value.extra == {"field": "reason"}
    withdrawn = services.import_batch_withdraw(user=None, batch=batch, reason="理" * 2000)  # the CLI, as the system
    assert withdrawn.status == ImportStatus.WITHDRAWN and withdrawn.corrected_by is None
    assert withdrawn.changes == {"added": 0, "removed": 0, "changed": 0}  # the batch had no rows


def test_a_stale_version_is_refused(users, units):
    batch = _batch(units)
    with pytest.raises(ApplicationError, match="changed meanwhile"):
        services.import_batch_withdraw(user=users["office"], batch=batch, reason="x", version=batch.version + 1)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE


def test_reaper_with_nothing_running_writes_nothing(units):
    _batch(units)  # done: never looked at
    before = ChangeLog.objects.count()
    assert services.import_batches_reap() == []
    assert ChangeLog.objects.count() == before


def test_a_batch_that_finishes_as_the_reaper_looks_is_not_failed(units, monkeypatch):
    batch = _batch(units, status=ImportStatus.RUNNING, started_at=clock.now())
    ImportProgress.objects.create(batch_id=batch.pk, processed=99, total=100, stage="write", worker="elsewhere:1",
                                  heartbeat_at=clock.now() - dt.timedelta(hours=2))  # fmt: skip

    def finishes_meanwhile(worker):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE)  # the worker's last commit
        return None  # another host: judged by its heartbeat, two hours old

    monkeypatch.setattr(services, "worker_alive", finishes_meanwhile)
    assert services.import_batches_reap(timeout_minutes=30) == []
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.message == ""
    assert ImportProgress.objects.filter(batch_id=batch.pk).exists()  # only reaped batches lose their progress
