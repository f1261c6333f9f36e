"""Issue 13: the API docs render on an offline intranet — every request that leaves the server is aborted.

The docs are for signed-in users (main's hardening), so each test signs in first; Swagger UI comes from npm and is
served by the platform itself; ``/api/redoc/`` leads to the same page (one UI).
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def offline_page(context, base_url):
    local = urlparse(base_url).netloc
    blocked: list[str] = []

    def route(r):
        if urlparse(r.request.url).netloc == local:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked = blocked
    yield page
    page.close()


def test_swagger_ui_renders_with_the_network_blocked(offline_page, users):
    page = offline_page
    login(page, users["viewer"].username)
    response = page.goto("/api/docs/", wait_until="domcontentloaded", timeout=60_000)
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    assert "qualityplan API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag", timeout=60_000)
    assert page.locator(".opblock").count() >= 20  # the operations are listed
    assert page.blocked == []  # nothing tried to leave the server
    screenshot(page, "api-docs-offline")


def test_redoc_leads_to_the_offline_docs(offline_page, users):
    page = offline_page
    login(page, users["viewer"].username)
    assert page.goto("/api/redoc/", wait_until="domcontentloaded", timeout=60_000).status == 200
    assert page.url.endswith("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    assert page.blocked == []


def test_api_root_lists_endpoints(page, users):
    login(page, users["viewer"].username)
    response = page.goto("/api/v1/?format=json")
    assert response.status == 200
    data = response.json()
    assert data["docs"].endswith("/api/docs/") and "measures" in data["endpoints"]["plans"]
