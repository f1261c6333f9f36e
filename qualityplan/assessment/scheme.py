"""A scoring scheme (考核评分细则) as data: parse the YAML text, validate it, and walk its item tree.

Format (see docs/assessment.md and ``data/hainan-2017-scheme.yaml``)::

    code: hainan-2017          # scheme family; a new version of the same family keeps the code
    year: 2017                 # assessment year; rules that point at targets use this year's plan
    version: 1
    title: ...
    total: 100                 # the top-level items must add up to this
    grades: {A: 90, B: 80, C: 60}
    bonus_cap: 5               # 加分项 total is capped at this
    items:                     # 一级 → 二级 → 三级; a parent's points = the sum of its children's
      - code: "1"
        title: 质量目标
        points: 40
        children:
          - code: "1.1"
            title: ...
            points: 6
            rule: {type: attainment, target: T15, partial: proportional}
            basis: why this rule / which clause
            evidence: what the unit attaches
    bonus:                     # each bonus item's points are its own cap
      - {code: "B1", title: ..., points: 2, rule: {type: registry, kind: brand_product, per_item: 0.5}}
    veto:                      # 一票否决: a recorded veto event makes the grade D whatever the score
      - {code: "V1", title: 发生区域性、系统性质量安全事件, basis: 国办发〔2013〕47号}

Validation refuses a scheme with a message naming the item: points that do not add up, an unknown rule,
a rule pointing at a missing target, a duplicate item code, missing or malformed fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError


@dataclass
class Item:
    code: str
    title: str
    points: Decimal
    level: int
    rule: dict | None = None
    basis: str = ""
    evidence: str = ""
    lead: str = ""
    bonus: bool = False
    children: list[Item] = field(default_factory=list)
    parent: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def rule_type(self) -> str:
        return (self.rule or {}).get("type", "")


@dataclass
class VetoItem:
    code: str
    title: str
    basis: str = ""


@dataclass
class Scheme:
    code: str
    year: int
    version: int
    title: str
    total: Decimal
    floors: dict[str, Decimal]
    bonus_cap: Decimal
    items: list[Item]
    bonus: list[Item]
    veto: list[VetoItem]

    def walk(self) -> Iterator[Item]:
        def _walk(items):
            for item in items:
                yield item
                yield from _walk(item.children)

        yield from _walk(self.items)
        yield from self.bonus

    def leaves(self) -> list[Item]:
        """Scored items in order: the leaves of the tree, then the bonus items."""
        return [i for i in self.walk() if i.is_leaf]

    def item(self, code: str) -> Item:
        for i in self.walk():
            if i.code == code:
                return i
        raise KeyError(code)

    def top_level_of(self, code: str) -> Item | None:
        for top in self.items:
            if any(i.code == code for i in _subtree(top)):
                return top
        return None


def _subtree(item: Item) -> Iterator[Item]:
    yield item
    for child in item.children:
        yield from _subtree(child)


class SchemeError(ApplicationError):
    """An invalid scheme; ``extra["errors"]`` lists ``{"item": code, "message": text}``."""


@dataclass
class CheckContext:
    """What rule parameter checks may look at: target codes of the plan of the scheme's year, registry kinds."""

    target_codes: set[str] | None = None
    registry_kinds: set[str] | None = None
    extra: dict = field(default_factory=dict)


