"""督查督办 pages: list, 立项, item detail with the actions the user may take, notices, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core import clock
from qualityplan.core.db_routing import replica_reads
from qualityplan.core.exceptions import ApplicationError
from qualityplan.standards.workdays import workdays_between
from qualityplan.supervision import policies, selectors, services, workflow
from qualityplan.supervision.choices import AssignmentRole, ItemSource, ItemStatus, NoticeKind
from qualityplan.supervision.exports import supervision_xlsx
from qualityplan.supervision.forms import ItemForm
from qualityplan.supervision.models import RectificationItem


@login_required
def item_list(request):
    filters = {k: request.GET.get(k) for k in ("status", "source", "q", "year")}
    qs = selectors.item_list(user=request.user, filters=filters)
    counts = dict(selectors.item_list(user=request.user).order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "supervision/items.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "filters": filters,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in ItemStatus.choices],
            "sources": ItemSource.choices,
            "today": clock.today(),
        },
    )


@login_required
def item_create(request):
    if not policies.can_create_item(request.user):
        raise PermissionDenied
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.item_create(
                user=request.user,
                title=d["title"],
                source=d["source"],
                source_ref=d["source_ref"],
                requirement=d["requirement"],
                lead_unit=d["lead_unit"],
                cooperating_units=list(d["cooperating_units"]),
                deadline_workdays=d["deadline_workdays"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已立项：%(n)s") % {"n": item.number})
            return redirect("supervision:item", pk=item.pk)
    return render(request, "supervision/item_form.html", {"form": form})


@login_required
def item_detail(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    today = clock.today()
    actors = services.item_actors(user=request.user, item=item)
    rects = []
    for rect in item.rectifications.select_related("unit"):
        r_actors = services.rectification_actors(user=request.user, rectification=rect)
        rects.append((rect, workflow.available(workflow.RECTIFICATION, rect.status, r_actors)))
    left = None
    if item.deadline and item.status in ItemStatus.clock_running():
        try:
            left = workdays_between(today, item.deadline)
        except ValueError:
            left = None
    return render(
        request,
        "supervision/item_detail.html",
        {
            "item": item,
            "actions": workflow.available(workflow.ITEM, item.status, actors),
            # 主办 before 协办
            "assignments": item.assignments.select_related("unit").order_by(
                Case(When(role=AssignmentRole.LEAD, then=0), default=1), "id"
            ),
            "rects": rects,
            "reports": item.reports.select_related("unit", "rectification"),
            "notices": item.notices.select_related("unit"),
            "events": item.events.select_related("user", "rectification"),
            "workdays_left": left,
            "today": today,
            "is_office": policies.can_see_office_controls(request.user),
        },
    )


def _form_data(request) -> dict:
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "file")}
    upload = request.FILES.get("file")
    if upload is not None and upload.name:  # an empty file input still posts a nameless part
        data["file"] = upload
    return data


@login_required
@require_POST
def item_action(request, pk: int, action: str):
    item = selectors.item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    try:
        services.item_transition(user=request.user, item=item, action=action, data=_form_data(request))
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    else:
        messages.success(request, _("操作成功：%(a)s") % {"a": workflow.TRANSITIONS[(workflow.ITEM, action)].label})
    return redirect("supervision:item", pk=pk)


@login_required
@require_POST
def rectification_add(request, pk: int):
    item = selectors.item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    try:
        unit = item.assignments.filter(unit_id=request.POST.get("unit")).first()
        services.rectification_add(
            user=request.user,
            item=item,
            title=request.POST.get("title", "").strip() or _("整改事项"),
            unit=unit.unit if unit else None,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:item", pk=pk)


@login_required
@require_POST
def rectification_action(request, pk: int, action: str):
    rect = RectificationItem.objects.filter(pk=pk).select_related("item").first()
    if rect is None or selectors.item_get(user=request.user, pk=rect.item_id) is None:
        raise Http404
    try:
        services.rectification_transition(
            user=request.user, rectification=rect, action=action, data=_form_data(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:item", pk=rect.item_id)


@login_required
def notice_list(request):
    kind = request.GET.get("kind")
    qs = selectors.notice_list(user=request.user, filters={"kind": kind})
    return render(
        request,
        "supervision/notices.html",
        {"page": Paginator(qs, 50).get_page(request.GET.get("page")), "kinds": NoticeKind.choices, "kind": kind},
    )


@login_required
@replica_reads
def export(request):
    qs = selectors.item_list(user=request.user, filters={k: request.GET.get(k) for k in ("status", "source", "year")})
    response = HttpResponse(
        supervision_xlsx(items=qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="supervision.xlsx"'
    return response
