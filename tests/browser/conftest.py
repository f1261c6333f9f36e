"""Browser-test fixtures: headless Debian Chromium driven by Playwright's sync API against pytest-django's live server.

- ``browser`` (session): Chromium from ``/usr/bin/chromium`` (override with ``QUALITYPLAN_CHROMIUM``). When it is
  missing or will not start, the browser tests FAIL under ``CI=true`` and are skipped with the reason otherwise.
- ``base_url``: the live server's URL (``live_server`` + ``transactional_db``); it also serves static files through
  ``django.contrib.staticfiles`` finders, so no ``collectstatic`` is needed (``make setup`` vendors htmx/ECharts).
- ``context`` / ``page``: a fresh browser context per test (Chinese locale, laptop viewport), pages resolve relative
  URLs against ``base_url``: ``page.goto("/plans/")``.
- ``demo``: the full demo data set via ``call_command("bootstrap", "--demo")`` (the demo users log in with
  ``DEMO_PASSWORD``). The lighter shared fixtures from ``qualityplan/conftest.py`` (``users``, ``plan_2017``) work too.
- ``login(page, username)``: log in through the real form at /accounts/login/.
- ``screenshot(page, name)``: save ``var/screenshots/<name>.png`` (full page).

Mark every test here ``@pytest.mark.browser`` (done automatically for this directory).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside one unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("QUALITYPLAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DEFAULT_TIMEOUT_MS = 15_000


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str):
    if _in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (install Debian's chromium, or run `make test`)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is in requirements.lock
        _unavailable(f"the Python package playwright is not installed ({exc})")
    if not Path(CHROMIUM).is_file():
        _unavailable(f"{CHROMIUM} not found")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        _unavailable(f"{CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def base_url(live_server, transactional_db) -> str:
    return live_server.url


@pytest.fixture
def context(browser, base_url):
    ctx = browser.new_context(
        base_url=base_url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1366, "height": 900},
        extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def demo(transactional_db, tmp_path_factory):
    """The demo data set (units, the 2017 plan, every app's demo data, the demo users)."""
    load_demo(tmp_path_factory)


_DEMO_SNAPSHOTS: dict[str, tuple] = {}


def load_demo(tmp_path_factory) -> None:
    """``bootstrap --demo`` into the (flushed) test database of a transactional test.

    On SQLite the first call per ``QUALITYPLAN_TODAY`` runs the command and keeps a copy of the database (SQLite's
    online backup API, in memory) and of the stored files; later calls copy them back (milliseconds instead of the
    command's 15-20 s, the same rows: the copy is the command's own result). Elsewhere, or inside an open
    transaction, it runs the command every time.
    """
    import shutil
    import sqlite3

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        call_command("bootstrap", "--demo", verbosity=0)
        return
    key = str(getattr(settings, "QUALITYPLAN_TODAY", "") or "")
    media = Path(settings.MEDIA_ROOT)
    connection.ensure_connection()
    snapshot = _DEMO_SNAPSHOTS.get(key)
    if snapshot is None:
        call_command("bootstrap", "--demo", verbosity=0)
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        files = tmp_path_factory.mktemp("demo-files")
        shutil.copytree(media, files, dirs_exist_ok=True)
        _DEMO_SNAPSHOTS[key] = (copy, files)
        return
    copy, files = snapshot
    copy.backup(connection.connection)
    shutil.copytree(files, media, dirs_exist_ok=True)
    ContentType.objects.clear_cache()  # ids as in the copy (a flush re-creates content types)
    cache.clear()


def login(page, username: str, password: str | None = None) -> None:
    """Log in through the real login form. The password defaults to the demo password for the demo users and to
    the shared fixtures' password (``qualityplan.conftest.PASSWORD``) for every other user."""
    from qualityplan.conftest import PASSWORD
    from qualityplan.orgs.demo import DEMO_PASSWORD, DEMO_USERS

    if password is None:
        password = DEMO_PASSWORD if username in {row[0] for row in DEMO_USERS} else PASSWORD
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login as {username!r} failed: still on {page.url}")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
