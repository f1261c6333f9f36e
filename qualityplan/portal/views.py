"""The home page: the signed-in user's workbench (工作台); the public plan overview for everyone else."""

from django.shortcuts import redirect, render

from qualityplan.core.policies import is_signed_in
from qualityplan.portal.selectors import workbench


def home(request):
    if not is_signed_in(request.user):
        return redirect("plans:overview")
    entries = workbench(user=request.user)
    return render(
        request,
        "portal/workbench.html",
        {"entries": entries, "total": sum(e.count for e in entries if e.key != "inbox")},
    )
