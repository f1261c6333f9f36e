"""Writes for the indicator catalogue: indicators synced from a plan's targets, the method bound to each."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.indicators.choices import Method, PeriodType, ReporterScope, ValueType
from qualityplan.indicators.definitions import COMPUTATIONS
from qualityplan.indicators.methods import method_match, option_definition
from qualityplan.indicators.models import (
    Indicator,
)
from qualityplan.monitoring.choices import SampleScope
from qualityplan.orgs.models import Unit
from qualityplan.orgs.selectors import local_government_units
from qualityplan.plans import method_hooks
from qualityplan.plans.choices import PlanStatus
from qualityplan.plans.models import Plan

# ------------------------------------------------------------------------------------------ catalogue


def plan_for_year(year: int) -> Plan:
    plan = Plan.objects.filter(year=year, status=PlanStatus.PUBLISHED).order_by("-version").first()
    if plan is None:
        raise ApplicationError(_("%(year)s 年没有已发布的计划。") % {"year": year}, {"year": year})
    return plan


def _indicator_fields(target, d: dict) -> dict:
    return {
        "method": d["method"],
        "period_type": d["period"],
        "value_type": d.get("value_type", ValueType.COUNT if d["method"] == Method.COUNTED else ValueType.RATE),
        "reporter_scope": ReporterScope.LOCAL if d.get("reporter") == "local" else ReporterScope.LEAD_UNITS,
        "computation": d.get("computation", ""),
        "product_group": d.get("group", ""),
        "registry_kind": d.get("registry", ""),
        "standard_edition": COMPUTATIONS.get(d.get("computation", ""), ""),
        "cumulative": d["method"] == Method.COUNTED,
        # a pass rate counts the sampling its wording names (plain 抽检合格率: 监督抽检 + 评价性抽检)
        "sample_scope": (d.get("sample_scope") or SampleScope.from_wording(target.indicator or target.text))
        if d.get("computation") == "pass_rate"
        else "",
    }


@transaction.atomic
def indicator_method_set(*, user, indicator: Indicator, option: str) -> Indicator:
    """The office confirms or changes how a target is measured (an option of ``methods.method_options``); the
    choice is kept by later ``indicators_sync`` runs. Audited with the acting user."""
    from qualityplan.indicators.methods import method_options

    if not getattr(user, "is_office", False):
        raise ApplicationError(_("只有领导小组办公室可以确定指标方法。"), {"field": "method"})
    chosen = {o[0]: o[2] for o in method_options()}.get(option)
    if chosen is None:
        raise ApplicationError(_("未知的计量方法：%(o)s") % {"o": option[:80]}, {"field": "method"})
    for key, value in _indicator_fields(indicator.target, chosen).items():
        setattr(indicator, key, value)
    indicator.method_match = "confirmed"
    with acting_as(user):
        indicator.save()
    return indicator


@transaction.atomic
def indicators_sync(*, plan: Plan, update: bool = False) -> dict:
    """Create the missing indicator of each target of ``plan`` from :data:`DEFINITIONS` (idempotent).

    Stored indicators are left as they are (the office may have changed them) unless ``update`` is given.
    """
    units = {u.code: u for u in Unit.objects.all()}
    local = list(local_government_units())
    existing = {i.target_id: i for i in Indicator.objects.filter(plan=plan)}
    created = updated = 0
    unmatched, to_confirm = [], []
    for target in plan.targets.all():
        # the office's choice on the plan-import review (kept in the target's extra fields), else bound by wording
        # and unit (indicators.methods), not by the 2017 target code
        d = option_definition((target.extra or {}).get(method_hooks.EXTRA_KEY))
        how = "confirmed"
        if d is None:
            d, how = method_match(target)
        if how == "wording":
            to_confirm.append(target.code or f"T{target.pk}")
        if d is None:
            unmatched.append(target.code or f"T{target.pk}")
            d = {"method": Method.REPORTED, "period": PeriodType.YEAR, "value_type": ValueType.QUALITATIVE,
                 "responsible": ["OFFICE"]}  # fmt: skip
        fields = {"code": target.code or f"T{target.pk}", "name": target.indicator[:300], "scope": target.scope,
                  **_indicator_fields(target, d), "method_match": how}  # fmt: skip
        ind = existing.get(target.pk)
        if ind is not None and ind.method_match == "confirmed":
            continue  # the office chose or confirmed this method (and its responsible units): kept as it is
        if ind is None:
            ind = Indicator.objects.create(plan=plan, target=target, **fields)
            created += 1
        elif not update:
            continue
        elif any(getattr(ind, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(ind, k, v)
            ind.save()
            updated += 1
        want = set()
        for code in d.get("responsible", []):
            want |= {u.pk for u in local} if code == "local" else ({units[code].pk} if code in units else set())
        if set(ind.responsible_units.values_list("pk", flat=True)) != want:
            ind.responsible_units.set(want)
    # unmatched: no method found (reported yearly by the office); to_confirm: matched by wording, unit differs
    return {"created": created, "updated": updated, "unmatched": unmatched, "to_confirm": to_confirm}
