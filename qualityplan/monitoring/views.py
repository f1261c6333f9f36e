"""Upload page with progress (htmx polling), import batch detail, and record lists (drill-down targets)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core.exceptions import ApplicationError
from qualityplan.monitoring import policies, selectors, services
from qualityplan.monitoring.choices import ImportKind, ImportStatus, SampleScope, SampleType
from qualityplan.monitoring.forms import ProductCategoryForm
from qualityplan.monitoring.ingest.columns import DICTIONARY
from qualityplan.monitoring.ingest.templates import FORMATS, template
from qualityplan.monitoring.models import (
    AirDaily,
    NoiseMeasurement,
    ProductCategory,
    SamplingRecord,
    SeaSample,
    Station,
    WaterSample,
)
from qualityplan.monitoring.tasks import import_batch_task

MAX_UPLOAD = 200 * 1024 * 1024
MAX_REASON = 2000


def _upload(request) -> tuple[str, str, object] | None:
    """(kind, name, upload) of a valid upload, or None with the message already queued.

    The upload is passed on as a file (Django keeps one larger than 2.5 MB in ``FILE_UPLOAD_TEMP_DIR``): it is
    hashed and stored block by block, never read whole into memory.
    """
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", "")
    if upload is None or kind not in ImportKind.values:
        messages.error(request, _("请选择文件和数据类型。"))
        return None
    if upload.size > MAX_UPLOAD:
        messages.error(request, _("文件过大。"))
        return None
    return kind, upload.name, upload


@login_required
def imports(request):
    if request.method == "POST":
        if not policies.importable_kinds(request.user):
            raise PermissionDenied
        got = _upload(request)
        if got is None:
            return redirect("monitoring:imports")
        kind, name, data = got
        try:
            batch = services.import_batch_submit(user=request.user, kind=kind, name=name, data=data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:imports")
        transaction.on_commit(lambda: import_batch_task(batch.pk))
        return redirect("monitoring:import-detail", pk=batch.pk)
    kinds = [(k, label) for k, label in ImportKind.choices if k in policies.importable_kinds(request.user)]
    return render(request, "monitoring/imports.html", {"batches": selectors.import_batch_list(request.user),
                                                      "kinds": kinds, "all_kinds": ImportKind.choices})  # fmt: skip


@login_required
def import_template(request, kind: str, fmt: str):
    """Template of a kind (header + example row), CSV or XLSX: any signed-in user."""
    if kind not in DICTIONARY or fmt not in FORMATS:
        raise Http404
    content, name, content_type = template(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_detail(request, pk: int):
    batch = selectors.import_batch_get(request.user, pk)
    return render(request, "monitoring/import_detail.html", {"batch": batch, "max_reason": MAX_REASON,
                  **selectors.import_batch_progress(request.user, batch),
                  **selectors.import_batch_actions(request.user, batch)})  # fmt: skip


@login_required
def import_progress(request, pk: int):
    """Partial polled by htmx every second until the batch is finished."""
    batch = selectors.import_batch_get(request.user, pk)
    return render(request, "monitoring/_progress.html", {"batch": batch,
                  **selectors.import_batch_progress(request.user, batch)})  # fmt: skip


@require_POST
@login_required
def import_retry(request, pk: int):
    batch = selectors.import_batch_get(request.user, pk)
    if not batch.file:
        raise Http404
    if batch.status != ImportStatus.FAILED or not policies.can_import(request.user, batch.kind):
        raise PermissionDenied
    transaction.on_commit(lambda: import_batch_task(batch.pk))
    return redirect("monitoring:import-detail", pk=batch.pk)


def _version(request) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@require_POST
@login_required
def import_withdraw(request, pk: int):
    batch = selectors.import_batch_get(request.user, pk)
    reason = request.POST.get("reason", "")
    try:
        services.import_batch_withdraw(user=request.user, batch=batch, reason=reason, version=_version(request))
    except ApplicationError as exc:
        return HttpResponseBadRequest(exc.message)
    messages.success(request, _("批次已撤回，相关数值已重新计算。"))
    return redirect("monitoring:import-detail", pk=batch.pk)


@require_POST
@login_required
def import_replace(request, pk: int):
    """Upload a corrected file for a batch: it replaces the batch's rows when it runs."""
    batch = selectors.import_batch_get(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return HttpResponseBadRequest(_("请选择更正后的文件。"))
    if upload.size > MAX_UPLOAD:
        return HttpResponseBadRequest(_("文件过大。"))
    try:
        new = services.import_batch_submit(user=request.user, kind=batch.kind, name=upload.name, data=upload,
                                           replaces=batch, reason=request.POST.get("reason", ""))  # fmt: skip
    except ApplicationError as exc:
        return HttpResponseBadRequest(exc.message)
    transaction.on_commit(lambda: import_batch_task(new.pk))
    return redirect("monitoring:import-detail", pk=new.pk)


@login_required
def catalogue(request):
    """The product catalogue; the office adds and edits entries here (or in the admin)."""
    can_edit = policies.can_manage_catalogue(request.user)
    form = ProductCategoryForm(request.POST or None, instance=_catalogue_entry(request)) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("产品类别目录已保存。"))
            return redirect("monitoring:catalogue")
        return render(request, "monitoring/catalogue.html",
                      {"entries": selectors.product_catalogue(request.user), "form": form}, status=400)  # fmt: skip
    return render(request, "monitoring/catalogue.html", {"entries": selectors.product_catalogue(request.user),
                                                        "form": form})  # fmt: skip


