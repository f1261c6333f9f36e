"""Two web nodes (issue 19): ``scripts/cluster.sh up`` starts PostgreSQL, Redis, moto's S3 server, two gunicorn nodes
and one Huey consumer; everything below goes over HTTP to the real processes, and ``down`` removes them all.

- an import uploaded on node A is followed (progress page, API) and its original downloaded on node B; the job ran
  on the consumer (the web nodes only enqueue it in Redis), the file went to the bucket, the session is shared;
- after a write on node A (a new evaluation run), neither node serves the page cached before it.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.scaleout.nodes import Session, air_csv, wait_for_import
from tests.test_infra import ROOT, _env


def _read_env(path: str) -> dict[str, str]:
    values = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def _pids(cluster_dir: str) -> list[int]:
    pid_dir = os.path.join(cluster_dir, "pids")
    return [int((Path(pid_dir) / n).read_text()) for n in os.listdir(pid_dir)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def cluster():
    have_pg = shutil.which("pg_ctl") or glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not (have_pg and shutil.which("redis-server")):
        message = "PostgreSQL or redis-server not found (apt-get install postgresql redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    cluster_dir = tempfile.mkdtemp(prefix="qualityplan-cluster-")
    # units, the shipped plans and the demo users are all the tests need (the full demo adds a minute on PostgreSQL)
    env = _env(CLUSTER_DIR=cluster_dir, CLUSTER_DEMO="orgs", DATABASE_URL=None, DATABASE_REPLICA_URL=None)
    up = subprocess.run(["scripts/cluster.sh", "up"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    pids = []
    try:
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-6000:]
        values = _read_env(up.stdout.strip().splitlines()[-1])
        pids = _pids(cluster_dir)
        assert len(pids) == 5  # redis, moto, huey, node-a, node-b (+ PostgreSQL under pg_ctl)
        yield values
    finally:
        down = subprocess.run(["scripts/cluster.sh", "down"], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)  # fmt: skip
        assert down.returncode == 0, down.stderr[-3000:]
        assert not os.path.exists(cluster_dir), "down left the cluster dir"
        deadline = time.monotonic() + 10
        while [p for p in pids if _alive(p)] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in pids if _alive(p)], "down left processes running"


def test_import_on_node_a_is_followed_and_downloaded_on_node_b(cluster):
    import boto3

    a, b = cluster["NODE_A_URL"], cluster["NODE_B_URL"]
    assert a != b
    s = Session(a)
    s.login("office")  # on node A; the session lives in the shared database, so node B knows it too
    data = air_csv(days=2, stations=(("海口市", "HK93"), ("469002", "QH93")))
    r = s.post("/monitoring/imports/", {"kind": "air"}, files={"file": ("air-2017-01.csv", data)})
    assert r.status == 302, r.text[:500]
    batch_id = int(re.search(r"/monitoring/imports/(\d+)/", r.headers["Location"]).group(1))

    s.base_url = b
    progress = s.get(f"/monitoring/imports/{batch_id}/progress/")
    assert progress.status == 200 and 'id="progress"' in progress.text  # node B sees the batch and its progress
    batch = wait_for_import(s, batch_id)  # polled on node B
    assert batch["status"] == "done", batch
    assert batch["created_rows"] == 2 * 2 * 24 and batch["processed_rows"] == 96  # 2 stations × 2 days × 24 h
    final = s.get(f"/monitoring/imports/{batch_id}/progress/")
    assert 'value="100"' in final.text and "hx-trigger" not in final.text

    download = s.get(f"/files/monitoring.importbatch.file/{batch_id}/")
    assert download.status == 200 and download.body == data
    anonymous = Session(b).get(f"/files/monitoring.importbatch.file/{batch_id}/")
    assert anonymous.status == 404

    # the original is in the bucket (not on either node's disk), and the job ran on the consumer
    client = boto3.client("s3", endpoint_url=cluster["AWS_S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="cluster", aws_secret_access_key="cluster")  # fmt: skip
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="qualityplan", Prefix="qualityplan/imports/")["Contents"]]
    assert any(client.get_object(Bucket="qualityplan", Key=k)["Body"].read() == data for k in keys)
    assert not os.path.exists(os.path.join(cluster["VAR_DIR"], "files"))
    assert not [n for n in os.listdir(cluster["VAR_DIR"]) if n.endswith(".sqlite3")]  # no node-local database
    logs = Path(cluster["CLUSTER_DIR"]) / "logs"
    huey_log = (logs / "huey.log").read_text(encoding="utf-8")
    assert "import_batch_task" in huey_log, huey_log[-2000:]
    for node in ("node-a", "node-b"):
        log = (logs / f"{node}.log").read_text(encoding="utf-8")
        assert "import_batch_task" not in log  # the web nodes only enqueued it


def test_no_node_serves_a_stale_cached_page_after_a_write(cluster):
    import redis

    a, b = cluster["NODE_A_URL"], cluster["NODE_B_URL"]
    s = Session(a)
    s.login("office")
    api = "/api/v1/indicators/evaluations/?year=2017&period=2017&page_size=200"

    def as_of_on(node: str) -> set[str]:
        r = s.get(node + api)
        assert r.status == 200, r.text[:300]
        return {row["as_of"] for row in r.json()["results"]}

    def evaluate(as_of: str) -> None:  # a new evaluation run through the office's form, on node A
        page = s.get(a + "/indicators/evaluate/?year=2017")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = s.post(a + "/indicators/evaluate/?year=2017", {"as_of": as_of, "confirm": "1",
                                                         "csrfmiddlewaretoken": csrf})  # fmt: skip
        assert r.status == 302, r.text[:500]

    evaluate("2017-06-30")  # the cluster holds units, plans and users only: a first run to cache
    before_a, before_b = as_of_on(a), as_of_on(b)  # both nodes cache the page in the shared Redis
    assert before_a == before_b == {"2017-06-30"}
    cache = redis.Redis.from_url(cluster["CACHE_URL"])
    assert any(b"qp:indicators:api-evaluations" in k for k in cache.keys("*"))
    dashboard_a, dashboard_b = s.get(a + "/indicators/?year=2017"), s.get(b + "/indicators/?year=2017")
    assert dashboard_a.status == dashboard_b.status == 200
    keys_before = set(cache.keys("*"))

    new_as_of = "2017-09-30"
    evaluate(new_as_of)

    assert as_of_on(b) == {new_as_of}  # node B, whose cached page said otherwise a moment ago
    assert as_of_on(a) == {new_as_of}
    rebuilt = s.get(b + "/indicators/?year=2017")
    assert rebuilt.status == 200
    assert set(cache.keys("*")) - keys_before, "the dashboard was not rebuilt after the write"
    assert json.dumps(sorted(before_a)) != json.dumps([new_as_of])
