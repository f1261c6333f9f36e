from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language

from qualityplan.orgs.models import Unit
from qualityplan.orgs.roles import Role
from qualityplan.plans.models import Plan
from qualityplan.plans.selectors import plan_current, unit_work


def _can_see_private(user, unit: Unit) -> bool:
    """Who sees a unit's internal work (its ledger, users); its public facts are for every signed-in user."""
    return user.is_office or user.role in (Role.VIEWER, Role.INSPECTOR) or user.unit_id == unit.id


@login_required
def unit_list(request):
    """The units register: public facts of every unit for every signed-in user; user counts for the office."""
    units = Unit.objects.restrict(request.user)
    if request.user.is_office:
        units = units.annotate(n_users=Count("users"))
    context = {"units": units, "show_users": request.user.is_office}
    context["show_english"] = not get_language().startswith("zh")  # English names in the English UI only
    return render(request, "orgs/unit_list.html", context)


@login_required
def my_unit(request):
    if not request.user.unit_id:
        return redirect("orgs:units")
    return redirect("orgs:unit", code=request.user.unit.code)


@login_required
def unit_detail(request, code: str):
    """A unit's page: what it leads and cooperates on, its targets and the plan's deadlines (public facts of the
    plan, for every signed-in user); links to its internal work only for those who may see it."""
    unit = get_object_or_404(Unit, code=code)
    plans = Plan.objects.restrict(request.user)
    plan = plans.filter(pk=request.GET["plan"]).first() if request.GET.get("plan") else plan_current(user=request.user)
    if plan is None:
        raise Http404
    work = unit_work(user=request.user, unit=unit, plan=plan)
    context = {"unit": unit, "plan": plan, **work, "groups": unit.groups.all()}
    context["private"] = _can_see_private(request.user, unit)
    context["own"] = request.user.unit_id == unit.id
    return render(request, "orgs/unit_detail.html", context)
