"""The structured scoring-scheme editor (issue 13): the YAML scheme as rows of a form and back.

Each item is edited through fields named ``<field>-<code>`` (title, points, rule, params, evidence, basis);
a parent's points are the sum of its children's, so only leaves (and bonus items) take points. Veto items are
rows ``veto-code-<n>`` / ``veto-title-<n>`` / ``veto-basis-<n>``; an empty row adds nothing, a row with an empty
code is dropped. Rule parameters are written ``key=value; key=value`` (values read as YAML scalars: 0.5 is a
number, T15 a string). The result is YAML text that goes through the same validation as the expert text box.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext as _

from qualityplan.assessment import rules
from qualityplan.assessment.scheme import SchemeError, load_text

VETO_ROWS_EXTRA = 2


def params_text(rule: dict | None) -> str:
    return "; ".join(f"{k}={v}" for k, v in (rule or {}).items() if k != "type")


def parse_params(code: str, text: str) -> dict:
    out = {}
    for part in (text or "").replace("；", ";").split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise SchemeError(
                _("项目 %(code)s 的规则参数：“%(part)s”应写成 名称=值") % {"code": code, "part": part.strip()},
                {"errors": [{"item": code, "message": _("规则参数应写成 名称=值，多个参数用分号分隔")}]},
            )
        out[key.strip()] = yaml.safe_load(value.strip()) if value.strip() else ""
    return out


def rows(text: str) -> dict:
    """The form's rows for a scheme text: items in tree order with their level, bonus items, veto rows."""
    data = load_text(text)

    def walk(items, level, bonus=False):
        for it in items or []:
            children = it.get("children") or []
            yield {
                "code": str(it.get("code", "")),
                "title": it.get("title", ""),
                "points": it.get("points", ""),
                "rule": (it.get("rule") or {}).get("type", ""),
                "params": params_text(it.get("rule")),
                "evidence": it.get("evidence", ""),
                "basis": it.get("basis", ""),
                "level": level,
                "leaf": not children,
                "bonus": bonus,
            }
            yield from walk(children, level + 1, bonus)

    veto = [
        {"code": v.get("code", ""), "title": v.get("title", ""), "basis": v.get("basis", "")}
        for v in data.get("veto") or []
    ]
    veto += [{"code": "", "title": "", "basis": ""} for _n in range(VETO_ROWS_EXTRA)]
    return {
        "items": list(walk(data.get("items"), 1)),
        "bonus": list(walk(data.get("bonus"), 1, bonus=True)),
        "veto": veto,
        "rule_types": sorted((r.name, str(r.label)) for r in rules.ensure_loaded().values()),
    }


def _points(code: str, raw: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise SchemeError(
            _("项目 %(code)s 的分值：“%(raw)s”不是有效的数字") % {"code": code, "raw": raw},
            {"errors": [{"item": code, "message": _("分值必须是数字")}]},
        ) from exc
    if not value.is_finite() or value < 0:
        raise SchemeError(
            _("项目 %(code)s 的分值不能为负数") % {"code": code},
            {"errors": [{"item": code, "message": _("分值不能为负数")}]},
        )
    return value


def apply(text: str, post) -> str:
    """The scheme text with the form's values applied (parents' points re-added); raises ``SchemeError``."""
    data = load_text(text)

    def update(items) -> Decimal:
        total = Decimal(0)
        for it in items or []:
            code = str(it.get("code", ""))
            for key in ("title", "evidence", "basis"):
                if f"{key}-{code}" in post:
                    value = post.get(f"{key}-{code}", "").strip()
                    if value or key == "title":
                        it[key] = value
                    else:
                        it.pop(key, None)
            children = it.get("children") or []
            if children:
                it["points"] = _number(update(children))
            else:
                if f"points-{code}" in post:
                    it["points"] = _number(_points(code, post.get(f"points-{code}", "")))
                if f"rule-{code}" in post:
                    rule = {"type": post.get(f"rule-{code}", "").strip()}
                    rule.update(parse_params(code, post.get(f"params-{code}", "")))
                    it["rule"] = rule
            total += Decimal(str(it.get("points", 0) or 0))
        return total

    update(data.get("items"))
    update(data.get("bonus"))
    veto = []
    n = 0
    while f"veto-code-{n}" in post:
        code = post.get(f"veto-code-{n}", "").strip()
        if code:
            row = {"code": code, "title": post.get(f"veto-title-{n}", "").strip()}
            if post.get(f"veto-basis-{n}", "").strip():
                row["basis"] = post.get(f"veto-basis-{n}", "").strip()
            veto.append(row)
        n += 1
    if n:
        data["veto"] = veto
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def _number(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)
