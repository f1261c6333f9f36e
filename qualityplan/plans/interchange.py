"""The plan interchange format (``qualityplan.plan/1``): validation and normalisation without the database.

See docs/plan-format.md. The shape is that of the checked seed reading: ``title, issuer, date, targets[],
measures[], deadlines[]`` plus ``format, year, version, sections[]``. Keys the platform does not model are
kept verbatim (``extra``) so that load → export is lossless.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from qualityplan.core.exceptions import ApplicationError

FORMAT = "qualityplan.plan/1"
COMPARATORS = (">=", "<=", "=", "reduce_by", "increase_by", "qualitative")
GROUPS = ("product", "engineering", "service", "environment", "other")
SCOPES = ("province", "each_unit")

PLAN_KEYS = (
    "format",
    "year",
    "version",
    "title",
    "issuer",
    "date",
    "status",
    "sections",
    "targets",
    "measures",
    "deadlines",
)
TARGET_KEYS = (
    "text", "indicator", "comparator", "value", "value_max", "unit", "where", "note", "uncertain",
    "code", "group", "scope", "baseline_year", "baseline_value",
)  # fmt: skip
MEASURE_KEYS = ("number", "title", "text", "lead_units", "cooperating_units", "label", "note")
DEADLINE_KEYS = ("date", "what", "where", "original", "uncertain", "note")
SECTION_GROUP = {"产品质量": "product", "工程质量": "engineering", "服务质量": "service", "环境质量": "environment"}

#: the plans shipped with qualityplan (loaded by `bootstrap`)
SHIPPED_PLANS_DIR = Path(__file__).resolve().parent / "data"


class PlanFormatError(ApplicationError):
    pass


def read_plan_file(path: str | Path) -> dict:
    """Read a plan file (JSON or YAML by extension); a clear error naming the file otherwise."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFormatError(f"{path}: cannot read: {exc}") from exc
    try:
        data = yaml.safe_load(raw) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise PlanFormatError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}") from exc
    if not isinstance(data, dict):
        raise PlanFormatError(f"{path}: a plan file must hold one object with title, targets, measures, deadlines")
    text_file = data.get("text_file")
    if text_file and "source_text" not in data and (path.parent / text_file).is_file():
        data["source_text"] = (path.parent / text_file).read_text(encoding="utf-8")
    return data


def _err(where: str, message: str) -> PlanFormatError:
    return PlanFormatError(f"{where}: {message}", {"field": where})


