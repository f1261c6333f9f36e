"""Issue 19: nothing under var/ is written at run time except the SQLite database, Huey's SQLite queue and logs
(and the uploaded files of the default file storage, MEDIA_ROOT = var/files/).

The one-machine default, for real: a fresh VAR_DIR, ``migrate`` + ``bootstrap --demo``, then gunicorn and the Huey
consumer (``run_huey``, SQLite queue) as ``make run`` starts them; a user uploads an import through the web page, the
consumer runs it while the progress is polled, every page linked from the home page is opened and the upload is
downloaded again. Then the files under VAR_DIR are listed. Import progress and heartbeats live in the database
(monitoring.ImportProgress), so a second web node sees them; a file anywhere else under var/ fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scaleout.nodes import Session, air_csv, free_port, spawn, stop, wait_for_import, wait_for_port
from tests.test_infra import ROOT, _env

# Allowed at run time, relative to VAR_DIR: the database, the job queue (with SQLite's WAL side files), logs, and
# the default storage's private directory (uploaded files go through the storage layer; MEDIA_STORAGE=s3 moves them).
ALLOWED = [
    re.compile(r"^qualityplan\.sqlite3(-wal|-shm|-journal)?$"),
    re.compile(r"^huey\.sqlite3(-wal|-shm|-journal)?$"),
    re.compile(r"^logs/[^/]+$"),
    re.compile(r"^files/.+$"),
]


def _files(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the one-machine default (SQLite) only")
def test_run_time_writes_under_var_are_the_database_the_queue_and_the_file_storage(tmp_path):
    var = tmp_path / "var"
    env = _env(
        VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="qualityplan.config.django.local", DATABASE_URL=None,
        DATABASE_REPLICA_URL=None, CACHE_URL=None, HUEY_REDIS_URL=None, MEDIA_STORAGE=None, MEDIA_ROOT=None,
        ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="false", HUEY_IMMEDIATE=None, IMPORT_HEARTBEAT_SECONDS="0.2",
        PYTHONDONTWRITEBYTECODE="1",
    )  # fmt: skip
    for command in (["migrate", "--noinput", "-v", "0"], ["bootstrap", "--demo"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    after_setup = _files(var)

    port = free_port()
    logs = tmp_path / "logs"
    logs.mkdir()
    consumer = web = None
    try:
        consumer = spawn([sys.executable, "manage.py", "run_huey", "--quiet", "--workers", "1"], cwd=ROOT, env=env,
                         log=logs / "huey.log")  # fmt: skip
        web = spawn(
            [str(Path(sys.executable).parent / "gunicorn"), "qualityplan.config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "2", "--timeout", "120", "--no-control-socket"],
            cwd=ROOT, env=env, log=logs / "web.log",
        )  # fmt: skip
        wait_for_port(port, web, what="gunicorn")
        s = Session(f"http://127.0.0.1:{port}")
        s.login("office")
        data = air_csv(days=1, stations=(("海口市", "HK91"),))
        r = s.post("/monitoring/imports/", {"kind": "air"}, files={"file": ("air-hk91.csv", data)})
        assert r.status == 302, r.text[:500]
        batch_id = int(re.search(r"/monitoring/imports/(\d+)/", r.headers["Location"]).group(1))
        assert s.get(f"/monitoring/imports/{batch_id}/progress/").status == 200  # polled while it runs
        batch = wait_for_import(s, batch_id)
        assert batch["status"] == "done" and batch["created_rows"] == 24, batch  # 1 station × 24 hours
        # every page the home page links to, then the upload back through the download view
        home = s.get("/")
        if home.status == 302:  # the home page sends each role to its start page
            home = s.get(home.headers["Location"])
        assert home.status == 200
        links = sorted({h for h in re.findall(r'href="(/[^"#?]*)', home.text)
                        if not h.startswith(("/static/", "/accounts/logout", "/i18n/", "/admin/"))})  # fmt: skip
        assert len(links) >= 10, links
        for link in links:
            assert s.get(link).status in (200, 302), link
        download = s.get(f"/files/monitoring.importbatch.file/{batch_id}/")
        assert download.status == 200 and download.body == data
    finally:
        stop(web)
        stop(consumer)

    after_run = _files(var)
    unexpected = sorted(name for name in after_run if not any(p.match(name) for p in ALLOWED))
    assert not unexpected, f"files under var/ outside the database, the queue, logs and the file storage: {unexpected}"
    written = sorted(name for name, mtime in after_run.items() if after_setup.get(name) != mtime)
    assert "qualityplan.sqlite3" in written or "qualityplan.sqlite3-wal" in written  # the check saw the run
    assert [n for n in written if n.startswith("files/")] and all(
        n.startswith("files/imports/") for n in written if n.startswith("files/")
    ), written  # the only new stored file is the uploaded original
