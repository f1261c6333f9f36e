from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from qualityplan.orgs import policies
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Plan
from qualityplan.plans.selectors import plan_current, unit_work


def _can_see_unit(user, unit: Unit) -> bool:
    return policies.can_view_unit(user, unit)


@login_required
def unit_list(request):
    units = Unit.objects.restrict(request.user).annotate(n_users=Count("users"))
    if not policies.can_list_all_units(request.user):
        units = units.filter(id=request.user.unit_id)
    return render(request, "orgs/unit_list.html", {"units": units})


@login_required
def my_unit(request):
    if not request.user.unit_id:
        return redirect("orgs:units")
    return redirect("orgs:unit", code=request.user.unit.code)


@login_required
def unit_detail(request, code: str):
    """本单位任务: what the unit leads and cooperates on, its targets and the plan's deadlines."""
    unit = get_object_or_404(Unit, code=code)
    if not _can_see_unit(request.user, unit):
        raise Http404  # do not reveal other units' pages to reporters
    plans = Plan.objects.restrict(request.user)
    plan = plans.filter(pk=request.GET["plan"]).first() if request.GET.get("plan") else plan_current(user=request.user)
    if plan is None:
        raise Http404
    work = unit_work(user=request.user, unit=unit, plan=plan)
    return render(request, "orgs/unit_detail.html", {"unit": unit, "plan": plan, **work, "groups": unit.groups.all()})
