"""Plan-document import through the web: upload → parse (qualityplan.plandoc) → review/edit → create the plan.

The parser is pure; this module feeds it the live units register from the database (so spellings the office
added are known) and keeps the reviewer's edits in the draft until the plan is created.

Every edit is also recorded in ``draft.parsed["corrections"]`` (item, field, before, after, who, when), so
that the reviewed drafts form a corpus of regression cases for the reader: ``plan_import_regression_case``
gives one case in the layout of ``tests/plandoc_corpus/`` (source text + reading), the review page offers it
for download and ``qualityplan plan export-import-cases DIR`` writes all of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.orgs.models import Unit, UnitGroup, UnitName
from qualityplan.plandoc import PlanDocError, UnitRegister, parse_text, read_document
from qualityplan.plans import method_hooks, policies
from qualityplan.plans.interchange import COMPARATORS
from qualityplan.plans.models import Plan, PlanImport, PlanImportStatus
from qualityplan.plans.services import plan_load

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED_SUFFIXES = {".txt", ".docx"}


def register_from_db() -> UnitRegister:
    aliases: dict[tuple[str, int], list[str]] = {}
    for name in UnitName.objects.all():
        key = ("unit", name.unit_id) if name.unit_id else ("group", name.group_id)
        aliases.setdefault(key, []).append(name.name)
    units = [
        {
            "code": u.code,
            "kind": u.kind,
            "name": u.name,
            "short": u.short_name,
            "aliases": aliases.get(("unit", u.id), []),
        }
        for u in Unit.objects.all()
    ]
    groups = [
        {"code": g.code, "name": g.name, "aliases": aliases.get(("group", g.id), [])} for g in UnitGroup.objects.all()
    ]
    return UnitRegister({"province": {"name": "海南省"}, "units": units, "groups": groups})


def plan_import_create(*, uploaded, user) -> PlanImport:
    """Parse an uploaded .txt/.docx; a clear error naming the file when it cannot be read or holds no plan."""
    name = Path(uploaded.name).name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ApplicationError(gettext("%(name)s: 仅支持 .txt 和 .docx 文件") % {"name": name}, {"field": "file"})
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            gettext("%(name)s: 文件超过 %(mb)s MB") % {"name": name, "mb": MAX_UPLOAD_BYTES // 1024 // 1024},
            {"field": "file"},
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        digest = hashlib.sha256()
        with path.open("wb") as out:  # block by block, never the whole upload in memory
            for block in uploaded.chunks():
                digest.update(block)
                out.write(block)
        try:
            raw = read_document(path)
            parsed = parse_text(raw, register=register_from_db(), source_name=name)
        except PlanDocError as exc:
            raise ApplicationError(f"{name}: {exc}", {"field": "file"}) from exc
    source = parsed.pop("source", {}) or {}
    draft = PlanImport(
        file_name=name,
        sha256=digest.hexdigest(),
        source_text=source.get("text", ""),
        parsed=parsed,
        created_by=user,
    )
    draft.save()
    return draft


EDITABLE = {
    "targets": ("indicator", "comparator", "value", "value_max", "unit", "year", "where"),
    "measures": ("number", "title", "lead_units", "cooperating_units"),
    "deadlines": ("kind", "date", "what", "where"),
}
DEADLINE_KINDS = ("date", "range", "ongoing")


def _bad(kind: str, field: str, value: str, message: str) -> ApplicationError:
    return ApplicationError(message % {"field": f"{kind}.{field}", "value": value}, {"field": field})


def _clean_value(kind: str, field: str, value: str):
    value = (value or "").strip()
    if field in ("lead_units", "cooperating_units"):
        return [v.strip() for v in value.replace("，", "、").replace(",", "、").split("、") if v.strip()]
    if field in ("value", "value_max"):
        if value == "":
            return None
        try:
            number = float(value)
        except ValueError as exc:
            raise _bad(kind, field, value, gettext("%(field)s: “%(value)s” 不是数字")) from exc
        return int(number) if number.is_integer() else number
    if field == "year":
        if value == "":
            return None
        if not re.fullmatch(r"\d{4}", value) or not 1990 <= int(value) <= 2100:
            raise _bad(kind, field, value, gettext("%(field)s: “%(value)s” 不是有效的年份"))
        return int(value)
    if field == "date":
        if value == "":
            return None
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise _bad(kind, field, value, gettext("%(field)s: “%(value)s” 不是有效的日期（YYYY-MM-DD）")) from exc
    if field == "kind" and value not in DEADLINE_KINDS:
        raise _bad(kind, field, value, gettext("%(field)s: “%(value)s” 不是有效的时限类型"))
    if field == "comparator" and value not in COMPARATORS:
        raise ApplicationError(
            gettext("%(field)s: “%(value)s” 不是有效的比较方式") % {"field": f"{kind}.{field}", "value": value},
            {"field": field},
        )
    return value


def _correction(draft: PlanImport, user, **fields) -> None:
    draft.parsed.setdefault("corrections", []).append(
        {**fields, "by": getattr(user, "username", "") or "system", "at": clock.now().isoformat(timespec="seconds")}
    )


def plan_import_edit_item(*, draft: PlanImport, kind: str, index: int, data: dict, user=None) -> dict:
    """Apply the reviewer's edit to one extracted item; the item is marked ``reviewed`` and each changed field
    is recorded as a correction (before/after, who, when)."""
    if draft.status != PlanImportStatus.DRAFT:
        raise ApplicationError(gettext("该导入已处理，不能再修改"))
    if kind not in EDITABLE:
        raise ApplicationError(f"unknown item kind {kind!r}")
    items = draft.parsed.get(kind) or []
    if not 0 <= index < len(items):
        raise ApplicationError(f"{kind}[{index}] does not exist")
    item = items[index]
    cleaned = {field: _clean_value(kind, field, data[field]) for field in EDITABLE[kind] if field in data}
    if kind == "targets" and cleaned.get("comparator", item.get("comparator")) == "qualitative":
        cleaned["value"] = None
        cleaned["value_max"] = None
    if kind == "deadlines":
        kind_ = cleaned.get("kind", item.get("kind") or "date")
        date = cleaned.get("date", item.get("date"))
        if kind_ != "ongoing" and not date:
            raise ApplicationError(
                gettext("deadlines.date: 请填写日期（持续性时限请选择“ongoing”）"), {"field": "date"}
            )
        if kind_ == "ongoing":
            cleaned["date"] = None
    for field, value in cleaned.items():
        before = item.get(field)
        if before != value and not (before in (None, "") and value in (None, "")):
            _correction(draft, user, item=kind, index=index, field=field, before=before, after=value)
        item[field] = value
    item["reviewed"] = True
    item["flags"] = [f for f in item.get("flags", []) if f not in ("uncertain",)]
    draft.save(update_fields=["parsed", "updated_at"])
    return item


def plan_import_set_method(*, draft: PlanImport, index: int, option: str, user=None) -> dict:
    """The office confirms or changes the measurement method of one parsed target (an option of the methods
    registry, through :mod:`plans.method_hooks`); kept in the target and bound when the plan is created."""
    if not policies.can_import_plan(user):
        raise PermissionDenied(gettext("只有领导小组办公室可以确定指标方法。"))
    if draft.status != PlanImportStatus.DRAFT:
        raise ApplicationError(gettext("该导入已处理，不能再修改"))
    items = draft.parsed.get("targets") or []
    if not 0 <= index < len(items):
        raise ApplicationError(f"targets[{index}] does not exist", {"field": "index"})
    provider = method_hooks.provider()
    if provider is None or option not in dict(provider.options()):
        raise ApplicationError(gettext("未知的计量方法：%(o)s") % {"o": option[:80]}, {"field": "method"})
    items[index][method_hooks.EXTRA_KEY] = option
    draft.save(update_fields=["parsed", "updated_at"])
    return items[index]


def plan_import_remove_item(*, draft: PlanImport, kind: str, index: int, user=None) -> None:
    if draft.status != PlanImportStatus.DRAFT:
        raise ApplicationError(gettext("该导入已处理，不能再修改"))
    items = draft.parsed.get(kind) or []
    if not 0 <= index < len(items):
        raise ApplicationError(f"{kind}[{index}] does not exist")
    removed = items.pop(index)
    kept = {k: v for k, v in removed.items() if k not in ("span", "annotation_span", "lead_resolved")}
    _correction(draft, user, item=kind, index=index, field="*", before=kept, after=None)
    draft.save(update_fields=["parsed", "updated_at"])


def draft_as_plan_data(draft: PlanImport, *, year: int | None = None, version: int | None = None) -> dict:
    data = copy.deepcopy(draft.parsed)
    data.pop("warnings", None)
    data.pop("corrections", None)
    for kind in ("targets", "measures", "deadlines"):
        for item in data.get(kind) or []:
            for key in ("span", "annotation_span", "flags", "reviewed", "lead_resolved", "cooperating_resolved"):
                item.pop(key, None)
            item.pop("original_span", None)
    # a deadline with no date ("持续推进", "长期坚持") is not a dated deadline of the plan: kept verbatim beside them
    open_deadlines = [d for d in data.get("deadlines") or [] if not d.get("date")]
    if open_deadlines:
        data["deadlines"] = [d for d in data["deadlines"] if d.get("date")]
        data["open_deadlines"] = open_deadlines
    if year:
        data["year"] = year
    data["version"] = version or 1
    data["source_text"] = draft.source_text
    return data


def plan_import_regression_case(draft: PlanImport) -> dict:
    """The reviewed draft as a regression case for the reader: the source text and the office's reading.

    ``expected`` has the layout of ``tests/plandoc_corpus/<name>.expected.json``; ``corrections`` lists what
    the office changed against the reader's output (empty when the reading was accepted as parsed)."""
    parsed = draft.parsed
    keep = {
        "measures": ("number", "title", "lead_units", "cooperating_units"),
        "targets": ("text", "indicator", "comparator", "value", "value_max", "unit", "where", "year", "baseline_year"),
        "deadlines": ("date", "kind", "date_from", "original", "where", "what"),
    }
    expected = {"format": "qualityplan.plan/1", "source_file": draft.file_name}
    expected.update({k: parsed.get(k) for k in ("title", "issuer", "date", "year")})
    for kind, fields in keep.items():
        expected[kind] = [{f: item.get(f) for f in fields if f in item} for item in parsed.get(kind) or []]
    return {
        "name": Path(draft.file_name).stem,
        "sha256": draft.sha256,
        "text": draft.source_text,
        "expected": expected,
        "corrections": parsed.get("corrections") or [],
    }


