"""Credit class A–D from rules kept as data (``data/class_rules.json``; setting ``CREDIT_CLASS_RULES`` may name
another file). Each rule names a *fact* counted per enterprise as of a day, a minimum and the class it gives; the
first matching rule in the order of the file decides the class, and every matching rule is listed as a reason.

Facts (counted on the as-of day): ``blacklisted`` (严重违法失信名单 memberships), ``severe_penalties`` (吊销/责令停产
停业 in publicity), ``long_penalties`` (penalties with a publicity of 3 years or more in publicity), ``penalties``
(any penalty in publicity), ``abnormal`` (经营异常名录 memberships), ``failing_samples`` (failing 监督抽检 results
that became credit events in the last ``failing_sample_months`` months).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

FACTS = ("blacklisted", "severe_penalties", "long_penalties", "penalties", "abnormal", "failing_samples")
CLASSES = ("A", "B", "C", "D")
DEFAULT_FILE = Path(__file__).parent / "data" / "class_rules.json"


@dataclass(frozen=True)
class ClassRule:
    klass: str
    fact: str
    min: int
    reason: str


@dataclass(frozen=True)
class ClassRules:
    rules: tuple[ClassRule, ...]
    default_class: str
    default_reason: str
    failing_sample_months: int
    base_ratio: float
    multiplier: dict
    every_year: frozenset

    def classify(self, facts: dict) -> tuple[str, list[str]]:
        """(class, reasons) of one enterprise's facts (the same decision the SQL ``Case`` makes)."""
        matched = [r for r in self.rules if (facts.get(r.fact) or 0) >= r.min]
        if not matched:
            return self.default_class, [self.default_reason]
        return matched[0].klass, list(dict.fromkeys(r.reason for r in matched))

    def sampling_suggestion(self, klass: str) -> dict:
        """Next year's 双随机 sampling suggestion for a class."""
        if klass in self.every_year:
            return {"ratio": 1.0, "text": "每年必抽"}
        ratio = min(1.0, self.base_ratio * float(self.multiplier.get(klass, 1)))
        return {"ratio": ratio, "text": f"抽查比例 {ratio:.0%}"}


def parse(data: dict) -> ClassRules:
    errors = []
    rules = []
    for i, r in enumerate(data.get("rules", []), start=1):
        if r.get("class") not in CLASSES:
            errors.append(f"rule {i}: class must be one of {CLASSES}")
        if r.get("fact") not in FACTS:
            errors.append(f"rule {i}: unknown fact {r.get('fact')!r} (one of {FACTS})")
        if not isinstance(r.get("min", 1), int) or r.get("min", 1) < 1:
            errors.append(f"rule {i}: min must be a positive integer")
        rules.append(ClassRule(r.get("class"), r.get("fact"), int(r.get("min", 1) or 1), str(r.get("reason", ""))))
    default = data.get("default", {})
    if default.get("class") not in CLASSES:
        errors.append("default.class must be one of A–D")
    if errors:
        raise ValueError("; ".join(errors))
    sampling = data.get("sampling", {})
    return ClassRules(
        rules=tuple(rules),
        default_class=default["class"],
        default_reason=str(default.get("reason", "")),
        failing_sample_months=int(data.get("failing_sample_months", 12)),
        base_ratio=float(sampling.get("base_ratio", 0.05)),
        multiplier=dict(sampling.get("multiplier", {})),
        every_year=frozenset(sampling.get("every_year", ["D"])),
    )


@cache
def _load(path: str) -> ClassRules:
    return parse(json.loads(Path(path).read_text(encoding="utf-8")))


def class_rules() -> ClassRules:
    return _load(str(getattr(settings, "CREDIT_CLASS_RULES", None) or DEFAULT_FILE))
