"""The shared year/plan switcher: every page that shows plan data offers the plans the user may open and marks the
one chosen (remembered in the session, see ``plans.selectors.plan_selected``)."""

from qualityplan.plans.selectors import plan_selected, plans_for_switcher


def plan_switcher(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if request.resolver_match is None or request.resolver_match.app_name not in SWITCHER_APPS:
        return {}
    return {
        "switcher_plans": plans_for_switcher(request),
        "selected_plan": plan_selected(request),
    }


# the apps whose pages show plan data (and read the chosen plan through plan_selected)
SWITCHER_APPS = {"plans", "orgs", "indicators", "ledger"}
