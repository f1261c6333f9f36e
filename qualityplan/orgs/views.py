from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError
from qualityplan.orgs import policies, tokens
from qualityplan.orgs.models import Unit


@login_required
def unit_list(request):
    """The units register: public facts of every unit for every signed-in user; user counts for the office."""
    units = Unit.objects.restrict(request.user)
    if not policies.can_list_all_units(request.user):
        units = units.filter(id=request.user.unit_id)
    show_users = policies.can_see_unit_users(request.user)
    if show_users:
        units = units.annotate(n_users=Count("users"))
    context = {"units": units, "show_users": show_users}
    context["show_english"] = not get_language().startswith("zh")  # English names in the English UI only
    return render(request, "orgs/unit_list.html", context)


@login_required
def my_unit(request):
    if not request.user.unit_id:
        return redirect("orgs:units")
    return redirect("orgs:unit", code=request.user.unit.code)


@login_required
def profile(request):
    """The signed-in user's own page: account, password link, personal API tokens (create once-shown, revoke)."""
    user = request.user
    context = {"new_token": None, "error": None, "token_days": settings.API_TOKEN_DAYS}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "create":
                days = request.POST.get("days") or None
                if days is not None and not str(days).isdigit():
                    raise ApplicationError(_("有效期应为整数天数。"), {"field": "days"})
                _token, context["new_token"] = tokens.api_token_create(
                    user=user, name=request.POST.get("name", ""), days=int(days) if days else None
                )
            elif request.POST.get("action") == "revoke":
                token = get_object_or_404(tokens.api_tokens_of(user=user), pk=_int_or_404(request.POST.get("token")))
                tokens.api_token_revoke(user=user, token=token)
                messages.success(request, _("令牌已撤销。"))
                return redirect("orgs:profile")
        except ApplicationError as exc:
            context["error"] = exc.message
    context["tokens"] = tokens.api_tokens_of(user=user)
    return render(request, "orgs/profile.html", context)


def _int_or_404(value) -> int:
    if not str(value or "").isdigit():
        raise Http404
    return int(value)
