"""Backup and restore: a consistent database snapshot, every stored file, and a manifest to check both against.

``backup(DIR)`` writes

* ``db.sqlite3`` (SQLite online backup API) or ``db.dump`` (``pg_dump -Fc``, the ``pg_dump`` of the server's
  major version: ``PG_DUMP``/``PG_BIN`` settings, then ``/usr/lib/postgresql/<major>/bin``, then ``PATH``);
* ``tables/<table>.jsonl``: every table's rows, canonical and sorted — engine-independent, readable, and the
  basis of the per-table checksums;
* ``files/<stored name>``: every stored file (``STORAGES["default"]``);
* ``manifest.json``: engine, time, per table the row count and the sha256 of its dump, the sha256 of the database
  snapshot, and per file its size and sha256.

``restore(DIR)`` checks every checksum first, refuses a non-empty database unless ``force``, restores the snapshot,
puts the files back under their stored names and compares every table with the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import registry

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return "base64:" + base64.b64encode(bytes(value)).decode()
    return str(value)


# --- tables -------------------------------------------------------------------------------------------------------


def _tables(raw, vendor: str) -> list[str]:
    cur = raw.cursor()
    if vendor == "sqlite":
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    else:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [r[0] for r in cur.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_rows(raw, vendor: str, table: str) -> list[str]:
    """The rows of ``table`` as canonical JSON lines (column name → value), sorted."""
    cur = raw.cursor()
    cur.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - the name comes from the catalog, quoted
    columns = [c[0] for c in cur.description]
    lines = [
        json.dumps(dict(zip(columns, row, strict=True)), default=_json_default, ensure_ascii=False, sort_keys=True)
        for row in cur.fetchall()
    ]
    lines.sort()
    return lines


def table_checksums(raw, vendor: str) -> dict[str, dict]:
    """Per table: ``{"rows": n, "sha256": ...}`` of its canonical rows (see :func:`table_rows`)."""
    out = {}
    for table in _tables(raw, vendor):
        lines = table_rows(raw, vendor, table)
        data = "".join(line + "\n" for line in lines).encode()
        out[table] = {"rows": len(lines), "sha256": hashlib.sha256(data).hexdigest()}
    return out


# --- PostgreSQL tools --------------------------------------------------------------------------------------------


def pg_tool(name: str, server_major: int | None = None) -> str:
    """``pg_dump`` / ``pg_restore`` matching the server: PG_BIN setting, Debian's versioned dir, then PATH."""
    candidates = []
    if getattr(settings, "PG_BIN", ""):
        candidates.append(Path(settings.PG_BIN) / name)
    if server_major:
        candidates.append(Path(f"/usr/lib/postgresql/{server_major}/bin") / name)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        candidates.append(Path(os.path.realpath(pg_ctl)).parent / name)
    candidates += sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )[::-1]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    raise ApplicationError(f"{name} not found (set PG_BIN to the PostgreSQL bin directory)", {"field": "PG_BIN"})


def _pg_env_args(db: dict) -> tuple[dict, list[str]]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return env, args


def _pg_connect(db: dict):
    """A plain psycopg connection (no Django loaders), so that backup and restore read values alike."""
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None, port=db.get("PORT") or None, autocommit=True,
    )  # fmt: skip


def _server_major(connection) -> int:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        return int(cur.fetchone()[0]) // 10000


def _run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise ApplicationError(f"{Path(cmd[0]).name} failed: {result.stderr.strip()[-2000:]}", {"cmd": cmd[0]})


# --- files ---------------------------------------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"^(?!/)(?!.*(^|/)\.\.(/|$))[^\x00]+$")


