"""Credit pages: the archive (signed in), repair decisions, files through a permission-checked view, and the
public query (no sign-in; rate-limited) with the open-data blacklist."""

from __future__ import annotations

import csv
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from qualityplan.core import clock
from qualityplan.core.db_routing import replica_reads
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.querysets import VIEW
from qualityplan.credit import policies, selectors, services
from qualityplan.credit.choices import RepairStatus
from qualityplan.credit.files import document_response
from qualityplan.credit.forms import DecideForm, EventForm, PublicQueryForm, RecheckForm, RepairForm, SampleEventForm
from qualityplan.credit.models import CreditDocument, CreditEvent, Enterprise, RepairApplication
from qualityplan.credit.ratelimit import public_rate_limited as _rate_limited


def _form_error(request, exc: ApplicationError):
    messages.error(request, exc.message)


def _submit(request, form, action) -> tuple[object, int]:
    """Run ``action(cleaned_data)`` for a valid POSTed form: (its result, 200), or (None, 400) with the service's
    error attached to the field it names."""
    if request.method != "POST":
        return None, 200
    if form.is_valid():
        try:
            return action(form.cleaned_data), 200
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
    return None, 400


@login_required
def enterprise_list(request):
    q = request.GET.get("q", "")[:100]
    qs = selectors.enterprise_list(user=request.user, q=q)
    return render(
        request,
        "credit/enterprises.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "q": q,
            "can_enter": request.user.is_office or request.user.is_reporter,
        },
    )


@login_required
def enterprise_detail(request, pk: int):
    ent = get_object_or_404(Enterprise.objects.restrict(request.user, VIEW).select_related("region"), pk=pk)
    today = clock.today()
    events = list(selectors.enterprise_timeline(user=request.user, enterprise=ent))
    for ev in events:
        ev.live = ev.in_publicity(today)
        ev.can_change = policies.can_change_event(request.user, ev)
    return render(
        request,
        "credit/enterprise_detail.html",
        {
            "ent": ent,
            "today": today,
            "status": selectors.enterprise_status(user=request.user, enterprise=ent, as_of=today),
            "events": events,
            "samples": selectors.enterprise_sampling_records(user=request.user, enterprise=ent)[:100],
            "repairs": selectors.repair_list(user=request.user).filter(event__enterprise=ent),
            "can_supervise": policies.can_open_supervision(request.user),
            "recheck_form": RecheckForm(),
            "sample_form": SampleEventForm(),
        },
    )


@login_required
def event_create(request):
    initial = {}
    ent_id = request.GET.get("enterprise", "")
    if ent_id.isdigit():
        ent = Enterprise.objects.restrict(request.user, VIEW).filter(pk=int(ent_id)).first()
        if ent is not None:
            initial = {"uscc": ent.uscc, "enterprise": ent.name}
    form = EventForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            if not policies.can_enter_event(request.user, unit=request.user.unit):
                raise PermissionDenied
            try:
                with transaction.atomic():
                    ent = services.enterprise_get_or_create(uscc=d["uscc"], name=d["enterprise"], on=d["date"])
                    ev = services.event_create(
                        user=request.user,
                        enterprise=ent,
                        kind=d["kind"],
                        date=d["date"],
                        published_on=d["published_on"],
                        decision_no=d["decision_no"],
                        penalties=d["penalties"],
                        fine_yuan=d["fine_yuan"],
                        lower_amount=d["lower_amount"],
                        restrict_years=d["restrict_years"],
                        domain=d["domain"],
                        recall_kind=d["recall_kind"],
                        note=d["note"],
                        evidence=d["evidence"],
                    )
                messages.success(request, _("已录入：%(e)s") % {"e": ev})
                return redirect("credit:enterprise", pk=ent.pk)
            except ApplicationError as exc:
                field = exc.extra.get("field")
                form.add_error(field if field in form.fields else None, exc.message)
        status = 400
    return render(request, "credit/event_form.html", {"form": form}, status=status)


def _event_for_change(request, pk: int) -> CreditEvent:
    ev = get_object_or_404(CreditEvent.objects.restrict(request.user, VIEW), pk=pk)
    return ev


@login_required
def repair_apply(request, pk: int):
    ev = _event_for_change(request, pk)
    if not policies.can_apply_repair(request.user, ev):
        raise PermissionDenied
    form = RepairForm(request.POST or None, request.FILES or None, initial={"received_on": clock.today()})
    docs = ("application", "pledge", "fulfilment")
    done, status = _submit(
        request,
        form,
        lambda d: services.repair_apply(
            user=request.user,
            event=ev,
            applicant=d["applicant"],
            received_on=d["received_on"],
            reason=d["reason"],
            documents={k: d[k] for k in docs},
        ),
    )
    if done is not None:
        messages.success(request, _("已受理信用修复申请。"))
        return redirect("credit:enterprise", pk=ev.enterprise_id)
    return render(request, "credit/repair_form.html", {"form": form, "event": ev}, status=status)


