"""Demo: a second, earlier plan year next to the shipped 2017 plan, so that comparison and carry-over show something.

The 2016 Hainan action plan's targets are not in the reference material, so the 2016 plan is **synthetic**: the 2017
plan moved back by one year, labelled as such in its title and extra fields. Additive (issue 21): created when
missing, never replaced or deleted once it exists.
"""

from __future__ import annotations

from qualityplan.plans import interchange
from qualityplan.plans.choices import PlanStatus
from qualityplan.plans.models import Plan
from qualityplan.plans.services import plan_export, plan_load

SYNTHETIC_TITLE = "海南省贯彻落实质量发展纲要2016年行动计划（合成演示数据）"
SYNTHETIC_NOTE = "synthetic demo plan: the 2017 plan moved back one year; not the official 2016 Hainan action plan"


def load_demo(*, year: int = 2017) -> dict:
    previous = year - 1
    if Plan.objects.filter(year=previous).exists():
        return {"plan": f"{previous}: exists (kept as stored)"}
    source = Plan.objects.filter(year=year, status=PlanStatus.PUBLISHED).first()
    if source is None:
        return {"skipped": f"no published {year} plan to derive the {previous} demo plan from"}
    data = interchange.shift_years(plan_export(plan=source), -1, title=SYNTHETIC_TITLE, note=SYNTHETIC_NOTE)
    data["status"] = PlanStatus.PUBLISHED  # the earlier year's plan was in force: shown as published
    plan, _ = plan_load(data=data, source_name="synthetic (demo)")
    return {"plan": f"{previous}: created (synthetic)", "targets": plan.targets.count()}
