"""`backup` → `restore` through the management commands, and every refusal of a damaged or misplaced restore.

The round trip itself is tests/test_backup.py (its ``data`` fixture: one task with two evidence files, committed);
here the commands' own paths and each check of :mod:`qualityplan.core.backup` that a good backup never reaches.
Expected values are worked by hand from the fixture (one task, two evidence files) and from the file formats.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import sqlite3
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from qualityplan.core import backup
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.storage import PrivateFileSystemStorage
from qualityplan.ledger.models import Evidence
from tests.test_backup import PDF, data  # noqa: F401 - ``data`` is the shared fixture

TXT = "说明\n".encode()  # the second evidence file of the fixture
ALIAS = "restore_target"


@pytest.fixture
def media(settings, tmp_path):
    """An empty storage of our own (MEDIA_ROOT is shared by the whole run): the backup holds only the fixture's files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def target_alias(tmp_path):
    """A second database alias, an empty SQLite file, for ``restore --database``."""
    connections.settings[ALIAS] = {**connections["default"].settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
    yield tmp_path / "restored.sqlite3"
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


@pytest.fixture
def backed_up(media, data, tmp_path):  # noqa: F811
    if connection.vendor != "sqlite":
        pytest.skip("SQLite snapshot; the PostgreSQL round trip is tests/test_backup.py")
    out = io.StringIO()
    call_command("backup", str(tmp_path / "bk"), stdout=out)
    (tmp_path / "backup.out").write_text(out.getvalue())
    return tmp_path / "bk"


def _manifest(bk: Path) -> dict:
    return json.loads((bk / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(bk: Path, manifest: dict) -> None:
    (bk / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- the commands ---------------------------------------------------------------------------------------------


def test_restore_command_round_trip_into_an_empty_database(backed_up, target_alias, settings, tmp_path, capsys):
    # the fixture stored exactly two files (方案.pdf, 说明.txt) in an otherwise empty storage
    out = (tmp_path / "backup.out").read_text()
    assert out.endswith(", 2 files\n") and ": sqlite, " in out
    manifest = _manifest(backed_up)
    assert sorted(i["size"] for i in manifest["files"].values()) == sorted([len(PDF), len(TXT)])
    assert {i["sha256"] for i in manifest["files"].values()} == {_sha(PDF), _sha(TXT)}
    assert manifest["tables"]["ledger_task"]["rows"] == 1 and manifest["tables"]["ledger_evidence"]["rows"] == 2

    settings.MEDIA_ROOT = str(tmp_path / "restored-media")  # a fresh, empty storage for the restored files
    call_command("restore", str(backed_up), "--database", ALIAS)
    out = capsys.readouterr().out
    tables, rows = len(manifest["tables"]), sum(t["rows"] for t in manifest["tables"].values())
    assert out == (
        f"restored from {backed_up}: {tables} tables, {rows} rows, 2 files; every table matches the manifest\n"
    )

    raw = sqlite3.connect(target_alias)
    try:
        assert raw.execute("SELECT title, owner_name FROM ledger_task").fetchall() == [("制定方案", "李")]
        stored = dict(raw.execute("SELECT name, file FROM ledger_evidence").fetchall())
    finally:
        raw.close()
    assert set(stored) == {"方案.pdf", "说明.txt"}
    root = Path(settings.MEDIA_ROOT)
    assert (root / stored["方案.pdf"]).read_bytes() == PDF  # under the same stored (random) name
    assert (root / stored["说明.txt"]).read_bytes() == TXT

    with pytest.raises(CommandError, match=r"the database is not empty \(\d+ tables\)"):
        call_command("restore", str(backed_up), "--database", ALIAS)
    call_command("restore", str(backed_up), "--database", ALIAS, "--force")  # over itself: every table matches
    assert "every table matches the manifest" in capsys.readouterr().out


def test_restore_command_refuses_the_live_non_empty_database(backed_up):
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(backed_up))


def test_restore_refuses_to_overwrite_stored_files(backed_up, target_alias):
    # an empty database, but the storage still holds the two files: only --force replaces them
    with pytest.raises(CommandError, match=r"file .+ exists in the storage; use --force"):
        call_command("restore", str(backed_up), "--database", ALIAS)
    assert not sqlite3.connect(target_alias).execute("SELECT name FROM sqlite_master").fetchall()  # untouched


def test_backup_command_refuses_a_non_empty_directory(tmp_path, transactional_db):
    (tmp_path / "bk").mkdir()
    (tmp_path / "bk" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "bk"))
    assert [p.name for p in (tmp_path / "bk").iterdir()] == ["notes.txt"]


# --- a damaged backup is refused before anything is written -----------------------------------------------------


def test_manifest_checksum_mismatch_is_refused(backed_up, target_alias):
    manifest = _manifest(backed_up)
    manifest["database"]["sha256"] = "0" * 64
    _write_manifest(backed_up, manifest)
    with pytest.raises(CommandError, match=r"backup damaged: database snapshot db\.sqlite3"):
        call_command("restore", str(backed_up), "--database", ALIAS)
    assert not target_alias.exists() or target_alias.stat().st_size == 0


def test_a_missing_file_is_refused(backed_up, target_alias):
    name = next(n for n in _manifest(backed_up)["files"] if n.endswith(".txt"))
    (backed_up / "files" / name).unlink()
    with pytest.raises(ApplicationError, match=f"backup damaged: file {name}$") as exc:
        backup.restore(backed_up, using=ALIAS)
    assert exc.value.extra == {"problems": [f"file {name}"]}


def test_an_edited_table_dump_is_refused(backed_up):
    path = backed_up / "tables" / "ledger_task.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("制定方案", "另一个任务"), encoding="utf-8")
    with pytest.raises(ApplicationError, match="table dump ledger_task"):
        backup.manifest_verify(backed_up)


def test_a_file_name_leaving_the_backup_directory_is_refused(backed_up):
    manifest = _manifest(backed_up)
    manifest["files"]["../outside.txt"] = {"size": 1, "sha256": _sha(b"x")}
    (backed_up / "outside.txt").write_bytes(b"x")  # present, and its checksum matches: the name alone is refused
    _write_manifest(backed_up, manifest)
    with pytest.raises(ApplicationError, match=r"file \.\./outside\.txt"):
        backup.manifest_verify(backed_up)


@pytest.mark.parametrize("content", [None, "{not json", ""])
def test_a_missing_or_unreadable_manifest_is_refused(tmp_path, content):
    (tmp_path / "bk").mkdir()
    if content is not None:
        (tmp_path / "bk" / "manifest.json").write_text(content)
    with pytest.raises(ApplicationError, match="manifest.json: ") as exc:
        backup.manifest_verify(tmp_path / "bk")
    assert exc.value.extra == {"field": "directory"}


def test_a_consistent_but_wrong_manifest_is_caught_after_the_restore(backed_up, target_alias, settings, tmp_path):
    # dump and manifest edited together (so the checksums agree) while the snapshot is the real one: the restored
    # table then differs from the manifest, and restore says which table
    path = backed_up / "tables" / "ledger_task.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("制定方案", "另一个任务"), encoding="utf-8")
    manifest = _manifest(backed_up)
    manifest["tables"]["ledger_task"]["sha256"] = _sha(path.read_bytes())
    _write_manifest(backed_up, manifest)
    settings.MEDIA_ROOT = str(tmp_path / "restored-media")
    with pytest.raises(ApplicationError, match="restored tables differ from the backup: ledger_task$") as exc:
        backup.restore(backed_up, using=ALIAS)
    assert exc.value.extra == {"tables": ["ledger_task"]}


def test_restore_refuses_another_engine(backed_up):
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "qualityplan"}
    with pytest.raises(ApplicationError, match="the backup is of sqlite, the database is postgresql"):
        backup.restore(backed_up, target=pg)
    with pytest.raises(ApplicationError, match="the backup is of sqlite, the database is [?]"):
        backup.restore(backed_up, target={"ENGINE": "django.db.backends.oracle", "NAME": "x"})


def test_restore_refuses_a_storage_that_renames(backed_up, target_alias, tmp_path):
    class Renaming(PrivateFileSystemStorage):
        def _save(self, name, content):
            return super()._save(name + ".copy", content)

    with pytest.raises(ApplicationError, match=r"file .+ was stored as .+\.copy"):
        backup.restore(backed_up, using=ALIAS, storage=Renaming(location=tmp_path / "renaming"))


# --- what a backup leaves out ----------------------------------------------------------------------------------------


def test_backup_skips_rows_whose_file_is_gone_and_unsafe_names(media, data, tmp_path):  # noqa: F811
    if connection.vendor != "sqlite":
        pytest.skip("engine-independent; run once")
    gone, unsafe = Evidence.objects.order_by("name")  # 方案.pdf, 说明.txt (code points 0x65B9 < 0x8BF4)
    (media / gone.file.name).unlink()  # a row whose file is gone from the storage: nothing to copy
    orphan = unsafe.file.name  # still in the storage, now named by no row: a directory listing finds it
    Evidence.objects.filter(pk=unsafe.pk).update(file="../escape.txt")  # a name outside the storage: never read
    (tmp_path / "escape.txt").write_text("outside the storage")
    manifest = backup.backup(tmp_path / "bk")
    assert manifest["files"] == {orphan: {"size": len(TXT), "sha256": _sha(TXT)}}
    assert [p.name for p in (tmp_path / "bk" / "files").rglob("*") if p.is_file()] == [Path(orphan).name]


def test_backup_lists_database_files_of_a_non_filesystem_storage(media, data, tmp_path):  # noqa: F811
    if connection.vendor != "sqlite":
        pytest.skip("engine-independent; run once")
    store = InMemoryStorage()
    pdf = Evidence.objects.get(name="方案.pdf").file.name
    assert store.save(pdf, _bytes_file(b"%PDF-in-memory")) == pdf
    store.save("orphan.bin", _bytes_file(b"not referenced by any row"))  # not listable: only rows name files
    manifest = backup.backup(tmp_path / "bk", storage=store)
    assert manifest["files"] == {pdf: {"size": 14, "sha256": _sha(b"%PDF-in-memory")}}  # len("%PDF-in-memory") = 14


def test_backup_refuses_an_unsupported_engine(db, tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "oracle")
    with pytest.raises(ApplicationError, match="backup does not support oracle"):
        backup.backup(tmp_path / "bk")


def _bytes_file(content: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(content)


# --- helpers: values, PostgreSQL tools ---------------------------------------------------------------------------------


def test_json_default_writes_every_column_type_as_text():
    # by hand: base64 of bytes 00 01 FF is "AAH/"; UUID and Decimal keep their canonical text
    assert backup._json_default(dt.datetime(2017, 6, 30, 8, 5)) == "2017-06-30T08:05:00"
    assert backup._json_default(dt.date(2017, 6, 30)) == "2017-06-30"
    assert backup._json_default(dt.time(23, 59, 1)) == "23:59:01"
    assert backup._json_default(decimal.Decimal("38.50")) == "38.50"
    u = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert backup._json_default(u) == "12345678-1234-5678-1234-567812345678"
    assert backup._json_default(b"\x00\x01\xff") == "base64:AAH/"
    assert backup._json_default(memoryview(b"\x00\x01\xff")) == "base64:AAH/"
    assert backup._json_default(bytearray(b"\x00\x01\xff")) == "base64:AAH/"
    assert backup._json_default({1}) == "{1}"


def test_table_rows_are_canonical_and_sorted():
    raw = sqlite3.connect(":memory:")
    raw.execute("CREATE TABLE t (b TEXT, a INTEGER, blob BLOB)")
    raw.executemany("INSERT INTO t VALUES (?, ?, ?)", [("乙", 2, None), ("甲", 1, b"\x00")])
    # keys sorted, non-ASCII kept, rows sorted as text: '{"a": 1' < '{"a": 2'
    assert backup.table_rows(raw, "sqlite", "t") == [
        '{"a": 1, "b": "甲", "blob": "base64:AA=="}',
        '{"a": 2, "b": "乙", "blob": null}',
    ]
    dump = '{"a": 1, "b": "甲", "blob": "base64:AA=="}\n{"a": 2, "b": "乙", "blob": null}\n'.encode()
    assert backup.table_checksums(raw, "sqlite") == {"t": {"rows": 2, "sha256": _sha(dump)}}
    raw.close()


def test_pg_env_args_pass_only_what_is_set():
    env, args = backup._pg_env_args({"NAME": "qp", "USER": "qp", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5433})
    assert env["PGPASSWORD"] == "s3cret"
    assert args == ["-h", "db", "-p", "5433", "-U", "qp"]
    env, args = backup._pg_env_args({"NAME": "qp", "USER": "", "PASSWORD": "", "HOST": "", "PORT": ""})
    assert args == [] and env.get("PGPASSWORD") == os.environ.get("PGPASSWORD")


def test_pg_tool_prefers_pg_bin_and_refuses_when_nothing_is_found(settings, tmp_path):
    tool = tmp_path / "bin" / "qp_fake_dump"  # a name no PostgreSQL installation has
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o644)  # not executable: not a candidate
    settings.PG_BIN = str(tool.parent)
    with pytest.raises(ApplicationError, match="qp_fake_dump not found") as exc:
        backup.pg_tool("qp_fake_dump", 15)
    assert exc.value.extra == {"field": "PG_BIN"}
    tool.chmod(0o755)
    assert backup.pg_tool("qp_fake_dump", 15) == str(tool)


def test_pg_tool_finds_the_bin_directory_of_pg_ctl(settings, tmp_path, monkeypatch):
    # Debian: /usr/bin/pg_ctl is a link into /usr/lib/postgresql/<major>/bin, where pg_dump lives (not on PATH)
    settings.PG_BIN = ""
    real, path = tmp_path / "realbin", tmp_path / "path"
    real.mkdir()
    path.mkdir()
    for name in ("pg_ctl", "qp_fake_restore"):
        (real / name).write_text("#!/bin/sh\n")
        (real / name).chmod(0o755)
    (path / "pg_ctl").symlink_to(real / "pg_ctl")
    monkeypatch.setenv("PATH", str(path))
    assert backup.pg_tool("qp_fake_restore") == str(real / "qp_fake_restore")
    (path / "qp_fake_restore").symlink_to(real / "qp_fake_restore")  # on PATH: found there first
    assert backup.pg_tool("qp_fake_restore") == str(path / "qp_fake_restore")


def test_server_major_reads_server_version_num():
    # server_version_num 150004 is PostgreSQL 15.4: 150004 // 10000 = 15; 90624 (9.6.24) gives 9
    class Cursor:
        def __init__(self, value):
            self.value = value

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            assert sql == "SHOW server_version_num"

        def fetchone(self):
            return (self.value,)

    class Connection:
        def __init__(self, value):
            self.value = value

        def cursor(self):
            return Cursor(self.value)

        def execute(self, sql):
            return Cursor(self.value)

    assert backup._server_major(Connection("150004")) == 15
    assert backup._server_major(Connection("90624")) == 9
    assert backup._pg_major(Connection("160002")) == 16


def test_run_reports_the_tool_and_its_error_output():
    backup._run([sys.executable, "-c", "pass"], {})
    script = "import sys; sys.stderr.write('pg_restore: error: could not connect\\n'); sys.exit(1)"
    with pytest.raises(ApplicationError, match=r"^python[\d.]* failed: pg_restore: error: could not connect$"):
        backup._run([sys.executable, "-c", script], {})