@login_required
def repair_list(request):
    status = request.GET.get("status", "")
    status = status if status in RepairStatus.values else ""
    qs = selectors.repair_list(user=request.user, status=status or None)
    apps = list(qs[:500])
    for a in apps:
        a.can_decide = a.status == RepairStatus.SUBMITTED and policies.can_decide_repair(request.user, a)
    return render(
        request,
        "credit/repairs.html",
        {"apps": apps, "status": status, "statuses": RepairStatus.choices, "today": clock.today()},
    )


@login_required
def repair_decide(request, pk: int):
    app = get_object_or_404(RepairApplication.objects.restrict(request.user, VIEW).select_related("event"), pk=pk)
    if not policies.can_decide_repair(request.user, app):
        raise PermissionDenied
    form = DecideForm(request.POST or None, initial={"decided_on": clock.today(), "version": app.version})
    done, status = _submit(request, form, lambda d: services.repair_decide(user=request.user, application=app, **d))
    if done is not None:
        messages.success(request, _("已作出决定。"))
        return redirect("credit:repairs")
    docs = CreditDocument.objects.restrict(request.user, VIEW).filter(application=app)
    return render(request, "credit/repair_decide.html", {"form": form, "app": app, "docs": docs}, status=status)


@login_required
@require_POST
def recheck_record(request, pk: int):
    ev = _event_for_change(request, pk)
    form = RecheckForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    try:
        services.sample_recheck_record(user=request.user, event=ev, **form.cleaned_data)
        messages.success(request, _("已记录复检情况。"))
    except ApplicationError as exc:
        _form_error(request, exc)
    return redirect("credit:enterprise", pk=ev.enterprise_id)


@login_required
@require_POST
def sample_event(request, pk: int):
    from qualityplan.monitoring.models import SamplingRecord

    record = get_object_or_404(SamplingRecord.objects.restrict(request.user, VIEW), pk=pk)
    form = SampleEventForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
    try:
        ev = services.sample_event_sync(
            user=request.user, sampling_record=record, received_on=form.cleaned_data["received_on"]
        )
        messages.success(request, _("已登记抽检不合格，复检期满后于 %(d)s 计入信用档案。") % {"d": ev.starts_on})
        return redirect("credit:enterprise", pk=ev.enterprise_id)
    except ApplicationError as exc:
        _form_error(request, exc)
    ent = Enterprise.objects.filter(uscc=record.uscc).first() if record.uscc else None
    return redirect("credit:enterprise", pk=ent.pk) if ent else redirect("credit:enterprises")


@login_required
@require_POST
def event_supervise(request, pk: int):
    ev = _event_for_change(request, pk)
    if not policies.can_open_supervision(request.user):
        raise PermissionDenied
    try:
        item = services.event_open_supervision(user=request.user, event=ev)
        messages.success(request, _("已立项督办：%(n)s") % {"n": item.number})
        return redirect("supervision:item", pk=item.pk)
    except ApplicationError as exc:
        _form_error(request, exc)
    return redirect("credit:enterprise", pk=ev.enterprise_id)


@login_required
@require_GET
def document_download(request, pk: int):
    doc = CreditDocument.objects.filter(pk=pk).first()
    if doc is None or not policies.can_view_document(request.user, doc):
        raise Http404
    return document_response(doc)


# Public --------------------------------------------------------------------------------------------------------


def _public_as_of(request) -> dt.date:
    """The public sees today (the one clock); the office may look at another day (``?as_of=``)."""
    raw = request.GET.get("as_of", "")
    if raw and request.user.is_authenticated and request.user.is_office:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    return clock.today()


def _too_many(request):
    response = render(request, "credit/public_limited.html", status=429)
    response["Retry-After"] = str(getattr(settings, "CREDIT_PUBLIC_RATE", (30, 60))[1])
    return response


@require_GET
@replica_reads
def public_query(request):
    if _rate_limited(request):
        return _too_many(request)
    as_of = _public_as_of(request)
    form = PublicQueryForm(request.GET or None)
    results = None
    status = 200
    if request.GET.get("q") is not None:
        if form.is_valid():
            results = selectors.public_search(q=form.cleaned_data["q"], as_of=as_of)
        else:
            status = 400
    return render(request, "credit/public.html", {"form": form, "results": results, "as_of": as_of}, status=status)


@require_GET
@replica_reads
def public_blacklist_csv(request):
    if _rate_limited(request):
        return _too_many(request)
    as_of = _public_as_of(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="blacklist-{as_of.isoformat()}.csv"'
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(["uscc", "enterprise", "city", "listed_on", "listed_until", "early_removal_from", "decision_no"])
    for ev in selectors.public_blacklist(as_of=as_of):
        region = ev.enterprise.region
        w.writerow(
            [
                _csv_safe(ev.ent_uscc),
                _csv_safe(ev.ent_name),
                _csv_safe(region.name if region else ""),
                ev.starts_on.isoformat(),
                ev.last_day.isoformat() if ev.last_day else "",
                ev.repair_from.isoformat() if ev.repair_from else "",
                _csv_safe(ev.decision_no),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
