"""Issue 13: the API docs render on an offline intranet — every request that leaves the server is aborted."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import screenshot

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


def test_swagger_ui_renders_with_the_network_blocked(offline_page, transactional_db):
    page = offline_page
    response = page.goto("/api/docs/", wait_until="domcontentloaded", timeout=60_000)
    assert response.status == 200
    page.wait_for_selector(".swagger-ui .info .title", timeout=60_000)
    assert "qualityplan API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag", timeout=60_000)
    assert page.locator(".opblock").count() >= 20  # the operations are listed
    assert page.blocked == []  # nothing tried to leave the server
    screenshot(page, "api-docs-offline")


def test_redoc_renders_with_the_network_blocked(offline_page, transactional_db):
    page = offline_page
    assert page.goto("/api/redoc/", wait_until="domcontentloaded", timeout=60_000).status == 200
    page.wait_for_selector(".api-info h1", timeout=60_000)
    assert "qualityplan API" in page.locator(".api-info h1").first.inner_text()
    # Redoc's bundle links its "powered by" logo on its CDN; offline that image fails and nothing else is fetched
    assert [u for u in page.blocked if not u.startswith("https://cdn.redoc.ly/redoc/logo")] == []


def test_api_root_lists_endpoints(page, transactional_db):
    response = page.goto("/api/v1/?format=json")
    assert response.status == 200
    data = response.json()
    assert data["docs"].endswith("/api/docs/") and "measures" in data["endpoints"]["plans"]
