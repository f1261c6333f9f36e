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
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.db_routing import replica_reads
from qualityplan.core.exceptions import ApplicationError
from qualityplan.indicators import policies, selectors, services
from qualityplan.indicators.choices import Method, Status, SubmissionStatus
from qualityplan.indicators.models import (
    ComputedValue,
    Evaluation,
    EvaluationRun,
    Indicator,
    RegistryItem,
    RunTrigger,
    Submission,
)
from qualityplan.indicators.periods import periods_of_year
from qualityplan.orgs.selectors import local_government_units
from qualityplan.plans.choices import TargetGroup
from qualityplan.plans.models import Target
from qualityplan.plans.selectors import plan_selected

# The map offers the indicators of the chosen plan that have a value per city/county: the computed ones in this
# order of methods (computation, product group), then those the cities and counties report, in plan order.
MAP_METHODS = [("air_good_day_ratio", ""), ("pm10_change", ""), ("pass_rate", "food"), ("pass_rate", "industrial"),
               ("pass_rate", "agri"), ("water_iii_share", ""), ("drinking_compliance", ""), ("noise_day", ""),
               ("noise_night", "")]  # fmt: skip


def map_indicator_codes(year: int) -> list[str]:
    """The map's indicators for the published plan of ``year`` (bound to methods, not to 2017 target codes)."""
    rows = list(
        Indicator.objects.filter(plan__year=year, plan__status="published")
        .order_by("target__order")
        .values_list("code", "method", "computation", "product_group", "reporter_scope")
    )
    rank = {m: i for i, m in enumerate(MAP_METHODS)}
    computed = sorted(
        (rank[(comp, group if comp == "pass_rate" else "")], code)
        for code, method, comp, group, _scope in rows
        if method == Method.COMPUTED and (comp, group if comp == "pass_rate" else "") in rank
    )
    local = [code for code, method, _c, _g, scope in rows if method == Method.REPORTED and scope == "local"]
    return [code for _r, code in computed] + local


# Yangpu lies inside Danzhou: drawn as its own marker at the port's coordinates.
YANGPU_COORD = [109.20, 19.73]


def _year(request) -> int:
    """The year of the plan chosen with the shared year/plan switcher (``?year=`` / ``?plan=``, remembered)."""
    plan = plan_selected(request)
    if plan is not None:
        return plan.year
    years = selectors.evaluation_years()
    return years[0] if years else clock.current_year()


def drill_url(cv: ComputedValue | None) -> str | None:
    """The records behind a computed value (its provenance filter) as a record-list URL."""
    if cv is None or not cv.provenance:
        return None
    prov = cv.provenance
    f = dict(prov.get("filter", {}))
    kind = prov.get("records")
    if kind == "sampling":
        f.pop("sample_type__in", None)
        f["official"] = prov.get("scope", 1)  # the sample scope the rate counted
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


@replica_reads
def dashboard(request):
    user = request.user
    if not user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    stamps = selectors.evaluation_stamps()  # first: the data read below is at least as new as this stamp
    years = list(stamps)
    year = _year(request)
    # empty: the plan's first map indicator (resolved in the payload); a provincial department's: one it leads
    chosen = request.GET.get("indicator") or _default_map_indicator(user, year)
    # everything data-derived, cached per year × indicator × the user's data scope (and unit: the highlighted
    # own unit) × language, under a version stamp of the year's evaluations and of the reference data shown
    key = _cache_key("dashboard", 1, year, chosen, selectors.evaluation_scope(user), user.unit_id, get_language(),
                     stamps.get(year), selectors.reference_stamp(year))  # fmt: skip
    payload = cache.get(key)
    if payload is None:
        payload = _dashboard_payload(user=user, year=year, chosen=chosen)
        cache.set(key, payload, DASHBOARD_CACHE_SECONDS)
    context = {"year": year, "years": years or [year], "chosen": payload["chart"]["indicator"], **payload,
               "tables_html": mark_safe(payload["tables_html"])}  # fmt: skip
    return render(request, "indicators/dashboard.html", context)


def _default_map_indicator(user, year: int) -> str:
    """For a provincial department the first map indicator it leads; otherwise "" (the plan's first)."""
    led = set(selectors.led_indicators(user).filter(plan__year=year).values_list("code", flat=True))
    if not led:
        return ""
    return next((c for c in map_indicator_codes(year) if c in led), "")


def _dashboard_payload(*, user, year: int, chosen: str) -> dict:
    """The dashboard's data for ``user``'s scope as plain values (picklable), the two tables pre-rendered."""
    map_codes = map_indicator_codes(year)
    chosen = chosen or (map_codes[0] if map_codes else "")
    rows = selectors.dashboard_evaluations(user=user, year=year, unit_target_codes=[*map_codes, chosen])
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
    comparison_codes = [c for c in map_codes if c in unit_rows]
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
            for c in map_codes
            if c in unit_rows
        ],
        "tables_html": str(tables_html),
    }


@login_required
@replica_reads
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
    if not policies.can_open_report(request.user):
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
    can_edit = policies.can_edit_submission(request.user, sub)
    return render(request, "indicators/report.html", {"sub": sub, "values": values, "can_edit": can_edit,
                                                      "errors": errors, "is_office": request.user.is_office})  # fmt: skip