def _stored_names(storage) -> set[str]:
    names = set()
    for spec in registry().values():
        qs = spec.model._default_manager.exclude(**{spec.field: ""}).exclude(**{f"{spec.field}__isnull": True})
        names.update(qs.values_list(spec.field, flat=True))
    if isinstance(storage, FileSystemStorage) and Path(storage.location).is_dir():
        root = Path(storage.location)
        names.update(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return names


# --- backup / restore ----------------------------------------------------------------------------------------------


def backup(directory, *, using: str = "default", storage=None) -> dict:
    """Write a snapshot of database ``using`` and every stored file to ``directory`` (created; must be empty)."""
    out = Path(directory)
    if out.exists() and any(out.iterdir()):
        raise ApplicationError(f"{out} is not empty", {"field": "directory"})
    out.mkdir(parents=True, exist_ok=True)
    storage = storage or default_storage
    connection = connections[using]
    connection.ensure_connection()
    vendor = connection.vendor
    manifest = {"format": FORMAT, "created_at": clock.now().isoformat(), "engine": vendor, "tables": {}, "files": {}}

    if vendor == "sqlite":
        snap = out / "db.sqlite3"
        target = sqlite3.connect(snap)
        try:
            connection.connection.backup(target)  # the online backup API: a consistent copy while others write
        finally:
            target.close()
        raw = sqlite3.connect(snap)
    elif vendor == "postgresql":
        db = connection.settings_dict
        snap = out / "db.dump"
        env, args = _pg_env_args(db)
        _run([pg_tool("pg_dump", _server_major(connection)), "-Fc", *args, "-f", str(snap), db["NAME"]], env)
        raw = None
    else:
        raise ApplicationError(f"backup does not support {vendor}", {"field": "engine"})
    manifest["database"] = {"file": snap.name, "sha256": _sha256_file(snap)}

    # Per-table dumps: from the snapshot itself on SQLite; on PostgreSQL from the live database in one
    # REPEATABLE READ transaction (pg_dump's consistency), checked against the restored dump on restore.
    tables_dir = out / "tables"
    tables_dir.mkdir()
    if raw is None:
        raw = _pg_connect(connection.settings_dict)
        raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        for table in _tables(raw, vendor):
            lines = table_rows(raw, vendor, table)
            path = tables_dir / f"{table}.jsonl"
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            manifest["tables"][table] = {"rows": len(lines), "sha256": _sha256_file(path)}
    finally:
        raw.close()

    files_dir = out / "files"
    for name in sorted(_stored_names(storage)):
        if not _SAFE_NAME.match(name) or not storage.exists(name):
            continue
        dest = files_dir / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as src, dest.open("wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        manifest["files"][name] = {"size": dest.stat().st_size, "sha256": _sha256_file(dest)}

    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def manifest_verify(directory) -> dict:
    """Load the manifest and check the snapshot, table dumps and files against it (ApplicationError if not)."""
    src = Path(directory)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ApplicationError(f"{src / MANIFEST}: {exc}", {"field": "directory"}) from exc
    problems = []
    db = manifest.get("database") or {}
    if not (src / db.get("file", "?")).is_file() or _sha256_file(src / db["file"]) != db.get("sha256"):
        problems.append(f"database snapshot {db.get('file')}")
    for table, info in manifest.get("tables", {}).items():
        path = src / "tables" / f"{table}.jsonl"
        if not path.is_file() or _sha256_file(path) != info["sha256"]:
            problems.append(f"table dump {table}")
    for name, info in manifest.get("files", {}).items():
        path = src / "files" / name
        if not _SAFE_NAME.match(name) or not path.is_file() or _sha256_file(path) != info["sha256"]:
            problems.append(f"file {name}")
    if problems:
        raise ApplicationError("backup damaged: " + "; ".join(problems[:20]), {"problems": problems})
    return manifest


def restore(directory, *, using: str = "default", target: dict | None = None, storage=None, force: bool = False):
    """Restore a :func:`backup` into database ``using`` (or the database described by ``target``, a
    ``DATABASES``-style dict) and the storage. The database must have no tables unless ``force``."""
    src = Path(directory)
    manifest = manifest_verify(src)
    storage = storage or default_storage
    connection = connections[using]
    db = target or connection.settings_dict
    vendor = "sqlite" if db["ENGINE"].endswith("sqlite3") else "postgresql" if "postgresql" in db["ENGINE"] else "?"
    if vendor != manifest["engine"]:
        raise ApplicationError(f"the backup is of {manifest['engine']}, the database is {vendor}", {"field": "engine"})
    name = str(db["NAME"])
    # plain connections (no Django converters), so that values read back exactly as the backup read them
    raw = sqlite3.connect(name, uri=name.startswith("file:")) if vendor == "sqlite" else _pg_connect(db)
    try:
        existing = _tables(raw, vendor)
        if existing and not force:
            raise ApplicationError(
                f"the database is not empty ({len(existing)} tables); restore into an empty database or use --force",
                {"field": "database", "tables": len(existing)},
            )
        for name in manifest["files"]:
            if storage.exists(name) and not force:
                raise ApplicationError(f"file {name} exists in the storage; use --force", {"field": "files"})

        snap = src / manifest["database"]["file"]
        if vendor == "sqlite":
            source = sqlite3.connect(snap)
            try:
                source.backup(raw)  # replaces the whole database content
            finally:
                source.close()
        else:
            env, args = _pg_env_args(db)
            cmd = [pg_tool("pg_restore", _pg_major(raw)), "--no-owner", "--no-acl", "--exit-on-error", *args]
            if force:
                cmd += ["--clean", "--if-exists"]
            _run([*cmd, "-d", db["NAME"], str(snap)], env)

        for name in manifest["files"]:
            if storage.exists(name):
                storage.delete(name)
            with (src / "files" / name).open("rb") as fh:
                saved = storage._save(name, File(fh, name=name))  # the stored name, not a new random one
            if saved != name:
                raise ApplicationError(f"file {name} was stored as {saved}", {"field": "files"})

        actual = table_checksums(raw, vendor)
    finally:
        raw.close()
    differ = sorted(t for t, info in manifest["tables"].items() if actual.get(t, {}).get("sha256") != info["sha256"])
    if differ:
        raise ApplicationError("restored tables differ from the backup: " + ", ".join(differ), {"tables": differ})
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values()),
        "files": len(manifest["files"]),
    }


def _pg_major(raw) -> int:
    return int(raw.execute("SHOW server_version_num").fetchone()[0]) // 10000
