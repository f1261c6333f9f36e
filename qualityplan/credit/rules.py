"""The national credit rules, as pure date arithmetic (no Django, no database).

Sources (see ``docs/credit.md`` and ``docs/domain/workflow-rules.md`` §2 and §5):

* 市场监督管理行政处罚信息公示规定 (总局令第45号): warning-only penalties are not published; publicity lasts
  3 months for 通报批评 or a 较低数额罚款, 3 years otherwise, the 限制从业 term when longer than 3 years.
* 市场监督管理信用修复管理办法 (2021): early stop of a penalty's publicity may be applied for after 6 months of
  publicity (1 year for 食品, 药品, 特种设备), never for 责令停产停业, 限制生产经营, 限制从业, 降低资质等级, 吊销.
* 市场监督管理严重违法失信名单管理办法 (总局令第44号): listed 3 years; early removal after 1 year.
* Recheck windows: 食品安全法 Art.88 (7 working days), 农产品质量安全法 Art.51 (5 working days), 产品质量法
  Art.15 (15 days, calendar; the last day moves to the next working day when it is a rest day, 民法典 Art.203).

Periods count calendar months/years from the start date as ``dateutil.relativedelta`` does (end-of-month clamped:
2024-02-29 + 1 year = 2025-02-28); the last day of a period is ``start + period - 1 day``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from qualityplan.standards import workdays

ONE_DAY = dt.timedelta(days=1)

# Penalty kinds (行政处罚法 Art.9 and 总局令第45号), value = the code stored and accepted in files.
WARNING = "警告"
CIRCULATE = "通报批评"
FINE = "罚款"
CONFISCATE = "没收"
SUSPEND = "责令停产停业"
RESTRICT_OPERATION = "限制生产经营"
DOWNGRADE = "降低资质等级"
REVOKE = "吊销"
RESTRICT_PRACTICE = "限制从业"
PENALTY_KINDS = (
    WARNING,
    CIRCULATE,
    FINE,
    CONFISCATE,
    SUSPEND,
    RESTRICT_OPERATION,
    DOWNGRADE,
    REVOKE,
    RESTRICT_PRACTICE,
)
PENALTY_ALIASES = {
    "没收违法所得": CONFISCATE,
    "没收非法财物": CONFISCATE,
    "没收违法所得、没收非法财物": CONFISCATE,
    "吊销许可证件": REVOKE,
    "吊销营业执照": REVOKE,
    "吊销许可证件/营业执照": REVOKE,
    "暂扣许可证件": SUSPEND,
    "责令关闭": SUSPEND,
}
# Penalties whose publicity can never be stopped early (信用修复管理办法 Art.14(3)).
NOT_REPAIRABLE = frozenset({SUSPEND, RESTRICT_OPERATION, RESTRICT_PRACTICE, DOWNGRADE, REVOKE})
# Penalties that put an enterprise in class D while in publicity (documented default).
SEVERE = frozenset({SUSPEND, REVOKE})

# Domains with the longer repair wait.
FOOD, DRUG, SPECIAL_EQUIPMENT, OTHER = "食品", "药品", "特种设备", "其他"
DOMAINS = (FOOD, DRUG, SPECIAL_EQUIPMENT, OTHER)
LONG_REPAIR_DOMAINS = frozenset({FOOD, DRUG, SPECIAL_EQUIPMENT})

SHORT_MONTHS = 3  # 通报批评 / 较低数额罚款
LONG_MONTHS = 36  # everything else
BLACKLIST_MONTHS = 36
BLACKLIST_EARLY_MONTHS = 12

# Recheck windows: product group -> (length, "workdays" | "days")
RECHECK_FOOD, RECHECK_AGRI, RECHECK_OTHER = "food", "agri", "other"
RECHECK_WINDOWS = {RECHECK_FOOD: (7, "workdays"), RECHECK_AGRI: (5, "workdays"), RECHECK_OTHER: (15, "days")}


class RuleError(ValueError):
    """An input the rules cannot apply to (unknown penalty kind, missing amount flag, ...)."""


@dataclass(frozen=True)
class Publicity:
    """A publicity (or list) period: ``start`` to ``last`` inclusive; ``repair_from``: first day an early stop
    (or early removal) may be applied for, ``None`` when never."""

    start: dt.date
    last: dt.date
    months: int
    repair_from: dt.date | None

    def shows_on(self, day: dt.date, ended_on: dt.date | None = None) -> bool:
        """In publicity on ``day``; ``ended_on`` (a granted repair / removal) ends it that day."""
        return self.start <= day <= self.last and (ended_on is None or day < ended_on)


def period_last_day(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` calendar months from ``start``: start + months - 1 day."""
    return start + relativedelta(months=months) - ONE_DAY