def _decimal(value, errors: list, code: str, what: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors.append(
            {
                "item": code,
                "message": _("项目 %(code)s：%(what)s 不是数字（%(value)s）")
                % {"code": code, "what": what, "value": value},
            }
        )
        return Decimal(0)
    if d < 0:
        errors.append({"item": code, "message": _("项目 %(code)s：%(what)s 不能为负数") % {"code": code, "what": what}})
    return d


def load_text(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark else ""
        raise SchemeError(_("评分细则不是有效的 YAML%(where)s：%(error)s") % {"where": where, "error": exc}) from exc
    if not isinstance(data, dict):
        raise SchemeError(_("评分细则应为一个映射（code/year/items …）"))
    return data


def parse(
    text_or_data: str | dict,
    *,
    rules: dict | None = None,
    context: CheckContext | None = None,
) -> Scheme:
    """Parse and validate; raise :class:`SchemeError` naming every faulty item (the first one in the message)."""
    if rules is None:
        from qualityplan.assessment.rules import ensure_loaded

        rules = ensure_loaded()
    data = load_text(text_or_data) if isinstance(text_or_data, str) else text_or_data
    context = context or CheckContext()
    errors: list[dict] = []
    seen: set[str] = set()

    for key in ("code", "year", "title", "items"):
        if key not in data:
            errors.append({"item": "", "message": _("评分细则缺少字段 %(key)s") % {"key": key}})
    if errors:
        raise _error(errors)

    def build(raw, level: int, parent: str | None, bonus: bool) -> Item | None:
        if not isinstance(raw, dict):
            errors.append(
                {"item": parent or "", "message": _("项目 %(code)s 下有一项不是映射") % {"code": parent or "—"}}
            )
            return None
        code = str(raw.get("code", "")).strip()
        title = str(raw.get("title", "")).strip()
        if not code:
            errors.append({"item": title, "message": _("项目「%(title)s」缺少编号 code") % {"title": title or "?"}})
            code = f"?{title}"
        if code in seen:
            errors.append({"item": code, "message": _("项目编号 %(code)s 重复") % {"code": code}})
        seen.add(code)
        if not title:
            errors.append({"item": code, "message": _("项目 %(code)s 缺少名称 title") % {"code": code}})
        if "points" not in raw:
            errors.append({"item": code, "message": _("项目 %(code)s 缺少分值 points") % {"code": code}})
        points = _decimal(raw.get("points", 0), errors, code, _("分值"))
        item = Item(
            code=code,
            title=title,
            points=points,
            level=level,
            rule=raw.get("rule"),
            basis=str(raw.get("basis", "") or "").strip(),
            evidence=str(raw.get("evidence", "") or "").strip(),
            lead=str(raw.get("lead", "") or "").strip(),
            bonus=bonus,
            parent=parent,
        )
        children = raw.get("children") or []
        if children and bonus:
            errors.append({"item": code, "message": _("加分项 %(code)s 不能有下级项目") % {"code": code}})
        if children and item.rule:
            errors.append({"item": code, "message": _("项目 %(code)s 既有下级项目又有评分规则") % {"code": code}})
        if level >= 3 and children:
            errors.append({"item": code, "message": _("项目 %(code)s：最多三级指标") % {"code": code}})
        for raw_child in children:
            child = build(raw_child, level + 1, code, bonus)
            if child:
                item.children.append(child)
        if item.children:
            total = sum((c.points for c in item.children), Decimal(0))
            if total != points:
                errors.append(
                    {
                        "item": code,
                        "message": _("项目 %(code)s「%(title)s」：下级分值合计 %(sum)s，与本项分值 %(points)s 不符")
                        % {"code": code, "title": title, "sum": _fmt(total), "points": _fmt(points)},
                    }
                )
        else:
            _check_rule(item, rules, context, errors)
        return item

    items = [i for i in (build(raw, 1, None, False) for raw in data.get("items") or []) if i]
    bonus = [i for i in (build(raw, 1, None, True) for raw in data.get("bonus") or []) if i]
    veto = []
    for raw in data.get("veto") or []:
        code = str((raw or {}).get("code", "")).strip()
        if not code or not str(raw.get("title", "")).strip():
            errors.append({"item": code, "message": _("否决项 %(code)s 缺少编号或名称") % {"code": code or "?"}})
            continue
        if code in seen:
            errors.append({"item": code, "message": _("项目编号 %(code)s 重复") % {"code": code}})
        seen.add(code)
        veto.append(VetoItem(code=code, title=str(raw["title"]).strip(), basis=str(raw.get("basis", "") or "")))

    total = _decimal(data.get("total", 100), errors, "total", _("总分"))
    top_sum = sum((i.points for i in items), Decimal(0))
    if top_sum != total:
        errors.append(
            {
                "item": "total",
                "message": _("一级项目分值合计 %(sum)s，与总分 %(total)s 不符")
                % {"sum": _fmt(top_sum), "total": _fmt(total)},
            }
        )
    bonus_cap = _decimal(data.get("bonus_cap", 0), errors, "bonus_cap", _("加分上限"))
    if bonus and bonus_cap == 0:
        errors.append({"item": "bonus_cap", "message": _("有加分项时必须设置加分上限 bonus_cap")})
    raw_grades = data.get("grades") or {"A": 90, "B": 80, "C": 60}
    floors = {g: _decimal(raw_grades.get(g), errors, f"grades.{g}", _("等级下限")) for g in ("A", "B", "C")}
    if not (floors["A"] > floors["B"] > floors["C"] > 0):
        errors.append({"item": "grades", "message": _("等级下限应满足 A > B > C > 0")})
    try:
        year = int(data["year"])
    except (TypeError, ValueError):
        errors.append({"item": "year", "message": _("年度 year 不是整数")})
        year = 0
    if errors:
        raise _error(errors)
    return Scheme(
        code=str(data["code"]),
        year=year,
        version=int(data.get("version", 1)),
        title=str(data["title"]),
        total=total,
        floors=floors,
        bonus_cap=bonus_cap,
        items=items,
        bonus=bonus,
        veto=veto,
    )


def _check_rule(item: Item, rules: dict, context: CheckContext, errors: list[dict]) -> None:
    rule = item.rule
    if not rule:
        errors.append(
            {
                "item": item.code,
                "message": _("项目 %(code)s「%(title)s」没有评分规则 rule") % {"code": item.code, "title": item.title},
            }
        )
        return
    if not isinstance(rule, dict) or "type" not in rule:
        errors.append({"item": item.code, "message": _("项目 %(code)s：规则应写成 {type: …}") % {"code": item.code}})
        return
    rule_type = rules.get(rule["type"])
    if rule_type is None:
        errors.append(
            {
                "item": item.code,
                "message": _("项目 %(code)s：未知的评分规则「%(type)s」（可用：%(known)s）")
                % {"code": item.code, "type": rule["type"], "known": "、".join(sorted(rules))},
            }
        )
        return
    if item.bonus and not rule_type.bonus_ok:
        errors.append(
            {
                "item": item.code,
                "message": _("项目 %(code)s：规则 %(type)s 不能用于加分项") % {"code": item.code, "type": rule["type"]},
            }
        )
    check: Callable = rule_type.check
    for message in check(item, rule, context):
        errors.append(
            {"item": item.code, "message": _("项目 %(code)s：%(message)s") % {"code": item.code, "message": message}}
        )


def _error(errors: list[dict]) -> SchemeError:
    head = errors[0]["message"]
    more = _("（另有 %(n)s 处错误）") % {"n": len(errors) - 1} if len(errors) > 1 else ""
    return SchemeError(head + more, {"errors": errors})


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
