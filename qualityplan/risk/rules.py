"""The risk matrix and disposal deadlines, read from :class:`LevelRule` rows (data, edited by the office).

Defaults (seeded by migration ``0002``; workflow-rules §6 [I]): score = probability (1–4) × severity (1–4);
I 红 ≥ 12, II 橙 8–11, III 黄 4–7, IV 蓝 ≤ 3; disposal within I: the same working day, II: 3, III: 10, IV: 20
working days.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError
from qualityplan.standards.workdays import add_workdays, is_workday

DEFAULT_LEVELS = (
    # level, min score, colour, disposal working days
    ("I", 12, "red", 0),
    ("II", 8, "orange", 3),
    ("III", 4, "yellow", 10),
    ("IV", 1, "blue", 20),
)


def level_rules() -> list:
    """The bands, highest first."""
    from qualityplan.risk.models import LevelRule

    rows = list(LevelRule.objects.order_by("-min_score"))
    if not rows:
        raise ApplicationError(_("尚未配置风险等级规则。"), {"field": "level"})
    return rows


def score_of(probability: int, severity: int) -> int:
    for name, value in (("probability", probability), ("severity", severity)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise ApplicationError(_("%(field)s 须为 1–4 的整数。") % {"field": name}, {"field": name})
    return probability * severity


def level_for(score: int, rules: list | None = None):
    """The :class:`LevelRule` whose band contains ``score`` (the highest band with ``min_score ≤ score``)."""
    for rule in rules if rules is not None else level_rules():
        if score >= rule.min_score:
            return rule
    raise ApplicationError(_("风险值 %(score)s 不在任何等级范围内。") % {"score": score}, {"field": "score"})


def due_date(assigned_on: dt.date, workdays: int) -> dt.date:
    """The deadline ``workdays`` working days after ``assigned_on``; 0 = the same day (the next working day when
    assigned on a rest day)."""
    if workdays == 0:
        return assigned_on if is_workday(assigned_on) else add_workdays(assigned_on, 1)
    return add_workdays(assigned_on, workdays)
