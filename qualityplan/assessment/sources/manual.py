"""Rule ``manual``: scored by the office with a note (the unit self-scores with evidence first).

The evaluator contributes no points itself; the final points are the office's verified points (or the unit's
self-score the office accepted when verifying the unit), see ``services.item_final``.
"""

from __future__ import annotations

from qualityplan.assessment.choices import ScoreStatus
from qualityplan.assessment.rules import RuleType, Score, q, register


def evaluate(item, unit, ctx) -> Score:
    return Score(q(0), ScoreStatus.PENDING, "人工评分项：由单位自评、办公室核定")


def check(item, rule: dict, context) -> list[str]:
    return []


register(
    RuleType(
        name="manual",
        label="人工评分",
        source="manual",
        evaluate=evaluate,
        check=check,
        bonus_ok=True,
        manual=True,
        basis="单位自评 + 办公室核查",
    )
)