def _catalogue_entry(request):
    raw = request.POST.get("id") or request.GET.get("edit") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(ProductCategory, pk=int(raw))


RECORDS = {
    # kind: (model, date field, unit path, columns)
    "sampling": (SamplingRecord, "sampling_date", "unit", ["sample_no", "enterprise", "uscc", "unit__name", "product_category",
                 "product_name", "sampling_date", "result", "failing_items", "sample_type", "announcement"]),
    "air_daily": (AirDaily, "date", "unit", ["date", "unit__name", "station__code", "aqi", "level", "primary_pollutants",
                  "pm10", "pm25", "o3_8h", "valid", "standard"]),
    "water": (WaterSample, "date", "station__unit", ["date", "station__unit__name", "station__code", "station__name",
              "station__kind", "water_class", "exceed_iii", "standard"]),
    "sea": (SeaSample, "date", "station__unit", ["date", "station__unit__name", "station__code", "station__name",
            "sea_class", "standard"]),
    "noise": (NoiseMeasurement, "date", "station__unit", ["date", "station__unit__name", "station__code", "zone", "period",
              "leq", "limit", "compliant", "standard"]),
}  # fmt: skip


def record_filter(kind: str, params) -> tuple:
    """Queryset of the records behind a value: the same filter the computation used (its provenance)."""
    if kind not in RECORDS:
        raise Http404
    model, date_field, unit_path, columns = RECORDS[kind]
    qs = model.objects.all()
    f = {}
    if params.get("from"):
        f[f"{date_field}__gte"] = dt.date.fromisoformat(params["from"])
    if params.get("to"):
        f[f"{date_field}__lte"] = dt.date.fromisoformat(params["to"])
    if params.get("unit"):
        f[f"{unit_path}_id" if unit_path == "unit" else f"{unit_path}__id"] = int(params["unit"])
    if kind == "sampling":
        if params.get("product_group"):
            f["product_group"] = params["product_group"]
        if params.get("official"):  # 1: every official type; or a SampleScope value (the indicator's scope)
            raw = params["official"]
            f["sample_type__in"] = list(SampleType.official() if raw == "1" else SampleScope(raw).sample_types())
        if params.get("result"):
            f["result"] = params["result"]
    if kind == "air_daily":
        f["station__isnull"] = params.get("scope", "city") == "city"
    if kind == "water" and params.get("kind"):
        f["station__kind"] = params["kind"]
    if kind == "noise" and params.get("period"):
        f["period"] = params["period"]
    return qs.filter(**f), columns, model


@login_required
def records(request, kind: str):
    try:
        qs, columns, model = record_filter(kind, request.GET)
    except ValueError as exc:  # a malformed date or unit id in the query string
        # plain text: the message echoes the user's input, which must never be rendered as HTML
        return HttpResponseBadRequest(
            _("查询参数有误：%(error)s") % {"error": exc}, content_type="text/plain; charset=utf-8"
        )
    qs = model.objects.restrict(request.user) & qs
    page = Paginator(qs.order_by("-pk").values_list(*columns), 100).get_page(request.GET.get("page"))
    labels = [_label(model, c) for c in columns]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "monitoring/records.html", {"kind": kind, "page": page, "labels": labels,
                                                      "count": page.paginator.count, "query": query.urlencode(),
                                                      "model": model._meta.verbose_name})  # fmt: skip


def _label(model, path: str) -> str:
    parts = path.split("__")
    m = model
    for p in parts[:-1]:
        m = m._meta.get_field(p).related_model
    return str(m._meta.get_field(parts[-1]).verbose_name)


@login_required
def stations(request):
    qs = Station.objects.restrict(request.user).select_related("unit")
    if request.GET.get("kind"):
        qs = qs.filter(kind=request.GET["kind"])
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "monitoring/stations.html", {"page": page})