@login_required
@replica_reads
def completeness(request):
    year = _year(request)
    try:
        plan = services.plan_for_year(year)
    except ApplicationError:
        plan = None  # the chosen plan is a draft (office): nothing is due yet
    raw = (request.GET.get("as_of") or "").strip()
    try:
        as_of = dt.date.fromisoformat(raw) if raw else min(clock.today(), dt.date(year + 1, 1, 31))
    except ValueError:
        return HttpResponseBadRequest(_("as_of：日期格式应为 YYYY-MM-DD"))
    rows = selectors.completeness(year=year, as_of=as_of, plan=plan) if plan is not None else []
    if not policies.can_see_all_completeness(request.user):
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


@login_required
def evaluate_now(request):
    """重新评估: GET asks for the as-of date (and says what the run will replace); POST with ``confirm`` runs it."""
    if not policies.can_run_evaluation(request.user):
        raise PermissionDenied
    year = _year(request)
    try:
        plan = services.plan_for_year(year)
    except ApplicationError as exc:
        raise Http404(exc.message) from exc
    previous = selectors.evaluation_runs(user=request.user, year=year).first()
    default_as_of = services.data_as_of(year)
    error = None
    as_of = default_as_of
    if request.method == "POST":
        raw = (request.POST.get("as_of") or "").strip()
        try:
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            error = _("评估截至日期格式应为 YYYY-MM-DD：%(v)s") % {"v": raw[:20]}
        if error is None and request.POST.get("confirm") == "1":
            try:
                result = services.evaluation_run(year=year, as_of=as_of, user=request.user, trigger=RunTrigger.WEB)
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("已重新评估：%(n)s 条评估结果。") % {"n": result["evaluations"]})
                return redirect(reverse("indicators:run", args=[result["run"]]))
    status = 400 if error else 200
    return render(
        request,
        "indicators/evaluate_confirm.html",
        {"year": year, "plan": plan, "as_of": as_of, "default_as_of": default_as_of, "previous": previous,
         "error": error, "confirming": request.method == "POST" and error is None},
        status=status,
    )  # fmt: skip


@login_required
def runs(request):
    year = _year(request)
    rows = selectors.evaluation_runs(user=request.user, year=year)
    return render(request, "indicators/runs.html", {"year": year, "runs": rows[:200]})


@login_required
def run_detail(request, pk: int):
    run = get_object_or_404(EvaluationRun.objects.select_related("plan", "started_by"), pk=pk)
    previous = selectors.evaluation_run_previous(run)
    diff = selectors.evaluation_run_diff(run, previous)
    names = dict(Target.objects.filter(plan=run.plan).values_list("code", "indicator"))
    status_label = dict(Status.choices)
    period = str(run.year)
    rows = [
        {"code": code, "name": names.get(code, ""), "status": r.get("status"),
         "status_label": status_label.get(r.get("status"), r.get("status")), "value": r.get("value"),
         "units": len(r.get("units", {}))}
        for code, r in sorted(run.results.get(period, {}).items(), key=lambda kv: _code_key(kv[0]))
    ]  # fmt: skip
    totals = [(s, str(Status(s).label), run.totals.get(s, 0)) for s in Status.order()]
    for d in diff:
        d["name"] = names.get(d["target"], "")
        d["before_label"] = status_label.get(d["status_before"], d["status_before"] or "—")
        d["after_label"] = status_label.get(d["status_after"], d["status_after"] or "—")
    return render(
        request,
        "indicators/run_detail.html",
        {"year": run.year, "run": run, "previous": previous, "diff": diff, "rows": rows, "totals": totals},
    )


def _code_key(code: str):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits) if digits else 0, code)


__all__ = ["Method"]


@login_required
def methods(request):
    """指标方法 (office): how each target of the chosen plan is measured — matched by wording and unit, to confirm
    or change; targets without a method are listed first. POST ``match`` binds the plan's targets (indicators_sync);
    POST ``indicator`` + ``option`` confirms or changes one."""
    from qualityplan.indicators.methods import method_options, option_of

    if not request.user.is_office:
        raise PermissionDenied
    plan = plan_selected(request)
    if plan is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("match"):
                result = services.indicators_sync(plan=plan)
                messages.success(request, _("已按措辞和单位匹配：%(n)s 项未找到计量方法，%(c)s 项单位不同待确认。")
                                 % {"n": len(result["unmatched"]), "c": len(result["to_confirm"])})  # fmt: skip
            else:
                raw = request.POST.get("indicator", "")
                ind = Indicator.objects.filter(plan=plan, pk=int(raw) if raw.isdigit() else 0).first()
                if ind is None:
                    raise ApplicationError(_("请选择指标"), {"field": "indicator"})
                services.indicator_method_set(user=request.user, indicator=ind, option=request.POST.get("option", ""))
                messages.success(request, _("已确定 %(c)s 的计量方法。") % {"c": ind.code})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("indicators:methods") + f"?plan={plan.pk}")
    options = method_options()
    order = {"": 0, "wording": 1, "wording+unit": 2, "confirmed": 3}
    rows = []
    for ind in Indicator.objects.filter(plan=plan).select_related("target"):
        rows.append({"ind": ind, "option": option_of(ind), "label": ind.get_method_display()})
    rows.sort(key=lambda r: (order.get(r["ind"].method_match, 0), r["ind"].target.order))
    return render(request, "indicators/methods.html", {"plan": plan, "year": plan.year, "rows": rows,
                                                       "options": [(o, lbl) for o, lbl, _d in options]})  # fmt: skip
