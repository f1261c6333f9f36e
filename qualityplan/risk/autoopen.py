"""Automatic intake: risks opened from statistical signals above the office's threshold (:class:`AutoOpenRule`).

Each qualifying signal that no risk is linked to yet goes through :func:`services.risk_from_signal` — the service
of the one-click button — so both paths make the same record (source 主动监测, ``source_ref`` = the signal's key,
the signal's numbers in the description and in ``signal``), ungraded, in 信息采集. The link is that ``source_ref``:
a second run finds every signal already linked and opens nothing.

Runs as its actor: the daily Huey job (``risk.tasks``) and ``qualityplan risk auto-open`` without ``--user`` as
``SYSTEM`` (logged as "system"), ``--user NAME`` as that user after the same policy check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.concurrency import version_check
from qualityplan.core.exceptions import ApplicationError
from qualityplan.risk import policies
from qualityplan.risk.detection import Signal, period_parse, scan
from qualityplan.risk.models import AutoOpenRule, Risk
from qualityplan.risk.services import _clean, _denied, audited, risk_from_signal

PCHART_RULES = frozenset({"above_3sigma", "exact_binomial"})
RUN_RULES = frozenset({"rising_run"})
CLUSTER_RULES = frozenset({"enterprise_cluster", "item_cluster"})
LOOKBACK_DAYS = 45  # the daily job also scans last year while its December records may still be coming in


def qualifies(signal: Signal, rule: AutoOpenRule) -> bool:
    """Whether ``signal`` is above the office's threshold (its kind ticked, enough failing batches, and — p-chart
    points only — a z of at least ``min_z``)."""
    if signal.failed < rule.min_failed:
        return False
    if signal.rule in PCHART_RULES:
        return rule.open_pchart and signal.z is not None and Decimal(str(signal.z)) >= Decimal(rule.min_z)
    if signal.rule in RUN_RULES:
        return rule.open_run
    if signal.rule in CLUSTER_RULES:
        return rule.open_cluster
    return False


@dataclass
class AutoOpenResult:
    year: int
    period: str | None
    enabled: bool
    dry_run: bool
    opened: list = field(default_factory=list)  # (signal, risk); risk is None in a dry run
    linked: int = 0  # qualifying signals a risk was already opened from
    failed: list = field(default_factory=list)  # (signal, message): refused by the intake service

    def as_dict(self) -> dict:
        return {
            "year": self.year, "period": self.period, "enabled": self.enabled, "dry_run": self.dry_run,
            "opened": [{"key": s.key, "risk": r.number if r else None} for s, r in self.opened],
            "linked": self.linked, "failed": [{"key": s.key, "message": m} for s, m in self.failed],
        }  # fmt: skip


def _check_year_period(year, period: str | None) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(_("年份无效。"), {"field": "year"})
    if period:
        try:
            p_year, _kind, _i = period_parse(period)
        except ValueError as exc:
            raise ApplicationError(_("期间格式应为 YYYY-MM 或 YYYYQn。"), {"field": "period"}) from exc
        if p_year != year:
            raise ApplicationError(_("期间须在所选年份内。"), {"field": "period"})


@audited
def risk_auto_open(*, user, year: int, period: str | None = None, dry_run: bool = False) -> AutoOpenResult:
    """Open a risk for every signal of ``year`` (or one ``period``) above the threshold and not yet linked to a risk.

    Off (``enabled`` false): opens nothing and does not scan. ``dry_run``: lists what a run would open — also while
    automatic opening is off, so the office can try a threshold before turning it on — and writes nothing. The
    threshold row is locked for the run, so two runs at once (the job and the command) cannot open a signal twice.
    A signal the intake service refuses is reported in ``failed``; the others are still opened.
    """
    if not policies.can_auto_open(user):
        raise _denied()
    _check_year_period(year, period)
    rule = AutoOpenRule.objects.select_for_update().filter(pk=1).first() or AutoOpenRule(pk=1)
    result = AutoOpenResult(year=year, period=period or None, enabled=rule.enabled, dry_run=dry_run)
    if not rule.enabled and not dry_run:
        return result
    candidates = [s for s in scan(year=year, period=period or None) if qualifies(s, rule)]
    linked = set(Risk.objects.filter(source_ref__in={s.ref for s in candidates}).values_list("source_ref", flat=True))
    for signal in candidates:
        ref = signal.ref
        if ref in linked:
            result.linked += 1
            continue
        linked.add(ref)
        if dry_run:
            result.opened.append((signal, None))
            continue
        try:
            result.opened.append((signal, risk_from_signal(user=user, signal=signal.as_dict())))
        except ApplicationError as exc:  # rolled back to its own savepoint; the run goes on
            result.failed.append((signal, exc.message))
    return result


def auto_open_years(today: dt.date) -> list[int]:
    """The years the daily job scans: this year, and last year while ``today − LOOKBACK_DAYS`` still falls in it
    (until 14 February: late sampling results of December)."""
    return sorted({today.year, (today - dt.timedelta(days=LOOKBACK_DAYS)).year})


def auto_open_daily(*, user=None, today: dt.date | None = None, dry_run: bool = False) -> list[AutoOpenResult]:
    """The daily job (and ``qualityplan risk auto-open`` without ``--year``): every year of :func:`auto_open_years`,
    as ``user`` (default ``SYSTEM``, logged as "system")."""
    from qualityplan.credit.policies import SYSTEM

    today = today or clock.today()
    return [risk_auto_open(user=user or SYSTEM, year=y, dry_run=dry_run) for y in auto_open_years(today)]


def _flag(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise ApplicationError(_("%(field)s 须为是或否。") % {"field": name}, {"field": name})
    return value


@audited
def auto_open_rule_update(
    *,
    user,
    enabled: bool,
    open_pchart: bool,
    open_run: bool,
    open_cluster: bool,
    min_z,
    min_failed: int,
    version: int | None = None,
) -> AutoOpenRule:
    """Edit the threshold (office). A stale ``version`` raises ``StaleVersion``; turning automatic opening on needs
    at least one kind of signal."""
    if not policies.can_edit_auto_open(user):
        raise _denied()
    rule = AutoOpenRule.objects.select_for_update().filter(pk=1).first() or AutoOpenRule(pk=1)
    if not rule._state.adding:
        version_check(rule, version)
    flags = {name: _flag(value, name) for name, value in
             (("enabled", enabled), ("open_pchart", open_pchart), ("open_run", open_run),
              ("open_cluster", open_cluster))}  # fmt: skip
    try:
        z = Decimal(str(min_z))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("最小 z 值须为数字。"), {"field": "min_z"}) from exc
    if not z.is_finite() or not Decimal(0) <= z <= Decimal(50) or z != z.quantize(Decimal("0.01")):
        raise ApplicationError(_("最小 z 值须在 0–50 之间，最多两位小数。"), {"field": "min_z"})
    if isinstance(min_failed, bool) or not isinstance(min_failed, int) or not 1 <= min_failed <= 100000:
        raise ApplicationError(_("最少不合格批次须为 1–100000 的整数。"), {"field": "min_failed"})
    if flags["enabled"] and not (flags["open_pchart"] or flags["open_run"] or flags["open_cluster"]):
        raise ApplicationError(_("开启自动立案时须至少选择一种信号。"), {"field": "open_pchart"})
    for name, value in flags.items():
        setattr(rule, name, value)
    rule.min_z, rule.min_failed = z, min_failed
    _clean(rule)
    rule.save()
    return rule