def _decimal(value, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _err(where, f"{value!r} is not a number")
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise _err(where, f"{value!r} is not a number") from exc
    if not result.is_finite():
        raise _err(where, f"{value!r} is not a finite number")
    return result


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise _err(where, f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _str_list(value, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _err(where, "must be a list of unit names")
    return [v.strip() for v in value]


def section_level(number: str) -> int:
    return number.count(".") + 1


def default_group(where: str, sections: dict[str, str]) -> str:
    return SECTION_GROUP.get(sections.get(where, ""), "other")


def normalise(data: dict) -> dict:
    """Validate a plan dict and return it with typed values; raises naming the item and field."""
    if not isinstance(data, dict):
        raise PlanFormatError("a plan must be an object")
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        raise _err("format", f"unsupported format {fmt!r}; expected {FORMAT!r}")
    for key in ("title",):
        if not data.get(key):
            raise _err(key, "is required")
    date = _date(data["date"], "date") if data.get("date") else None
    year = data.get("year")
    if year is None:
        m = re.search(r"(\d{4})年", data["title"])
        year = int(m.group(1)) if m else (date.year if date else None)
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise _err("year", f"{year!r} is not a plan year")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise _err("version", f"{version!r} must be a positive integer")

    sections = []
    seen_sections = set()
    for i, s in enumerate(data.get("sections") or []):
        where = f"sections[{i}]"
        if not isinstance(s, dict) or not s.get("number"):
            raise _err(f"{where}.number", "is required")
        if s["number"] in seen_sections:
            raise _err(f"{where}.number", f"duplicate section {s['number']!r}")
        seen_sections.add(s["number"])
        sections.append({"number": str(s["number"]), "title": str(s.get("title") or "")})
    section_titles = {s["number"]: s["title"] for s in sections}

    measures = []
    seen_measures = set()
    for i, m in enumerate(data.get("measures") or []):
        where = f"measures[{i}]"
        if not isinstance(m, dict):
            raise _err(where, "must be an object")
        for key in ("number", "title"):
            if not m.get(key):
                raise _err(f"{where}.{key}", "is required")
        if m["number"] in seen_measures:
            raise _err(f"{where}.number", f"duplicate measure number {m['number']!r}")
        seen_measures.add(m["number"])
        measures.append(
            {
                "number": str(m["number"]),
                "title": str(m["title"]),
                "text": str(m.get("text") or ""),
                "lead_units": _str_list(m.get("lead_units"), f"{where}.lead_units"),
                "cooperating_units": _str_list(m.get("cooperating_units"), f"{where}.cooperating_units"),
                "label": str(m.get("label") or ""),
                "note": str(m.get("note") or ""),
                "extra": {k: v for k, v in m.items() if k not in MEASURE_KEYS},
            }
        )

    targets = []
    for i, t in enumerate(data.get("targets") or []):
        where = f"targets[{i}]"
        if not isinstance(t, dict):
            raise _err(where, "must be an object")
        for key in ("text", "indicator", "comparator", "where"):
            if not t.get(key):
                raise _err(f"{where}.{key}", "is required")
        if t["comparator"] not in COMPARATORS:
            raise _err(f"{where}.comparator", f"{t['comparator']!r} is not one of {', '.join(COMPARATORS)}")
        value = _decimal(t.get("value"), f"{where}.value")
        if t["comparator"] != "qualitative" and value is None:
            raise _err(f"{where}.value", f"is required for comparator {t['comparator']!r}")
        group = t.get("group") or default_group(t["where"], section_titles)
        if group not in GROUPS:
            raise _err(f"{where}.group", f"{group!r} is not one of {', '.join(GROUPS)}")
        scope = t.get("scope") or ("each_unit" if str(t["indicator"]).startswith("各市县") else "province")
        if scope not in SCOPES:
            raise _err(f"{where}.scope", f"{scope!r} is not one of {', '.join(SCOPES)}")
        measure_number = t["where"] if t["where"] in seen_measures else None
        targets.append(
            {
                "text": str(t["text"]),
                "indicator": str(t["indicator"]),
                "comparator": t["comparator"],
                "value": value,
                "value_max": _decimal(t.get("value_max"), f"{where}.value_max"),
                "unit": str(t.get("unit") or ""),
                "where": str(t["where"]),
                "note": str(t.get("note") or ""),
                "uncertain": bool(t.get("uncertain", False)),
                "code": str(t.get("code") or f"T{i + 1:02d}"),
                "group": group,
                "scope": scope,
                "baseline_year": t.get("baseline_year"),
                "baseline_value": _decimal(t.get("baseline_value"), f"{where}.baseline_value"),
                "measure": measure_number,
                "extra": {k: v for k, v in t.items() if k not in TARGET_KEYS},
            }
        )

    deadlines = []
    for i, d in enumerate(data.get("deadlines") or []):
        where = f"deadlines[{i}]"
        if not isinstance(d, dict):
            raise _err(where, "must be an object")
        for key in ("date", "what", "where"):
            if not d.get(key):
                raise _err(f"{where}.{key}", "is required")
        deadlines.append(
            {
                "date": _date(d["date"], f"{where}.date"),
                "what": str(d["what"]),
                "where": str(d["where"]),
                "original": str(d.get("original") or ""),
                "uncertain": bool(d.get("uncertain", False)),
                "note": str(d.get("note") or ""),
                "extra": {k: v for k, v in d.items() if k not in DEADLINE_KEYS},
            }
        )
    status = data.get("status", "draft")  # a loaded plan is a draft unless the file says otherwise
    if status not in ("draft", "published", "withdrawn"):
        raise _err("status", f"{status!r} is not one of draft, published, withdrawn")
    return {
        "year": year,
        "version": version,
        "title": str(data["title"]),
        "issuer": str(data.get("issuer") or ""),
        "date": date,
        "status": status,
        "source_text": str(data.get("source_text") or ""),
        "sections": sections,
        "measures": measures,
        "targets": targets,
        "deadlines": deadlines,
        "extra": {k: v for k, v in data.items() if k not in PLAN_KEYS and k != "source_text"},
    }


def number_out(value: Decimal | None):
    """Decimal → int when integral, else float: 50 stays 50, 92.5 stays 92.5 (as in the seed reading)."""
    if value is None:
        return None
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def dump(data: dict, fmt: str) -> str:
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    raise PlanFormatError(f"unknown format {fmt!r}; use json or yaml")


def shift_years(data: dict, years: int, *, title: str | None = None, note: str = "") -> dict:
    """A copy of plan ``data`` moved by ``years`` years: the plan year, every date (issue date, deadlines), target
    baseline years and the year named in the title. Used for the synthetic demo year and the year-over-year tests;
    ``note`` is kept in the plan's extra fields (e.g. that the plan is synthetic)."""

    def move(value):
        if not value:
            return value
        d = dt.date.fromisoformat(str(value))
        try:
            return d.replace(year=d.year + years).isoformat()
        except ValueError:  # 29 February
            return d.replace(year=d.year + years, day=28).isoformat()

    old_year = int(data["year"])
    out = copy.deepcopy(data)
    out["year"] = old_year + years
    out["date"] = move(out.get("date"))
    out["title"] = title or str(out["title"]).replace(str(old_year), str(old_year + years))
    out.pop("status", None)
    out.pop("text_file", None)
    out.pop("source_text", None)
    for d in out.get("deadlines", []):
        d["date"] = move(d.get("date"))
        for key in ("what", "original"):
            if d.get(key):
                d[key] = str(d[key]).replace(f"{old_year}年", f"{old_year + years}年")
    for t in out.get("targets", []):
        if t.get("baseline_year"):
            t["baseline_year"] = int(t["baseline_year"]) + years
    if note:
        out["synthetic_note"] = note
    return out