def normalise_penalties(kinds: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for raw in kinds:
        k = raw.strip()
        if not k:
            continue
        k = PENALTY_ALIASES.get(k, k)
        if k not in PENALTY_KINDS:
            raise RuleError(f"unknown penalty kind {raw.strip()!r} (one of {', '.join(PENALTY_KINDS)})")
        if k not in out:
            out.append(k)
    return tuple(out)


def penalty_publicity_months(kinds: Iterable[str], *, lower_amount: bool | None, restrict_years: int | None) -> int:
    """Publicity length in months (0: not published) for a penalty with these ``kinds``."""
    ks = set(kinds)
    if not ks:
        raise RuleError("a penalty needs at least one kind")
    if ks == {WARNING}:
        return 0
    if FINE in ks and lower_amount is None:
        raise RuleError("a fine needs lower_amount (较低数额: yes/no)")
    if RESTRICT_PRACTICE in ks and not restrict_years:
        raise RuleError("限制从业 needs restrict_years")
    heavy = ks - {WARNING, CIRCULATE, FINE}
    months = LONG_MONTHS if heavy or (FINE in ks and not lower_amount) else SHORT_MONTHS
    if RESTRICT_PRACTICE in ks and restrict_years and restrict_years * 12 > months:
        months = restrict_years * 12
    return months


def repair_wait_months(domain: str) -> int:
    return 12 if domain in LONG_REPAIR_DOMAINS else 6


def penalty_publicity(
    *,
    decision_date: dt.date,
    published_on: dt.date | None,
    kinds: Iterable[str],
    lower_amount: bool | None,
    restrict_years: int | None,
    domain: str,
) -> Publicity | None:
    """The publicity of one 行政处罚, or ``None`` when it is not published (warning only)."""
    kinds = normalise_penalties(kinds)
    if domain not in DOMAINS:
        raise RuleError(f"unknown domain {domain!r} (one of {', '.join(DOMAINS)})")
    months = penalty_publicity_months(kinds, lower_amount=lower_amount, restrict_years=restrict_years)
    if months == 0:
        return None
    start = published_on or decision_date
    last = period_last_day(start, months)
    repair_from = None
    if not NOT_REPAIRABLE.intersection(kinds):
        candidate = start + relativedelta(months=repair_wait_months(domain))
        if candidate <= last:
            repair_from = candidate
    return Publicity(start=start, last=last, months=months, repair_from=repair_from)


def blacklist_period(listed_on: dt.date) -> Publicity:
    """严重违法失信名单: 3 years from listing; early removal may be applied for after 1 year."""
    return Publicity(
        start=listed_on,
        last=period_last_day(listed_on, BLACKLIST_MONTHS),
        months=BLACKLIST_MONTHS,
        repair_from=listed_on + relativedelta(months=BLACKLIST_EARLY_MONTHS),
    )


def recheck_group(product_group: str) -> str:
    """Recheck rule of a sampling product group (``monitoring.ProductGroup`` values)."""
    return {"food": RECHECK_FOOD, "agri": RECHECK_AGRI}.get(product_group, RECHECK_OTHER)


def recheck_last_day(received_on: dt.date, group: str) -> dt.date:
    """Last day on which a recheck may be applied for, counting from the day after receipt of the result."""
    length, unit = RECHECK_WINDOWS[group]
    if unit == "workdays":
        return workdays.add_workdays(received_on, length)
    last = received_on + dt.timedelta(days=length)
    while not workdays.is_workday(last):  # 民法典 Art.203: a period ending on a rest day ends on the next working day
        last += ONE_DAY
    return last


def failing_sample_effective(received_on: dt.date, group: str) -> dt.date:
    """The working day on which an unchallenged failing result becomes a credit event: the first working day after
    the last day of its recheck window."""
    return workdays.add_workdays(recheck_last_day(received_on, group), 1)
