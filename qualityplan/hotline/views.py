"""12345 work-order pages: list with countdown lights, intake, detail with the steps the user may take, import,
attachments (permission-checked download), notices, KPIs, exports."""

from __future__ import annotations

import datetime as dt
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core import clock
from qualityplan.core.db_routing import replica_reads
from qualityplan.core.exceptions import ApplicationError
from qualityplan.hotline import deadlines, importers, kpi, policies, selectors, services, workflow
from qualityplan.hotline.choices import Category, LimitKind, Satisfaction, Status, Subject
from qualityplan.hotline.exports import kpi_xlsx, orders_xlsx
from qualityplan.hotline.forms import ImportForm, OrderForm
from qualityplan.hotline.masking import caller_for
from qualityplan.hotline.models import Attachment
from qualityplan.orgs.models import Unit
from qualityplan.supervision.choices import NoticeKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = ("status", "category", "subject", "q", "open")


def _annotate(orders, today):
    """Countdown (working days left) and light for every open order with a deadline."""
    out = []
    for o in orders:
        o.left = o.light = None
        if o.deadline and o.status in Status.open() and o.status != Status.REGISTERED:
            try:
                o.left = deadlines.workdays_left(today, o.deadline)
                o.light = deadlines.light(today, o.deadline)
            except ValueError:
                pass
        out.append(o)
    return out


@login_required
def order_list(request):
    filters = {k: request.GET.get(k) for k in FILTERS}
    qs = selectors.order_list(user=request.user, filters=filters)
    counts = dict(selectors.order_list(user=request.user).order_by().values_list("status").annotate(n=Count("id")))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = clock.today()
    return render(
        request,
        "hotline/orders.html",
        {
            "page": page,
            "orders": _annotate(page.object_list, today),
            "filters": filters,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in Status.choices],
            "categories": Category.choices,
            "subjects": Subject.choices,
            "can_intake": policies.can_intake(request.user),
        },
    )


@login_required
def order_create(request):
    if not policies.can_intake(request.user):
        raise PermissionDenied
    form = OrderForm(request.POST or None, request.FILES or None, initial={"received_at": clock.now()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = [f for f in request.FILES.getlist("attachments") if f.name]
        data.pop("attachments", None)
        try:
            order = services.order_create(user=request.user, data=data, attachments=files)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已登记工单：%(n)s") % {"n": order.number})
            return redirect("hotline:order", pk=order.pk)
    return render(request, "hotline/order_form.html", {"form": form})


@login_required
def order_detail(request, pk: int):
    order = selectors.order_get(user=request.user, pk=pk)
    if order is None:
        raise Http404
    today = clock.today()
    _annotate([order], today)
    actors = policies.actors(request.user, order)
    proposal = services.catalogue_proposal(subject=order.subject, region=order.region)
    is_hotline = workflow.HOTLINE in actors
    return render(
        request,
        "hotline/order_detail.html",
        {
            "order": order,
            "caller": caller_for(request.user, order),
            "actions": workflow.available(order.status, actors),
            "assignments": order.assignments.select_related("unit"),
            "attachments": order.attachments.all(),
            "events": order.events.select_related("user", "unit"),
            "notices": order.notices.select_related("unit"),
            "duplicates": selectors.order_duplicates(user=request.user, order=order)[:10]
            if is_hotline and order.status == Status.REGISTERED
            else [],
            "proposal": proposal,
            "units": Unit.objects.all() if is_hotline else [],
            "satisfaction": Satisfaction.choices,
            "can_attach": policies.can_attach(request.user, order) and order.status in Status.open(),
            "can_override": policies.can_override_dispatch(request.user),
            "return_until": deadlines.return_deadline(order.dispatched_on) if order.dispatched_on else None,
        },
    )


def _form_data(request) -> dict:
    data = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "version")}
    if "cooperating_units" in request.POST:
        data["cooperating_units"] = [u for u in request.POST.getlist("cooperating_units") if u]
    return data


@login_required
@require_POST
def order_action(request, pk: int, action: str):
    order = selectors.order_get(user=request.user, pk=pk)
    if order is None:
        raise Http404
    try:
        services.order_transition(
            user=request.user, order=order, action=action, version=request.POST.get("version"), data=_form_data(request)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作成功：%(a)s") % {"a": workflow.TRANSITIONS[action].label})
    return redirect("hotline:order", pk=pk)


@login_required
@require_POST
def attachment_add(request, pk: int):
    order = selectors.order_get(user=request.user, pk=pk)
    if order is None:
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None or not upload.name:
            raise ApplicationError(_("file：请选择文件。"), {"field": "file"})
        services.attachment_add(user=request.user, order=order, upload=upload, version=request.POST.get("version"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("hotline:order", pk=pk)


@login_required
def attachment_download(request, pk: int):
    """Files only through this view: the attachment's order must be visible to the user."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or selectors.order_get(user=request.user, pk=attachment.order_id) is None:
        raise Http404
    content_type = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=content_type
    )


@login_required
def order_import(request):
    if not policies.can_intake(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            importers.size_check(upload.size)  # before the upload is read into memory
            result = importers.orders_import(user=request.user, name=upload.name, data=upload.read())
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            if result.ok:
                messages.success(request, _("已导入 %(n)s 件工单。") % {"n": result.created})
                return redirect("hotline:orders")
    return render(request, "hotline/import.html", {"form": form, "result": result})


@login_required
def notice_list(request):
    kind = request.GET.get("kind")
    qs = selectors.notice_list(user=request.user, filters={"kind": kind})
    return render(
        request,
        "hotline/notices.html",
        {"page": Paginator(qs, 50).get_page(request.GET.get("page")), "kinds": NoticeKind.choices, "kind": kind},
    )


def _period(request) -> tuple[dt.date, dt.date, str]:
    today = clock.today()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("to") or today.isoformat())
    except ValueError:
        raise ApplicationError(_("from/to：日期格式应为 YYYY-MM-DD。"), {"field": "from"}) from None
    if end < start:
        raise ApplicationError(_("to：截止日期早于起始日期。"), {"field": "to"})
    by = request.GET.get("by") if request.GET.get("by") in ("unit", "region") else "unit"
    return start, end, by


@login_required
def kpi_page(request):
    try:
        start, end, by = _period(request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        today = clock.today()
        start, end, by = dt.date(today.year, 1, 1), today, "unit"
    rows = kpi.kpi_for_user(user=request.user, date_from=start, date_to=end, by=by)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(kpi_xlsx(rows=rows, title=f"12345 {start}–{end}"), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="hotline-kpi-{start}-{end}.xlsx"'
        return response
    return render(
        request,
        "hotline/kpi.html",
        {
            "rows": rows,
            "metrics": kpi.METRICS,
            "start": start,
            "end": end,
            "by": by,
            "is_office": request.user.is_office,
        },
    )


@login_required
@replica_reads
def export(request):
    qs = selectors.order_list(user=request.user, filters={k: request.GET.get(k) for k in FILTERS})
    response = HttpResponse(orders_xlsx(orders=qs), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="hotline-orders.xlsx"'
    return response


@login_required
def catalogue(request):
    return render(
        request,
        "hotline/catalogue.html",
        {
            "rules": selectors.catalogue_list(user=request.user),
            "limits": [(LimitKind(k).label, n) for k, n in deadlines.limits().items()],
            "is_office": request.user.is_office,
        },
    )
