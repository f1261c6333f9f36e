"""Issue 13: no English in the zh-hans UI outside proper names and standard codes.

Every page of the main menu and of the workbench is rendered in Chinese (the default) for each role; the visible
text (tags, scripts and styles removed) may contain Latin words only from the allow-list below or codes.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

pytestmark = pytest.mark.django_db

# Proper names, product names, standard and file-format codes that stay Latin in the Chinese UI.
ALLOW = {
    "qualityplan",  # the product's name
    "English",  # the language switcher offers English by its own name
    "Excel", "CSV", "XLSX", "xlsx", "csv", "docx", "txt", "pdf", "PDF", "Word",  # file formats
    "GB", "HJ", "ISO", "HACCP", "AQI", "PM", "Wilson",  # standards, units of measure, a method's author
    "API",
}  # fmt: skip
CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-_.]*$")  # unit codes (QTS, ENV), task numbers (QTS-2017-001), roman numerals
WORD = re.compile(r"[A-Za-z][A-Za-z\-_.]*[A-Za-z]|[A-Za-z]")
PAGES = [
    "/", "/plans/", "/plans/targets/", "/plans/measures/", "/plans/matrix/", "/orgs/", "/orgs/mine/",
    "/indicators/", "/indicators/reports/", "/indicators/completeness/", "/ledger/", "/ledger/parts/",
    "/ledger/summaries/", "/ledger/board/", "/supervision/", "/assessment/", "/notifications/",
    "/notifications/preferences/", "/monitoring/imports/", "/hotline/", "/credit/", "/credit/public/",
]  # fmt: skip


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return htmllib.unescape(html)


def english_words(html: str, allow: set[str]) -> set[str]:
    words = set()
    for w in WORD.findall(visible_text(html)):
        if w in allow or CODE.match(w) or len(w) == 1:
            continue
        words.add(w)
    return words


def test_the_checker_finds_english():
    assert english_words("<p>状态 done/failed，QTS-2017-001 导出 Excel</p>", ALLOW) == {"done", "failed"}
    assert english_words("<script>var x = 'hidden';</script><p>有效天 True</p>", ALLOW) == {"True"}


@pytest.fixture
def data(plan_2017, users):
    from qualityplan.indicators.services import indicators_sync

    indicators_sync(plan=plan_2017)


@pytest.mark.parametrize("role", ["office", "dept", "city", "inspector", "viewer"])
def test_no_english_words_on_zh_pages(role, users, client_for, data):
    user = users[role]
    allow = ALLOW | {u.username for u in users.values()} | set(re.split(r"[_\W]+", user.username))
    c = client_for(user)
    found = {}
    for path in PAGES:
        r = c.get(path)
        if r.status_code in (301, 302):
            r = c.get(r.url)
        assert r.status_code == 200, (role, path, r.status_code)
        words = english_words(r.content.decode(), allow)
        if words:
            found[path] = sorted(words)
    assert found == {}, found
