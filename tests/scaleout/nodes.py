"""Helpers for tests that drive real processes over HTTP: free ports, waiting, a signed-in HTTP session, process stop.

Plain standard library (urllib + a cookie jar): the tests talk to gunicorn nodes exactly as a browser would, with the
session cookie and the CSRF token, so nothing in-process (test client, shared memory) can hide a cross-node problem.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEMO_PASSWORD = "Hainan-demo-2017"  # qualityplan.orgs.demo (demo users only)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what or proc.args[0]} exited with {proc.returncode} before listening on {port}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what or 'a server'} did not listen on 127.0.0.1:{port} within {timeout}s")
        time.sleep(0.2)


def spawn(args: list[str], *, log: Path, **kwargs) -> subprocess.Popen:
    """Start a process whose output goes to ``log`` (the parent's handle is closed; the child keeps its copy)."""
    with open(log, "ab") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs)


def stop(proc: subprocess.Popen | None, timeout: float = 15) -> None:
    """TERM, then KILL: the process (started by the test) and nothing else."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Session:
    """One browser: cookies (session, CSRF) kept across requests; redirects are returned, not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def _cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, method: str, path: str, *, data: bytes | None = None, headers: dict | None = None) -> Response:
        url = path if path.startswith("http") else self.base_url + path
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        if method not in ("GET", "HEAD"):
            req.add_header("X-CSRFToken", self._cookie("csrftoken"))
            req.add_header("Referer", self.base_url + "/")
        try:
            with self.opener.open(req, timeout=120) as resp:
                return Response(resp.status, resp.headers, resp.read(), url)
        except urllib.error.HTTPError as exc:  # 3xx (not followed) and 4xx/5xx
            return Response(exc.code, exc.headers, exc.read(), url)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict | None = None, files: dict | None = None) -> Response:
        if files:
            boundary = "qp" + secrets.token_hex(12)
            parts = []
            for key, value in (fields or {}).items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                )
            for key, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                    f"Content-Type: application/octet-stream\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            parts.append(f"--{boundary}--\r\n".encode())
            return self.request("POST", path, data=b"".join(parts),
                                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})  # fmt: skip
        body = urllib.parse.urlencode(fields or {}).encode()
        return self.request("POST", path, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        page = self.get("/accounts/login/")
        assert page.status == 200, page.status
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert csrf, "no CSRF token on the login page"
        r = self.post("/accounts/login/", {"username": username, "password": password,
                                           "csrfmiddlewaretoken": csrf.group(1)})  # fmt: skip
        assert r.status == 302, f"login of {username} failed: {r.status} {r.text[:300]}"


def wait_for_import(session: Session, batch_id: int, timeout: float = 180) -> dict:
    """Poll the API until the batch has finished; returns its last JSON."""
    deadline = time.monotonic() + timeout
    while True:
        r = session.get(f"/api/v1/monitoring/imports/{batch_id}/")
        assert r.status == 200, r.text[:300]
        data = r.json()
        if data["status"] not in ("pending", "running"):
            return data
        if time.monotonic() > deadline:
            raise AssertionError(f"import #{batch_id} still {data['status']} after {timeout}s")
        time.sleep(0.5)


def air_csv(days: int = 1, stations=(("海口市", "HK91"),), pm10: float = 40.0) -> bytes:
    """An hourly air file: ``days`` days of 24 hours from 2017-01-01 for each (city, station)."""
    lines = ["city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3\n"]
    for city, station in stations:
        for d in range(1, days + 1):
            for h in range(24):
                lines.append(f"{city},{station},2017-01-{d:02d},{h},8,15,{pm10},20,0.6,60\n")
    return "".join(lines).encode()
