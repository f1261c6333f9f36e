"""Dashboard (ECharts: status by group, trend, Hainan map, unit comparison), drill-down, reporting and review."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core.exceptions import ApplicationError
from qualityplan.indicators import selectors, services
from qualityplan.indicators.choices import Method, Status, SubmissionStatus
from qualityplan.indicators.models import ComputedValue, Evaluation, Indicator, RegistryItem, Submission
from qualityplan.indicators.periods import periods_of_year
from qualityplan.orgs.selectors import local_government_units
from qualityplan.plans.choices import TargetGroup
from qualityplan.plans.models import Target

MAP_INDICATORS = ["T15", "T16", "T04", "T03", "T02", "T18", "T21", "T27", "T28", "T25", "T26"]
# Yangpu lies inside Danzhou: drawn as its own marker at the port's coordinates.
YANGPU_COORD = [109.20, 19.73]


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit():
        return int(raw)
    years = selectors.evaluation_years()
    return years[0] if years else 2017


def drill_url(cv: ComputedValue | None) -> str | None:
    """The records behind a computed value (its provenance filter) as a record-list URL."""
    if cv is None or not cv.provenance:
        return None
    prov = cv.provenance
    f = dict(prov.get("filter", {}))
    kind = prov.get("records")
    if kind == "sampling":
        f.pop("sample_type__in", None)
        f["official"] = 1
        return reverse("monitoring:records", args=["sampling"]) + "?" + urlencode(f)
    if kind in ("air_daily", "water", "sea", "noise"):
        return reverse("monitoring:records", args=[kind]) + "?" + urlencode(f)
    if kind == "registry":
        return reverse("indicators:registry") + "?" + urlencode(f)
    if kind == "reported":
        q = {"indicator": f.get("indicator", "")}
        if f.get("unit"):
            q["unit"] = f["unit"]
        return reverse("indicators:reports") + "?" + urlencode(q)
    return None


DASHBOARD_CACHE_SECONDS = 600  # a safety net only: the key changes with every evaluation run


def _cache_key(*parts) -> str:
    return "qp:indicators:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def _display(model, field: str, value) -> str:
    """``get_<field>_display()`` for a value read with ``values()``."""
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def dashboard(request):
    user = request.user
    if not user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    stamps = selectors.evaluation_stamps()  # first: the data read below is at least as new as this stamp
    years = list(stamps)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else (years[0] if years else 2017)
    chosen = request.GET.get("indicator") or _default_map_indicator(user, year)
    # everything data-derived, cached per year × indicator × the user's data scope (and unit: the highlighted
    # own unit) × language, under a version stamp of the year's evaluations and of the reference data shown
    key = _cache_key("dashboard", 1, year, chosen, selectors.evaluation_scope(user), user.unit_id, get_language(),
                     stamps.get(year), selectors.reference_stamp(year))  # fmt: skip
    payload = cache.get(key)
    if payload is None:
        payload = _dashboard_payload(user=user, year=year, chosen=chosen)
        cache.set(key, payload, DASHBOARD_CACHE_SECONDS)
    context = {"year": year, "years": years or [year], "chosen": chosen, **payload,
               "tables_html": mark_safe(payload["tables_html"])}  # fmt: skip
    return render(request, "indicators/dashboard.html", context)


def _default_map_indicator(user, year: int) -> str:
    """T15 (good air days), or for a provincial department the first map indicator it leads."""
    led = set(
        selectors.led_indicators(user).filter(plan__year=year, code__in=MAP_INDICATORS).values_list("code", flat=True)
    )
    return next((c for c in MAP_INDICATORS if c in led), "T15")


def _dashboard_payload(*, user, year: int, chosen: str) -> dict:
    """The dashboard's data for ``user``'s scope as plain values (picklable), the two tables pre-rendered."""
    rows = selectors.dashboard_evaluations(user=user, year=year, unit_target_codes=[*MAP_INDICATORS, chosen])
    province = []
    unit_rows: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in rows:
        e = {
            "unit_id": r["unit_id"], "status": r["status"], "value": r["value"], "explanation": r["explanation"],
            "as_of": r["as_of"], "get_status_display": _display(Evaluation, "status", r["status"]),
            "target": {"code": r["target__code"], "indicator": r["target__indicator"], "value": r["target__value"],
                       "unit": r["target__unit"], "get_group_display": _display(Target, "group", r["target__group"]),
                       "get_comparator_display": _display(Target, "comparator", r["target__comparator"])},
            "group": r["target__group"],
        }  # fmt: skip
        if r["unit_id"] is None:
            province.append(e)
        else:
            unit_rows[r["target__code"]][r["unit_id"]] = e
    by_group: dict[str, dict[str, int]] = {g: dict.fromkeys(Status.values, 0) for g in TargetGroup.values}
    totals = dict.fromkeys(Status.values, 0)
    for e in province:
        by_group[e["group"]][e["status"]] += 1
        totals[e["status"]] += 1
    local = list(local_government_units().values("pk", "code", "name"))
    own = None
    if user.unit_id:
        own = next((u for u in local if u["pk"] == user.unit_id), None)
    # map + comparison of the chosen indicator
    map_data = []
    for u in local:
        e = unit_rows.get(chosen, {}).get(u["pk"])
        map_data.append({"name": u["name"], "code": u["code"],
                         "value": None if e is None or e["value"] is None else round(e["value"], 2),
                         "status": e["status"] if e else "no_data", "yangpu": u["code"] == "YANGPU"})  # fmt: skip
    indicator = Indicator.objects.filter(plan__year=year, code=chosen).values("pk", "name", "target__value").first()
    trend_rows = []
    if indicator is not None:
        prov = selectors.trend(indicator=indicator["pk"], year=year)
        mine = dict(selectors.trend(indicator=indicator["pk"], year=year, unit_id=own["pk"])) if own else {}
        trend_rows = [{"period": p, "province": v, "unit": mine.get(p)} for p, v in prov]
    comparison_codes = [c for c in MAP_INDICATORS if c in unit_rows]
    comparison = [
        {"unit": u, "own": own is not None and u["pk"] == own["pk"],
         "cells": [unit_rows[c].get(u["pk"]) for c in comparison_codes]}
        for u in local
    ]  # fmt: skip
    target_value = indicator["target__value"] if indicator else None
    chart = {
        "groups": [str(TargetGroup(g).label) for g, c in by_group.items() if sum(c.values())],
        "series": [
            {"name": str(Status(s).label), "status": s, "data": [c[s] for g, c in by_group.items() if sum(c.values())]}
            for s in Status.order()
        ],
        "map": map_data,
        "yangpu": YANGPU_COORD,
        "trend": trend_rows,
        "indicator": chosen,
        "indicator_name": indicator["name"] if indicator else "",
        "unit_name": own["name"] if own else "",
        "target_value": float(target_value) if target_value is not None else None,
    }
    tables_html = render_to_string(
        "indicators/_dashboard_tables.html",
        {"year": year, "province": province, "comparison_codes": comparison_codes, "comparison": comparison,
         "chart": chart},
    ).strip("\n")  # fmt: skip
    return {
        "as_of": province[0]["as_of"] if province else None,
        "totals": [(s, str(Status(s).label), totals[s]) for s in Status.order()],
        "chart": {"indicator": chosen, "indicator_name": chart["indicator_name"]},
        "map_choices": [
            (c, unit_rows[c] and next(iter(unit_rows[c].values()))["target"]["indicator"])
            for c in MAP_INDICATORS
            if c in unit_rows
        ],
        "tables_html": str(tables_html),
    }


@login_required
def dashboard_json(request):
    """The dashboard's numbers as JSON (used by the benchmark next to a bare JSON view)."""
    year = _year(request)
    rows = selectors.evaluations_visible(user=request.user, year=year, period=str(year)).filter(unit__isnull=True)
    return JsonResponse(
        {"year": year, "targets": [{"code": e.target.code, "status": e.status, "value": e.value} for e in rows]}
    )


