from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core.exceptions import ApplicationError
from qualityplan.notifications.choices import NotificationKind
from qualityplan.notifications.models import NotificationPreference
from qualityplan.notifications.selectors import notification_inbox, notification_unread_count
from qualityplan.notifications.services import notification_mark_all_read, notification_mark_read, preference_update


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_inbox(user=request.user, unread_only=unread_only), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_count": notification_unread_count(user=request.user), "unread_only": unread_only},
    )


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(notification_inbox(user=request.user), pk=pk)
    notification_mark_read(notification=notification, user=request.user)
    if request.POST.get("go") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):  # own paths
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """The user's own delivery settings: e-mail on/off, per message type, at once or as a daily digest."""
    pref = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(user=request.user)
    status = 200
    if request.method == "POST" and request.POST.get("form") != "preferences":
        # unchecked boxes are simply absent, so only the page's own form (marked) may turn e-mail off
        messages.error(request, _("消息设置：请通过本页的表单保存。"))
        status = 400
    elif request.method == "POST":
        try:
            preference_update(
                user=request.user,
                email_enabled=request.POST.get("email_enabled") == "1",
                daily_digest=request.POST.get("daily_digest") == "1",
                email_muted_kinds=[k for k in NotificationKind.values if request.POST.get(f"kind_{k}") != "1"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("消息设置已保存。"))
            return redirect("notifications:preferences")
    muted = set(pref.email_muted_kinds or [])
    kinds = [(value, label, value not in muted) for value, label in NotificationKind.choices]
    return render(request, "notifications/preferences.html", {"pref": pref, "kinds": kinds}, status=status)
