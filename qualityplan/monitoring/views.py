"""Upload page with progress (htmx polling), import batch detail, and record lists (drill-down targets)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core.exceptions import ApplicationError
from qualityplan.monitoring.choices import ImportKind, SampleType
from qualityplan.monitoring.importers import Progress, import_batch_create
from qualityplan.monitoring.models import (
    AirDaily,
    ImportBatch,
    NoiseMeasurement,
    SamplingRecord,
    SeaSample,
    Station,
    WaterSample,
)
from qualityplan.monitoring.tasks import import_batch_task

MAX_UPLOAD = 200 * 1024 * 1024


def _can_import(user) -> bool:
    return user.is_office or user.role in ("dept_reporter", "city_reporter")


@login_required
def imports(request):
    if request.method == "POST":
        if not _can_import(request.user):
            raise PermissionDenied
        upload = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if upload is None or kind not in ImportKind.values:
            messages.error(request, _("请选择文件和数据类型。"))
            return redirect("monitoring:imports")
        if upload.size > MAX_UPLOAD:
            messages.error(request, _("文件过大。"))
            return redirect("monitoring:imports")
        try:
            batch = import_batch_create(
                kind=kind, name=upload.name, data=upload.read(), user=request.user, store_file=True
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("monitoring:imports")
        transaction.on_commit(lambda: import_batch_task(batch.pk))
        return redirect("monitoring:import-detail", pk=batch.pk)
    batches = ImportBatch.objects.restrict(request.user).select_related("user")[:50]
    return render(request, "monitoring/imports.html", {"batches": batches, "kinds": ImportKind.choices})


@login_required
def import_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
    return render(request, "monitoring/import_detail.html", {"batch": batch, **_progress(batch)})


@login_required
def import_progress(request, pk: int):
    """Partial polled by htmx every second until the batch is finished."""
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
    return render(request, "monitoring/_progress.html", {"batch": batch, **_progress(batch)})


def _progress(batch: ImportBatch) -> dict:
    live = None if batch.finished else Progress.read(batch.pk)
    if live and live.get("total"):
        percent = min(99, int(live["processed"] * 100 / live["total"]))
        return {
            "percent": percent,
            "stage": live.get("stage", ""),
            "processed": live["processed"],
            "total": live["total"],
        }
    return {
        "percent": batch.percent,
        "stage": batch.status,
        "processed": batch.processed_rows,
        "total": batch.total_rows,
    }


@require_POST
@login_required
def import_retry(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
    if not batch.file:
        raise Http404
    transaction.on_commit(lambda: import_batch_task(batch.pk))
    return redirect("monitoring:import-detail", pk=batch.pk)


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
        if params.get("official"):
            f["sample_type__in"] = list(SampleType.official())
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