@login_required
def target_detail(request, code: str):
    year = _year(request)
    rows = list(
        selectors.evaluations_visible(user=request.user, year=year)
        .filter(target__code=code)
        .select_related("computed")
        .order_by("period", "unit__sort_order")
    )
    if not rows:
        raise Http404
    target = rows[0].target
    year_rows = [e for e in rows if e.period == str(year)]
    for e in rows:
        e.drill = drill_url(e.computed)
    quarters = [e for e in rows if e.period != str(year) and e.unit_id is None]
    indicator = rows[0].indicator
    trend_rows = selectors.trend(indicator=indicator, year=year) if indicator else []
    return render(request, "indicators/target_detail.html", {
        "year": year, "target": target, "indicator": indicator, "province": next((e for e in year_rows if e.unit_id is None), None),
        "units": [e for e in year_rows if e.unit_id is not None], "quarters": quarters,
        "trend": [{"period": p, "value": v} for p, v in trend_rows],
    })  # fmt: skip


# ------------------------------------------------------------------------------------- reporting


@login_required
def reports(request):
    """Submissions: a unit sees its own (and can open the form of each period); the office reviews all."""
    user = request.user
    year = _year(request)
    qs = Submission.objects.restrict(user).filter(year=year).select_related("unit")
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("unit"):
        qs = qs.filter(unit_id=request.GET["unit"])
    if request.GET.get("indicator"):
        qs = qs.filter(values__indicator_id=request.GET["indicator"]).distinct()
    periods = []
    if user.unit_id and user.is_reporter:
        plan = services.plan_for_year(year)
        types = set(services.indicators_reported_by(user.unit, plan=plan).values_list("period_type", flat=True))
        for t in sorted(types):
            periods += [p.label for p in periods_of_year(year, t)]
    return render(request, "indicators/reports.html", {"year": year, "submissions": qs, "periods": periods,
                                                       "statuses": SubmissionStatus.choices})  # fmt: skip


