"""The English catalog is complete, and pages render in English when asked (Chinese stays the default)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LOCALE_DIR / "django.po"
MO = LOCALE_DIR / "django.mo"
CJK = re.compile(r"[\u4e00-\u9fff]")
NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.S)

KEY_PAGES = {
    "/plans/": ["Annual plan", "Plan structure"],
    "/plans/matrix/": ["Responsibility matrix", "Export Excel", "Lead/responsible unit"],
    "/indicators/": ["Indicators", "All targets", "City/county comparison"],
    "/ledger/": ["Ledger", "All statuses", "Export ledger (xlsx)"],
    "/supervision/": ["Supervision", "All statuses", "All sources"],
    "/assessment/": ["Quality work assessment", "Assessment"],
}


# --- a tiny .po parser (no polib in the runtime deps) ---------------------------------------------------------------


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (list; one per plural form), flags, obsolete."""
    entries: list[dict] = []
    entry: dict | None = None
    key: str | None = None

    def new():
        return {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": [], "flags": set(), "obsolete": False}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if line.startswith("#,"):
            entry = entry or new()
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            entry = entry or new()
            continue
        if entry is None or (key == "msgstr" and line.startswith(("msgctxt", "msgid "))):
            entry = new()
        if obsolete:
            entry["obsolete"] = True
        if entry not in entries:
            entries.append(entry)
        m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if m:
            key, value = m.group(1), _unquote(m.group(2))
            if key.startswith("msgstr"):
                entry["msgstr"].append(value)
                key = "msgstr"
            else:
                entry[key] = value
        elif line.startswith('"') and key:
            if key == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
            else:
                entry[key] += _unquote(line)
    return [e for e in entries if not e["obsolete"]]


def _messages() -> list[dict]:
    return [e for e in parse_po(PO) if e["msgid"]]  # the header has an empty msgid


def test_catalog_is_complete():
    entries = _messages()
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in entries if e["msgid_plural"]]
    assert plurals and all(len(e["msgstr"]) == 2 for e in plurals)


def test_placeholders_survive_translation():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for e in _messages():
        for s in e["msgstr"]:
            assert set(placeholder.findall(s)) == set(placeholder.findall(e["msgid"])), (e["msgid"], s)


def test_compiled_catalog_matches_po():
    """The committed .mo is compiled from the committed .po (``make setup`` needs no gettext)."""
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    for e in _messages():
        key = f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] else e["msgid"]
        if e["msgid_plural"]:
            assert catalog.get((key, 1)) == e["msgstr"][1], f"stale .mo: run compilemessages ({e['msgid']})"
        else:
            assert catalog.get(key) == e["msgstr"][0], f"stale .mo: run compilemessages ({e['msgid']})"


# --- pages -----------------------------------------------------------------------------------------------------------


def _nav(html: str) -> str:
    m = NAV.search(html)
    assert m, "main navigation missing"
    return re.sub(r"<[^>]+>", " ", m.group(1))


def test_login_page_in_english_with_accept_language(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html and "Password" in html
    assert "登录" not in html
    assert not CJK.search(_nav(html))


def test_login_page_is_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "登录" in html and "密码" in html
    assert "Log in" not in html


@pytest.mark.parametrize("path, expected", KEY_PAGES.items())
def test_key_pages_in_english_after_setlang(client_for, users, plan_2017, path, expected):
    client = client_for(users["office"])
    response = client.post("/i18n/setlang/", {"language": "en", "next": path})
    assert response.status_code == 302
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, (path, text)
    nav = _nav(html)
    assert not CJK.search(nav), nav
    for label in ("Workbench", "Annual plan", "Responsibility matrix", "Ledger", "Supervision", "Assessment"):
        assert label in nav


@pytest.mark.parametrize("path", KEY_PAGES)
def test_key_pages_in_english_with_accept_language(client_for, users, plan_2017, path):
    html = client_for(users["office"]).get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert KEY_PAGES[path][0] in html
    assert not CJK.search(_nav(html))


@pytest.mark.parametrize("path", KEY_PAGES)
def test_key_pages_chinese_by_default(client_for, users, plan_2017, path):
    html = client_for(users["office"]).get(path).content.decode()
    nav = _nav(html)
    for label in ("工作台", "年度计划", "责任矩阵", "工作台账", "督查督办", "考核"):
        assert label in nav
    assert "Annual plan" not in nav


def test_supervision_actions_translated_in_english(client_for, users, plan_2017):
    """Workflow action labels (buttons, flash messages) come from the catalog with their own context."""
    from django.utils import translation

    from qualityplan.supervision import workflow

    label = workflow.TRANSITIONS[(workflow.ITEM, "assign")].label
    with translation.override("en"):
        assert str(label) == "Assign"
    with translation.override("zh-hans"):
        assert str(label) == "交办"
