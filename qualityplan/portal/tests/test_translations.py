"""Issue 13: a UI string that never reached the catalog fails here (the catalog test only sees what is in the .po).

Every literal ``{% trans "…" %}`` in the templates and every literal ``gettext``/``_`` call in the apps' Python
must have a translated entry in the English catalog.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from qualityplan.core.tests.test_i18n import PO, parse_po

ROOT = Path(__file__).resolve().parents[3]
SKIP_DIRS = {"tests", "migrations", "standards", "plandoc", "management"}
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
TRANS = re.compile(r"""{%\s*trans\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?[^%]*%}""")


def _catalog() -> dict[str, list[str]]:
    out = {}
    for e in parse_po(PO):
        key = f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] else e["msgid"]
        out[key] = e["msgstr"]
    return out


def _python_msgids():
    for path in (ROOT / "qualityplan").rglob("*.py"):
        if SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT):
                continue
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id.startswith("pgettext") and len(args) == 2:
                yield path, f"{args[0]}\x04{args[1]}"
            elif len(args) == 1 and len(node.args) == 1:
                yield path, args[0]


def _template_msgids():
    for path in (ROOT / "qualityplan" / "templates").rglob("*.html"):
        for m in TRANS.finditer(path.read_text(encoding="utf-8")):
            msgid, context = m.group(2).replace("%", "%%"), m.group(4)  # makemessages escapes % in templates
            yield path, f"{context}\x04{msgid}" if context else msgid


def test_every_ui_string_in_the_sources_is_translated():
    catalog = _catalog()
    found = [*_python_msgids(), *_template_msgids()]
    assert len(found) > 1000  # the scan sees the UI
    missing = sorted(
        {
            (str(path.relative_to(ROOT)), msgid)
            for path, msgid in found
            if not any(s.strip() for s in catalog.get(msgid, []))
        }
    )
    assert missing == [], missing
