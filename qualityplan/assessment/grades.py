"""Grade bands (A ≥ 90, B 80–89, C 60–79, D ≤ 59 by default; the scheme may set other floors) and ranking.

Basis: 国办发〔2013〕47号 《质量工作考核办法》: 考核采用评分法, 基准分为100分; 等级分为 A、B、C、D 四个等级, 90 分及
以上为 A 级, 80–89 分为 B 级, 60–79 分为 C 级, 59 分及以下为 D 级; 发生区域性、系统性质量安全事件的 (一票否决)
直接定为 D 级.

Scores carry two decimals, so "80–89" reads as 80 ≤ score < 90: 89.99 is B, 59.99 is D.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_FLOORS = {"A": Decimal("90"), "B": Decimal("80"), "C": Decimal("60")}


def grade_for(score: Decimal, *, vetoed: bool = False, floors: dict[str, Decimal] | None = None) -> str:
    """The grade of ``score``; a veto makes it D whatever the score."""
    if vetoed:
        return "D"
    floors = floors or DEFAULT_FLOORS
    for grade in ("A", "B", "C"):
        if score >= floors[grade]:
            return grade
    return "D"


def next_band(score: Decimal, *, floors: dict[str, Decimal] | None = None) -> tuple[str, Decimal] | None:
    """The next higher grade and the points missing to reach it (``None`` for A)."""
    floors = floors or DEFAULT_FLOORS
    for grade in ("C", "B", "A"):
        if score < floors[grade]:
            return grade, floors[grade] - score
    return None


def lower_band_margin(score: Decimal, *, floors: dict[str, Decimal] | None = None) -> tuple[str, Decimal] | None:
    """The grade below the current one and how many points could be lost before falling into it."""
    floors = floors or DEFAULT_FLOORS
    below = {"A": "B", "B": "C", "C": "D"}
    current = grade_for(score, floors=floors)
    if current == "D":
        return None
    return below[current], score - floors[current]


@dataclass(frozen=True)
class Ranked:
    key: object
    score: Decimal
    vetoed: bool
    rank: int


def rank(rows: Iterable[tuple[object, Decimal, bool]]) -> list[Ranked]:
    """Competition ranking (1, 2, 2, 4): score descending, vetoed units after all others."""
    ordered = sorted(rows, key=lambda r: (r[2], -r[1]))
    out: list[Ranked] = []
    prev = None
    for i, (key, score, vetoed) in enumerate(ordered, start=1):
        position = out[-1].rank if prev == (vetoed, score) else i
        out.append(Ranked(key=key, score=score, vetoed=vetoed, rank=position))
        prev = (vetoed, score)
    return out
