"""Issue 13 in headless Chromium: every role signs in, lands on its workbench, follows every item on it;
no page answers 4xx/5xx and no English word outside the allow-list shows. Screenshots → docs/img/workbench-<role>.png.
"""

from __future__ import annotations

import re
import shutil

import pytest

from qualityplan.portal.tests.test_zh_pages import ALLOW, english_words
from tests.browser.conftest import ROOT, login, screenshot

pytestmark = pytest.mark.browser

ROLES = ["office", "qts", "env", "haikou", "qionghai", "inspector", "viewer"]
DEMO_AS_OF = "2017-11-30"  # the demo data's "today" (the indicator demo is as of this day)


@pytest.fixture
def demo_day(settings, demo):
    settings.QUALITYPLAN_TODAY = DEMO_AS_OF


def _allow() -> set[str]:
    from qualityplan.orgs.models import User

    words = set(ALLOW)
    for name in User.objects.values_list("username", flat=True):
        words |= {name, *re.split(r"[_\W]+", name)}
    return words


@pytest.mark.parametrize("role", ROLES)
def test_role_lands_on_its_workbench_and_every_item_opens(page, demo_day, role):
    login(page, role)
    assert page.url.rstrip("/").endswith(page.url.split("/", 3)[2]), page.url  # the site root: the workbench
    assert page.locator("main h1").first.inner_text().startswith("工作台")
    assert page.locator("#plan-overview").get_attribute("href") == "/plans/"
    allow = _allow()
    assert english_words(page.content(), allow) == set()
    shot = screenshot(page, f"workbench-{role}")
    (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ROOT / "docs" / "img" / f"workbench-{role}.png")

    links = page.eval_on_selector_all("#workbench a", "els => [...new Set(els.map(e => e.getAttribute('href')))]")
    if role != "viewer":
        assert links, f"{role} has nothing on the workbench"
    counts = page.locator("#workbench .wb-count").all_inner_texts()
    assert all(int(c) > 0 for c in counts)
    urgencies = [
        int(u) for u in page.eval_on_selector_all("#workbench .wb-entry", "els => els.map(e => e.dataset.urgency)")
    ]
    assert urgencies == sorted(urgencies)  # most urgent first
    bad = {}
    for href in links:
        response = page.goto(href)
        assert response is not None
        if response.status >= 400:
            bad[href] = response.status
            continue
        words = english_words(page.content(), allow)
        if words:
            bad[href] = sorted(words)
    assert bad == {}, bad
