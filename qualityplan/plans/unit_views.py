"""A unit's page (``/orgs/<code>/``, URL name ``orgs:unit``): the unit's part of the selected plan.

It lives in ``plans`` because it shows plan data and ``orgs`` sits below ``plans`` in the layers (ADR 0005);
``config.urls`` mounts it inside the ``orgs`` namespace.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from qualityplan.orgs import policies
from qualityplan.orgs.models import Unit
from qualityplan.plans.selectors import plan_selected, unit_work


@login_required
def unit_detail(request, code: str):
    """A unit's page: what it leads and cooperates on, its targets and the plan's deadlines (public facts of the
    plan, for every signed-in user); links to its internal work only for those who may see it."""
    unit = get_object_or_404(Unit, code=code)
    if not policies.can_view_unit(request.user, unit):
        raise Http404
    plan = plan_selected(request)
    if plan is None:
        raise Http404
    work = unit_work(user=request.user, unit=unit, plan=plan)
    context = {"unit": unit, "plan": plan, **work, "groups": unit.groups.all()}
    context["private"] = policies.can_view_unit_internals(request.user, unit)
    context["own"] = request.user.unit_id == unit.id
    return render(request, "orgs/unit_detail.html", context)
