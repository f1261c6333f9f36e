"""Benchmark: the public portal under 50 concurrent anonymous clients, beside a bare Django view in the same run.

.venv/bin/python bench/bench_public.py --out var/bench/public.md [--seconds 10] [--clients 50]

Runs in a throwaway test database (Django's test-database machinery on the configured backend; a SQLite file by
default), loads the demo (``bootstrap --demo``, which publishes the demo set), then serves the product with gunicorn
on 127.0.0.1 (bench/http_settings.py: the product's URLs plus the bare ``/bench/ping/`` view) and loads each endpoint
with ``wrk`` (Python threads when wrk is missing), signed out. The portal's pages come from the cache (per worker,
keyed by the publication stamp, itself cached ``PUBLIC_STAMP_SECONDS``), so after the warm-up requests a page is
served without touching the database.
Goal (issue 18): p95 < 100 ms; every page < 300 KB before charts (the HTML is measured here; the page-weight test in
qualityplan/public/tests adds the CSS/JS).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")
os.environ.setdefault("QUALITYPLAN_TODAY", "2017-11-30")  # the demo's pinned day
os.environ["PUBLIC_RATE_REQUESTS"] = "0"  # one client address makes all requests: no per-address limit here

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402

WRK_LUA = Path(__file__).with_name("wrk_report.lua")
GOAL_MS = 100


def _free_port() -> int:
    for port in range(8200, 8300):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8200-8299")


def _wrk(url: str, seconds: int, clients: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s", "-s", str(WRK_LUA), url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    )  # fmt: skip
    return json.loads([x for x in out.stdout.splitlines() if x.startswith("{")][-1])


def _pyload(url: str, seconds: int, clients: int) -> dict:
    lat: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    r.read()
            except Exception:
                errors[0] += 1
                continue
            lat.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    arr = np.array(lat) * 1e6
    return {"requests": len(lat), "seconds": wall, "rps": len(lat) / wall, "p50_us": float(np.percentile(arr, 50)),
            "p95_us": float(np.percentile(arr, 95)), "p99_us": float(np.percentile(arr, 99)), "non2xx": errors[0]}  # fmt: skip


def _serve(port: int, workers: int):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.http_settings", QP_BENCH_DB_NAME=connection.settings_dict["NAME"],
               PYTHONPATH=str(ROOT), DEBUG="0", QP_BENCH_CACHE="on")  # fmt: skip
    log = open(Path(tempfile.gettempdir()) / f"qp-bench-public-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "qualityplan.config.wsgi:application"],  # fmt: skip
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping/", timeout=2) as r:
                r.read()
            return proc, log
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                _stop(proc, log)
                raise RuntimeError(f"gunicorn did not start (see {log.name})") from None
            time.sleep(0.3)


def _stop(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _endpoints() -> list[tuple[str, str]]:
    from qualityplan.public.models import Publication

    live = {p.kind + ":" + p.key: p for p in Publication.objects.filter(withdrawn_at__isnull=True)}
    ev = live["evaluation:2017"]
    code = next(t["code"] for t in ev.data["targets"] if t["regions"])
    sampling = next(p for k, p in live.items() if k.startswith("sampling:"))
    return [
        ("bare Django JSON view (same server, no database)", "/bench/ping/"),
        ("portal home", "/public/"),
        ("plan 2017", f"/public/p/{live['plan:2017'].slug}/"),
        ("target with the map", f"/public/p/{ev.slug}/targets/{code}/"),
        ("sampling announcement, page 1", f"/public/p/{sampling.slug}/"),
        ("publicity calendar", "/public/calendar/"),
        ("open data: catalog.json", "/open-data/catalog.json"),
        ("open data: evaluation-2017.csv", "/open-data/evaluation-2017.csv"),
    ]


def run(args) -> list[str]:
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("bootstrap", "--demo", verbosity=0, stdout=io.StringIO())
    t_demo = time.perf_counter() - t0
    endpoints = _endpoints()
    port = _free_port()
    workers = max(2, (os.cpu_count() or 1) * 2)
    have_wrk = shutil.which("wrk") is not None
    load = _wrk if have_wrk else _pyload
    results = []
    proc, log = _serve(port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        for label, path in endpoints:
            url = base + urllib.request.quote(path, safe="/:?=&")
            for _ in range(workers * 2):  # warm every worker's cache
                with urllib.request.urlopen(url, timeout=30) as r:
                    assert r.status == 200, (path, r.status)
                    size = len(r.read())
            results.append((label, path, size, load(url, args.seconds, args.clients)))
    finally:
        _stop(proc, log)
    tool = f"wrk -t2 -c{args.clients}" if have_wrk else "Python threads (wrk not available)"
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"## Public portal ({connection.vendor})",
        "",
        f"{args.clients} concurrent anonymous clients, {args.seconds} s per endpoint ({tool}) against gunicorn "
        f"({workers} sync workers) on 127.0.0.1; demo data ({t_demo:.0f} s to load), pages served from the per-worker "
        f"cache keyed by the publication stamp. Load average before: {load_avg}.",
        "",
        "| endpoint | bytes | req/s | p50 ms | p95 ms | p99 ms | non-2xx | vs bare view (req/s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    bare_rps = results[0][3]["rps"]
    for label, path, size, r in results:
        shown = path if len(path) < 60 else path[:57] + "…"
        lines.append(
            f"| {label} `{shown}` | {size:,} | {r['rps']:,.0f} | {r['p50_us'] / 1000:.1f} | {r['p95_us'] / 1000:.1f} | "
            f"{r['p99_us'] / 1000:.1f} | {r['non2xx']} | {r['rps'] / bare_rps:.2f} |"
        )
    pages = results[1:]
    worst = max(r["p95_us"] for *_, r in pages) / 1000
    heaviest = max(size for _, path, size, _ in pages if not path.endswith((".csv", ".json")))
    lines += [
        "",
        f"Goal: p95 < {GOAL_MS} ms at {args.clients} clients → {'met' if worst < GOAL_MS else 'NOT met'} "
        f"(worst p95 {worst:.0f} ms); heaviest HTML page {heaviest / 1024:.0f} KB (< 300 KB with its CSS/JS, "
        "before charts: checked by qualityplan/public/tests/test_portal.py).",
        "",
    ]
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "public.md")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=int, default=50)
    args = ap.parse_args(argv)

    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":  # a file, like production, not the in-memory test default
        tmpdb = Path(tempfile.mkdtemp(prefix="qp-bench-")) / "bench.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(tmpdb)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        lines = run(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
