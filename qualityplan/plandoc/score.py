"""Score the reader against hand readings: unit F1, target F1, measure and deadline recall.

A corpus is a folder of documents (``.txt``/``.docx``) each with a reading ``<stem>.expected.json`` in the
plan interchange format (``tests/plandoc_corpus/``).  What is compared (normalised: full-width → ASCII,
spaces dropped):

* **units** — the set of ``(measure number, role, unit as written)`` with role ``lead`` or ``cooperating``;
  precision, recall and F1 over the whole set (a unit under the wrong measure or in the wrong role is a miss).
* **targets** — the multiset of ``(comparator, value, value_max, unit)`` of the targets that have a value
  (qualitative targets are not scored: what counts as one is a judgement call); precision, recall, F1.
* **measures** — recall of the measure numbers.
* **deadlines** — recall of ``(kind, date)`` (``kind`` is ``date``, ``range`` or ``ongoing``).

A document whose reading has nothing of one kind and whose reading by the parser has nothing of it either
scores ``None`` for it (not applicable); the overall figures pool the counts of all documents (micro
average).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualityplan.plandoc.normalize import normalize_text
from qualityplan.plandoc.parser import parse_file
from qualityplan.plandoc.units import UnitRegister, default_register

DOC_SUFFIXES = (".txt", ".docx")


def _norm(s: Any) -> str:
    if s is None:
        return ""
    return normalize_text(str(s)).replace("\n", "").strip()


def _value(v: Any) -> float | None:
    return None if v is None else round(float(v), 6)


def unit_keys(plan: dict[str, Any]) -> Counter:
    keys: Counter = Counter()
    for m in plan.get("measures", []):
        number = _norm(m["number"])
        for role, field_ in (("lead", "lead_units"), ("cooperating", "cooperating_units")):
            for u in m.get(field_) or []:
                keys[(number, role, _norm(u))] += 1
    return keys


def target_keys(plan: dict[str, Any]) -> Counter:
    keys: Counter = Counter()
    for t in plan.get("targets", []):
        if t.get("value") is None or t.get("comparator") == "qualitative":
            continue
        keys[(t["comparator"], _value(t["value"]), _value(t.get("value_max")), _norm(t.get("unit")))] += 1
    return keys


def measure_keys(plan: dict[str, Any]) -> Counter:
    return Counter(_norm(m["number"]) for m in plan.get("measures", []))


def deadline_keys(plan: dict[str, Any]) -> Counter:
    return Counter((d.get("kind") or "date", d.get("date")) for d in plan.get("deadlines", []))


@dataclass
class Counts:
    tp: int = 0
    found: int = 0  # what the parser gave
    true: int = 0  # what the reading has

    def add(self, found: Counter, true: Counter) -> Counts:
        self.tp += sum((found & true).values())
        self.found += sum(found.values())
        self.true += sum(true.values())
        return self

    @property
    def precision(self) -> float | None:
        return None if self.found == 0 and self.true == 0 else (self.tp / self.found if self.found else 0.0)

    @property
    def recall(self) -> float | None:
        return None if self.true == 0 and self.found == 0 else (self.tp / self.true if self.true else 0.0)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass
class DocScore:
    name: str
    units: Counts = field(default_factory=Counts)
    targets: Counts = field(default_factory=Counts)
    measures: Counts = field(default_factory=Counts)
    deadlines: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)


def score_plan(name: str, plan: dict[str, Any], reading: dict[str, Any]) -> DocScore:
    s = DocScore(name)
    for attr, keys in (
        ("units", unit_keys),
        ("targets", target_keys),
        ("measures", measure_keys),
        ("deadlines", deadline_keys),
    ):
        found, true = keys(plan), keys(reading)
        getattr(s, attr).add(found, true)
        for k in (true - found).elements():
            s.misses.append(f"{attr} missed: {k}")
        if attr in ("units", "targets"):
            for k in (found - true).elements():
                s.misses.append(f"{attr} extra: {k}")
    return s


def corpus_documents(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    return sorted(p for p in folder.iterdir() if p.suffix in DOC_SUFFIXES and p.with_suffix("").name)


def reading_for(doc: Path) -> dict[str, Any]:
    return json.loads(doc.with_name(doc.stem + ".expected.json").read_text(encoding="utf-8"))


@dataclass
class CorpusScore:
    docs: list[DocScore]
    seconds: float

    def total(self, attr: str) -> Counts:
        c = Counts()
        for d in self.docs:
            x = getattr(d, attr)
            c.tp, c.found, c.true = c.tp + x.tp, c.found + x.found, c.true + x.true
        return c


def score_corpus(folder: str | Path, *, register: UnitRegister | None = None) -> CorpusScore:
    register = register or default_register()
    docs, elapsed = [], 0.0
    for doc in corpus_documents(folder):
        t0 = time.perf_counter()
        plan = parse_file(doc, register=register)
        elapsed += time.perf_counter() - t0
        docs.append(score_plan(doc.name, plan, reading_for(doc)))
    return CorpusScore(docs, elapsed)


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def report(score: CorpusScore, *, misses: bool = False) -> str:
    """A Markdown table: one line per document and the overall (pooled) figures."""
    lines = [
        "| document | unit F1 | target F1 | measure recall | deadline recall |",
        "|---|---|---|---|---|",
    ]
    for d in score.docs:
        lines.append(
            f"| {d.name} | {_fmt(d.units.f1)} ({d.units.tp}/{d.units.found}/{d.units.true}) "
            f"| {_fmt(d.targets.f1)} ({d.targets.tp}/{d.targets.found}/{d.targets.true}) "
            f"| {_fmt(d.measures.recall)} ({d.measures.tp}/{d.measures.true}) "
            f"| {_fmt(d.deadlines.recall)} ({d.deadlines.tp}/{d.deadlines.true}) |"
        )
    u, t, m, dl = (score.total(a) for a in ("units", "targets", "measures", "deadlines"))
    lines.append(
        f"| **overall ({len(score.docs)} documents)** | **{_fmt(u.f1)}** (P {_fmt(u.precision)}, R {_fmt(u.recall)}) "
        f"| **{_fmt(t.f1)}** (P {_fmt(t.precision)}, R {_fmt(t.recall)}) | **{_fmt(m.recall)}** ({m.tp}/{m.true}) "
        f"| **{_fmt(dl.recall)}** ({dl.tp}/{dl.true}) |"
    )
    lines.append("")
    lines.append("Counts in brackets: matched / found by the reader / in the hand reading.")
    lines.append(f"Parsing the whole corpus: {score.seconds:.3f} s.")
    if misses:
        for d in score.docs:
            for miss in d.misses:
                lines.append(f"- {d.name}: {miss}")
    return "\n".join(lines) + "\n"
