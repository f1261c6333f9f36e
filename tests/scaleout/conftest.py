"""Scale-out fixtures: a throwaway Redis server (Debian's ``redis-server``) on a free port of 127.0.0.1.

``redis_url`` (session): starts ``redis-server`` with no persistence in a temp dir, yields ``redis://127.0.0.1:PORT``
and always stops it. When ``redis-server`` is missing the tests FAIL under ``CI=true`` (``make test`` installs it)
and are skipped with the reason otherwise. Mark: ``redis`` (set automatically for this directory).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

REDIS_SERVER = os.environ.get("QUALITYPLAN_REDIS_SERVER", shutil.which("redis-server") or "/usr/bin/redis-server")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.redis)


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
