from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qualityplan.notifications.selectors import notification_inbox, notification_unread_count
from qualityplan.notifications.services import notification_mark_all_read, notification_mark_read


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