def next_version(year: int) -> int:
    last = Plan.objects.filter(year=year).order_by("-version").values_list("version", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def plan_import_commit(*, draft: PlanImport, year: int | None = None) -> Plan:
    """Create the plan from the reviewed draft; a plan of that year already present gets a new version beside it."""
    if draft.status != PlanImportStatus.DRAFT:
        raise ApplicationError(gettext("该导入已处理"))
    year = year or draft.parsed.get("year")
    if not year:
        raise ApplicationError(gettext("请填写计划年度"), {"field": "year"})
    plan, _ = plan_load(
        data=draft_as_plan_data(draft, year=year, version=next_version(year)), source_name=draft.file_name
    )
    draft.status = PlanImportStatus.CREATED
    draft.plan = plan
    draft.save(update_fields=["status", "plan", "updated_at"])
    provider = method_hooks.provider()
    if provider is not None:  # the targets bound to their methods now, the office's choices on the review included
        provider.plan_created(plan)
    return plan


def review_spans(draft: PlanImport) -> list[dict]:
    spans = []
    for kind in ("measures", "targets", "deadlines"):
        for index, item in enumerate(draft.parsed.get(kind) or []):
            span = item.get("span")
            if span and len(span) == 2 and 0 <= span[0] < span[1] <= len(draft.source_text):
                flagged = bool(item.get("flags")) or item.get("uncertain")
                spans.append({"kind": kind, "index": index, "start": span[0], "end": span[1], "flagged": bool(flagged)})
    return spans


def highlight_html(text: str, spans: list[dict]) -> str:
    """The source text with each extracted item wrapped in ``<mark id="src-<kind>-<i>">``, properly nested."""
    from django.utils.html import escape

    ordered = sorted(spans, key=lambda s: (s["start"], -s["end"]))
    out: list[str] = []
    stack: list[int] = []  # end offsets of open marks
    pos = 0

    def close_until(limit: int):
        nonlocal pos
        while stack and stack[-1] <= limit:
            end = stack.pop()
            out.append(escape(text[pos:end]))
            out.append("</mark>")
            pos = end

    for span in ordered:
        close_until(span["start"])
        out.append(escape(text[pos : span["start"]]))
        pos = span["start"]
        end = min(span["end"], stack[-1]) if stack else span["end"]  # clip partial overlaps to the outer mark
        cls = f"src src-{span['kind']}" + (" flagged" if span["flagged"] else "")
        out.append(f'<mark class="{cls}" id="src-{span["kind"]}-{span["index"]}">')
        stack.append(end)
    close_until(len(text))
    out.append(escape(text[pos:]))
    return "".join(out)
