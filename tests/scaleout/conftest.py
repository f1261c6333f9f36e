"""Scale-out fixtures: throwaway Redis (Debian's ``redis-server``) and S3 (moto's server) on free ports of 127.0.0.1.

``redis_url`` (session): starts ``redis-server`` with no persistence in a temp dir, yields ``redis://127.0.0.1:PORT``
and always stops it. When ``redis-server`` is missing the tests FAIL under ``CI=true`` (``make test`` installs it)
and are skipped with the reason otherwise. Mark: ``redis`` (set automatically for test_redis.py).

``s3_endpoint`` (session): starts ``moto_server`` (PyPI ``moto[server]``, in the dev extra), yields its URL and
always stops it. Mark: ``s3`` (set automatically for test_s3.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

MOTO_SERVER = os.path.join(os.path.dirname(sys.executable), "moto_server")
REDIS_SERVER = os.environ.get("QUALITYPLAN_REDIS_SERVER", shutil.which("redis-server") or "/usr/bin/redis-server")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    marks = {"test_redis.py": pytest.mark.redis, "test_s3.py": pytest.mark.s3, "test_cluster.py": pytest.mark.cluster}
    for item in items:
        path = str(item.fspath)
        if os.path.dirname(path) == here and os.path.basename(path) in marks:
            item.add_marker(marks[os.path.basename(path)])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    if not os.path.exists(REDIS_SERVER):
        message = f"redis-server not found at {REDIS_SERVER} (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    workdir = tmp_path_factory.mktemp("redis")
    port = _free_port()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--daemonize", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's standalone S3-compatible server on a free port (in-memory; gone when stopped)."""
    if not os.path.exists(MOTO_SERVER):
        pytest.fail(f"{MOTO_SERVER} not found: moto[server] is in the dev extra (make setup)")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"moto_server did not start on port {port}: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
