"""The main navigation of every page. It lives in ``config`` (the top layer) because it names every app's pages
and shows the unread count of ``notifications``; ``core`` sits below every app (ADR 0005)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from qualityplan.notifications.selectors import notification_unread_count

# Main navigation: (url name, label, who sees it). Apps add entries here as they land.
NAV = [
    ("home", _("工作台"), "auth"),
    ("plans:overview", _("年度计划"), "all"),
    ("plans:targets", _("目标"), "all"),
    ("plans:measures", _("措施"), "all"),
    ("plans:matrix", _("责任矩阵"), "auth"),
    ("orgs:my-unit", _("本单位任务"), "auth"),
    ("indicators:dashboard", _("指标监测"), "auth"),  # the dashboard asks anonymous users to sign in
    ("monitoring:imports", _("数据导入"), "auth"),
    ("ledger:tasks", _("工作台账"), "auth"),
    ("supervision:items", _("督查督办"), "auth"),
    ("credit:enterprises", _("信用档案"), "auth"),
    ("credit:public", _("信用公示"), "all"),
    ("hotline:orders", _("12345工单"), "auth"),
    ("risk:list", _("质量风险"), "auth"),
    ("assessment:rounds", _("考核"), "auth"),
    ("notifications:inbox", _("消息"), "auth"),
    ("orgs:units", _("单位"), "auth"),
    ("plans:import", _("计划导入"), "office"),
    ("changelog", _("变更记录"), "office"),
]


def navigation(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    items = []
    for name, label, who in NAV:
        if who == "auth" and not authenticated:
            continue
        if who == "office" and not (authenticated and user.is_office):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": False, "badge": None})
    # the longest nav URL that prefixes the path is the active one (/plans/matrix/ is not also /plans/)
    matches = [i for i in items if request.path == i["url"] or (i["url"] != "/" and request.path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    if authenticated:
        unread = notification_unread_count(user=user)
        for item in items:
            if item["url"] == _safe_reverse("notifications:inbox"):
                item["badge"] = unread or None
    return {"nav_items": items}


def _safe_reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