@login_required
def report_open(request, period: str):
    """Open (create if needed) the current user's unit's form for ``period``."""
    if not request.user.unit_id or not request.user.is_reporter:
        raise PermissionDenied
    try:
        sub = services.submission_get_or_create(unit=request.user.unit, period=period)
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("indicators:reports")
    return redirect("indicators:report", pk=sub.pk)


@login_required
def report(request, pk: int):
    sub = get_object_or_404(Submission.objects.restrict(request.user).select_related("unit"), pk=pk)
    values = list(sub.values.select_related("indicator", "indicator__target"))
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("save", "submit"):
                data = {}
                for rv in values:
                    c = rv.indicator.code
                    data[c] = {k: request.POST.get(f"{c}.{k}") for k in ("value", "numerator", "denominator", "achieved", "comment")
                               if f"{c}.{k}" in request.POST}  # fmt: skip
                services.submission_save(submission=sub, user=request.user, values=data,
                                         comment=request.POST.get("comment"), evidence=request.FILES.get("evidence"))  # fmt: skip
                if action == "submit":
                    services.submission_submit(submission=sub, user=request.user)
                    messages.success(request, _("已提交，等待办公室审核。"))
                else:
                    messages.success(request, _("已保存草稿。"))
            elif action == "approve":
                services.submission_approve(submission=sub, user=request.user)
                messages.success(request, _("已审核通过并锁定。"))
            elif action == "return":
                services.submission_return(submission=sub, user=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("已退回。"))
            elif action == "reopen":
                services.submission_reopen(submission=sub, user=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("已重新开放。"))
            return redirect("indicators:report", pk=sub.pk)
        except ApplicationError as exc:
            errors = exc.extra.get("errors") or {exc.extra.get("field", "form"): exc.message}
            messages.error(request, exc.message)
            sub.refresh_from_db()
            values = list(sub.values.select_related("indicator", "indicator__target"))
            for rv in values:  # keep what the user typed
                c = rv.indicator.code
                for k in ("value", "numerator", "denominator", "comment"):
                    if f"{c}.{k}" in request.POST:
                        setattr(rv, f"typed_{k}", request.POST[f"{c}.{k}"])
    for rv in values:
        rv.errors = {k.split(".", 1)[1]: v for k, v in errors.items() if k.startswith(rv.indicator.code + ".")}
    can_edit = sub.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED) and (
        request.user.is_office or request.user.unit_id == sub.unit_id
    )
    return render(request, "indicators/report.html", {"sub": sub, "values": values, "can_edit": can_edit,
                                                      "errors": errors, "is_office": request.user.is_office})  # fmt: skip


@login_required
def completeness(request):
    year = _year(request)
    plan = services.plan_for_year(year)
    raw = request.GET.get("as_of")
    as_of = dt.date.fromisoformat(raw) if raw else min(dt.date.today(), dt.date(year + 1, 1, 31))
    rows = selectors.completeness(year=year, as_of=as_of, plan=plan)
    if not request.user.is_office and request.user.role not in ("viewer", "inspector"):
        rows = [r for r in rows if r["unit"].pk == request.user.unit_id]
    return render(request, "indicators/completeness.html", {"year": year, "as_of": as_of, "rows": rows})


@login_required
def registry(request):
    qs = RegistryItem.objects.restrict(request.user).select_related("unit", "region")
    if request.GET.get("kind"):
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("from"):
        qs = qs.filter(date__gte=request.GET["from"])
    if request.GET.get("to"):
        qs = qs.filter(date__lte=request.GET["to"])
    return render(request, "indicators/registry.html", {"items": qs[:500], "count": qs.count()})


@require_POST
@login_required
def evaluate_now(request):
    if not request.user.is_office:
        raise PermissionDenied
    year = _year(request)
    result = services.evaluation_run(year=year)
    messages.success(request, _("已重新评估：%(n)s 条评估结果。") % {"n": result["evaluations"]})
    return redirect(reverse("indicators:dashboard") + f"?year={year}")


__all__ = ["Method"]
