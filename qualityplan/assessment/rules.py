"""Rule registry: ``rule type → evaluator(item, unit, ctx) -> Score``, one source module per data source.

Each :class:`RuleType` names its source; the source's ``load(ctx)`` reads the rows for **all** units of the
round in a fixed number of queries and the evaluators are pure functions over that data, so scoring a
round costs the same number of queries for 1 or 20 units and for 5 or 50 items.

Points are ``Decimal`` rounded to 0.01 with GB/T 8170 half-even (``standards.rounding.gbt8170_round``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qualityplan.assessment.choices import ScoreStatus
from qualityplan.standards.rounding import gbt8170_round

QUANTUM = "0.01"


def q(value) -> Decimal:
    return gbt8170_round(Decimal(str(value)), QUANTUM)


@dataclass(frozen=True)
class Ref:
    """A record behind a point: ``kind`` in target/evaluation/task/part/summary/supervision/notice/registry/note."""

    kind: str
    id: int | str | None
    label: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Score:
    points: Decimal
    status: str
    explanation: str
    refs: tuple[Ref, ...] = ()
    value: str = ""

    VALUE_LENGTH = 100  # ItemScore.auto_value

    def __post_init__(self):
        # A rule's value is a short figure ("12/13", "95.2%"); a longer one is a defect of the rule, not data to cut.
        if len(self.value) > self.VALUE_LENGTH:
            raise ValueError(f"Score.value longer than {self.VALUE_LENGTH} characters: {self.value[:40]!r}…")

    def as_dict(self) -> dict:
        return {
            "points": str(self.points),
            "status": self.status,
            "explanation": self.explanation,
            "refs": [r.as_dict() for r in self.refs],
            "value": self.value,
        }


@dataclass
class Context:
    """One scoring run: the round's year and plan, the units, and each source's bulk-loaded data."""

    year: int
    plan: Any
    units: list
    as_of: dt.date
    data: dict[str, Any] = field(default_factory=dict)

    def source(self, name: str):
        if name not in self.data:
            self.data[name] = SOURCES[name](self)
        return self.data[name]


@dataclass(frozen=True)
class RuleType:
    name: str
    label: str
    source: str
    evaluate: Callable[..., Score]
    check: Callable[..., list[str]]
    bonus_ok: bool = False
    manual: bool = False
    basis: str = ""


RULES: dict[str, RuleType] = {}
SOURCES: dict[str, Callable[[Context], Any]] = {}


def register(rule: RuleType) -> RuleType:
    RULES[rule.name] = rule
    return rule


def register_source(name: str, loader: Callable[[Context], Any]) -> None:
    SOURCES[name] = loader


def evaluate(item, unit, ctx: Context) -> Score:
    rule = RULES[item.rule_type]
    return rule.evaluate(item, unit, ctx)


def share_of(points: Decimal, share) -> Decimal:
    share = max(Decimal(0), min(Decimal(1), Decimal(str(share))))
    return q(points * share)


def status_for(points: Decimal, maximum: Decimal) -> str:
    if points >= maximum:
        return ScoreStatus.FULL
    return ScoreStatus.PARTIAL if points > 0 else ScoreStatus.ZERO


def per_item_deduction(item, rows: list, *, label: str, kind: str) -> Score:
    """``points − per_item × len(rows)``, never below 0; ``rows`` are ``(id, text)`` pairs listed as refs of ``kind``
    (the shared scoring of the counting deduction rules ``credit`` and ``risk``)."""
    per = Decimal(str(item.rule.get("per_item", 1)))
    deduction = per * len(rows)
    points = q(max(Decimal(0), item.points - deduction))
    if not rows:
        return Score(points, status_for(points, item.points), f"{label} 0，不扣分", (), "0")
    refs = tuple(Ref(kind, pk, f"{text} −{per}") for pk, text in rows)
    floor = "，扣至 0 分为止" if deduction > item.points else ""
    text = f"{label} {len(rows)}，每项扣 {per} 分，共扣 {q(deduction)} 分{floor}"
    return Score(points, status_for(points, item.points), text, refs, str(len(rows)))


def count_rule_check(rule: dict, counts: dict, name: str) -> list[str]:
    """Parameters of a counting deduction rule: ``count`` one of ``counts``, ``per_item`` a number."""
    errors: list[str] = []
    if rule.get("count") not in counts:
        errors.append(f"{name} 规则的 count 须为 {' / '.join(counts)}")
    number_param(rule, "per_item", errors, required=True)
    return errors


def number_param(rule: dict, key: str, errors: list[str], *, required: bool = False, default=None):
    if key not in rule:
        if required:
            errors.append(f"规则缺少参数 {key}")
        return default
    try:
        value = Decimal(str(rule[key]))
    except Exception:  # noqa: BLE001 - any parse failure is a user error here
        errors.append(f"参数 {key} 不是数字（{rule[key]}）")
        return default
    if value < 0:
        errors.append(f"参数 {key} 不能为负数")
    return value


def _load_all() -> None:
    from qualityplan.assessment import sources  # noqa: F401  (registers every source module)


_load_all_done = False


def ensure_loaded() -> dict[str, RuleType]:
    global _load_all_done
    if not _load_all_done:
        _load_all()
        _load_all_done = True
    return RULES
