"""`qualityplan backup` / `restore`: a round trip reproduces every table's rows and every stored file."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from qualityplan.core import backup
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.storage import PrivateFileSystemStorage
from qualityplan.ledger import services as ledger
from qualityplan.ledger.models import Evidence
from qualityplan.orgs.models import Unit

PDF = b"%PDF-1.4\n% evidence for the backup test\n%%EOF\n"


@pytest.fixture
def data(transactional_db, plan_2017, users):
    """Committed data (the snapshot is read by another connection or process) with two stored files."""
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(plan=plan_2017, responsibilities__unit__code="QTS")[0]
    task = ledger.task_create(
        user=users["dept"], measure=measure, title="制定方案", owner_name="李", deadline=dt.date(2017, 6, 30)
    )
    ledger.progress_report(
        user=users["dept"], task=task, status="on_track", narrative="进展",
        files=[SimpleUploadedFile("方案.pdf", PDF), SimpleUploadedFile("说明.txt", "说明\n".encode())],
    )  # fmt: skip
    return task


def _live_checksums():
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        connection.ensure_connection()
        raw = sqlite3.connect(name, uri=str(name).startswith("file:"))
    else:
        raw = backup._pg_connect(connection.settings_dict)
    try:
        return backup.table_checksums(raw, connection.vendor)
    finally:
        raw.close()


def _assert_files_equal(src_storage, dst_storage, manifest):
    stored = list(Evidence.objects.values_list("file", flat=True))
    assert len(stored) == 2 and set(stored) <= set(manifest["files"])
    for name in manifest["files"]:
        with src_storage.open(name, "rb") as a, dst_storage.open(name, "rb") as b:
            assert a.read() == b.read(), name


def _check_manifest(manifest, live):
    assert manifest["tables"].keys() == live.keys()
    assert {t: i["rows"] for t, i in manifest["tables"].items()} == {t: i["rows"] for t, i in live.items()}
    assert manifest["tables"]["orgs_unit"]["rows"] == Unit.objects.count() > 40
    assert manifest["tables"]["ledger_evidence"]["rows"] == 2


def test_round_trip_sqlite(data, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL round trip is test_round_trip_postgresql")
    from django.core.files.storage import default_storage

    call_command("backup", str(tmp_path / "bk"))
    manifest = backup.manifest_verify(tmp_path / "bk")
    live = _live_checksums()
    _check_manifest(manifest, live)

    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
    files = PrivateFileSystemStorage(location=tmp_path / "files")
    result = backup.restore(tmp_path / "bk", target=target, storage=files)
    assert result["files"] == len(manifest["files"]) >= 2 and result["tables"] == len(live)
    restored = sqlite3.connect(target["NAME"])
    assert backup.table_checksums(restored, "sqlite") == live  # every table: same rows, same checksum
    restored.close()
    _assert_files_equal(default_storage, files, manifest)

    with pytest.raises(ApplicationError, match="not empty"):
        backup.restore(tmp_path / "bk", target=target, storage=files)
    backup.restore(tmp_path / "bk", target=target, storage=files, force=True)


def test_damaged_backup_is_refused(data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("engine-independent; run once")
    backup.backup(tmp_path / "bk")
    victim = next((tmp_path / "bk" / "files").rglob("*.pdf"))
    victim.write_bytes(PDF + b"x")
    with pytest.raises(ApplicationError, match="damaged"):
        backup.restore(tmp_path / "bk", target={"ENGINE": "sqlite3", "NAME": str(tmp_path / "r.sqlite3")})


def test_backup_refuses_a_non_empty_directory(tmp_path, transactional_db):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "x").write_text("x")
    with pytest.raises(ApplicationError, match="not empty"):
        backup.backup(tmp_path / "bk")


@pytest.mark.postgres
def test_round_trip_postgresql(data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.core.files.storage import default_storage

    call_command("backup", str(tmp_path / "bk"))
    manifest = backup.manifest_verify(tmp_path / "bk")
    live = _live_checksums()
    _check_manifest(manifest, live)

    name = f"qp_restore_{uuid.uuid4().hex[:8]}"
    admin = backup._pg_connect(connection.settings_dict)
    admin.execute(f'CREATE DATABASE "{name}"')
    target = {**connection.settings_dict, "NAME": name}
    try:
        files = PrivateFileSystemStorage(location=tmp_path / "files")
        result = backup.restore(tmp_path / "bk", target=target, storage=files)
        assert result["files"] == len(manifest["files"]) >= 2
        restored = backup._pg_connect(target)
        try:
            assert backup.table_checksums(restored, "postgresql") == live
        finally:
            restored.close()
        _assert_files_equal(default_storage, files, manifest)
        with pytest.raises(ApplicationError, match="not empty"):
            backup.restore(tmp_path / "bk", target=target, storage=files)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
