"""Risk pages: list with the open risks by level and overdue disposals, intake (form, CSV), detail with 研判,
disposal and closing, the statistical signals with one-click intake and the loop view. Every POST checks its policy
before it reads the form; evidence files are served by the one ``/files/`` download view."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.querysets import VIEW
from qualityplan.monitoring.models import SamplingRecord
from qualityplan.risk import policies, selectors, services
from qualityplan.risk.choices import DisposalStatus, Level, Stage
from qualityplan.risk.detection import period_parse, scan, signal_find
from qualityplan.risk.forms import CloseForm, CompleteForm, DisposalForm, EvidenceForm, ImportForm, ReviewForm, RiskForm
from qualityplan.risk.models import Disposal, Risk, RiskEvidence


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _run(form, action):
    """Run ``action(cleaned_data)`` for a valid form: its result, or None with the service error on its field."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ApplicationError as exc:
        field = exc.extra.get("field")
        form.add_error(field if field in form.fields else None, exc.message)
        return None


@login_required
def risk_list(request):
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    level = request.GET.get("level", "")
    level = level if level in Level.values else ""
    q = request.GET.get("q", "")[:100]
    qs = selectors.risk_list(user=request.user, stage=stage, level=level, q=q)
    by_level = selectors.open_by_level(user=request.user)
    return render(
        request,
        "risk/list.html",
        {
            "page": Paginator(qs, 50).get_page(request.GET.get("page")),
            "stage": stage,
            "level": level,
            "q": q,
            "stages": Stage.choices,
            "levels": [(v, label, by_level.get(v, 0)) for v, label in Level.choices],
            "unassessed": by_level.get("-", 0),
            "by_region": selectors.open_by_region(user=request.user),
            "overdue": selectors.disposal_list(user=request.user, overdue=True)[:50],
            "can_create": policies.can_create_risk(request.user),
            "can_signals": policies.can_open_from_signal(request.user),
        },
    )


@login_required
def risk_create(request):
    if not policies.can_create_risk(request.user):
        raise PermissionDenied
    form = RiskForm(request.POST or None, request.FILES or None, initial={"received_on": clock.today()})
    if request.method == "POST":
        risk = _run(form, lambda d: services.risk_create(user=request.user, **d))
        if risk is not None:
            messages.success(request, _("已登记风险信息：%(n)s") % {"n": risk.number})
            return redirect("risk:detail", pk=risk.pk)
    return render(request, "risk/form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def risk_import(request):
    _require(policies.can_import_risks(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            form.add_error("file", _("文件超过 5 MB。"))
        else:
            try:
                risks = services.risk_import_csv(user=request.user, data=upload.read())
                messages.success(request, _("已导入 %(n)s 条风险信息。") % {"n": len(risks)})
                return redirect("risk:list")
            except ApplicationError as exc:
                errors = exc.extra.get("errors", [])
                form.add_error(None, exc.message)
    return render(
        request,
        "risk/import.html",
        {"form": form, "errors": errors, "columns": list(services.CSV_COLUMNS)},
        status=400 if form.errors else 200,
    )


def _risk(request, pk: int) -> Risk:
    risk = selectors.risk_detail(user=request.user, pk=pk)
    if risk is None:
        raise Http404
    return risk


@login_required
def risk_detail(request, pk: int):
    risk = _risk(request, pk)
    can_change = policies.can_change_risk(request.user, risk)
    disposals = list(risk.disposals.select_related("owner", "supervision_item"))
    for d in disposals:
        d.can_complete = d.status == DisposalStatus.OPEN and policies.can_complete_disposal(request.user, d)
        d.form = CompleteForm(initial={"version": d.version}, prefix=f"d{d.pk}")
    return render(
        request,
        "risk/detail.html",
        {
            "risk": risk,
            "today": clock.today(),
            "reviews": risk.reviews.all(),
            "disposals": disposals,
            "samples": risk.sample_links.select_related("sampling_record", "sampling_record__unit"),
            "evidence": RiskEvidence.objects.restrict(request.user, VIEW).filter(risk=risk),
            "can_change": can_change and risk.is_open,
            "can_close": policies.can_close_risk(request.user, risk) and risk.stage == Stage.DISPOSAL,
            "review_form": ReviewForm(risk=risk, initial={"version": risk.version}),
            "disposal_form": DisposalForm(initial={"owner": risk.unit_id}),
            "close_form": CloseForm(initial={"version": risk.version}),
            "evidence_form": EvidenceForm(),
        },
    )


def _back(request, risk: Risk, form, label: str):
    """After a failed POST: show the first error and return to the risk (HTTP 400 page with the message)."""
    errors = [
        f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip() for f, e in form.errors.items()
    ]
    return render(
        request, "risk/error.html", {"risk": risk, "label": label, "errors": errors}, status=400
    )  # fmt: skip


def _post(request, risk: Risk, form, action, *, label: str, done: str):
    """A POSTed form on the risk page: run the service, then back to the risk, or the errors with HTTP 400."""
    if _run(form, action) is None:
        return _back(request, risk, form, label)
    messages.success(request, done)
    return redirect("risk:detail", pk=risk.pk)


@login_required
@require_POST
def risk_review(request, pk: int):
    risk = _risk(request, pk)
    _require(policies.can_review(request.user, risk))
    form = ReviewForm(request.POST, risk=risk)
    return _post(
        request,
        risk,
        form,
        lambda d: services.risk_review(user=request.user, risk=risk, **d),
        label=_("研判"),
        done=_("已记录研判意见。"),
    )


@login_required
@require_POST
def disposal_create(request, pk: int):
    risk = _risk(request, pk)
    _require(policies.can_assign_disposal(request.user, risk))
    form = DisposalForm(request.POST)
    return _post(
        request,
        risk,
        form,
        lambda d: services.disposal_create(user=request.user, risk=risk, **d),
        label=_("处置任务"),
        done=_("已交办处置任务。"),
    )


@login_required
@require_POST
def disposal_complete(request, pk: int):
    disposal = get_object_or_404(Disposal.objects.restrict(request.user, VIEW).select_related("risk"), pk=pk)
    _require(policies.can_complete_disposal(request.user, disposal))
    form = CompleteForm(request.POST, prefix=f"d{disposal.pk}")
    return _post(
        request,
        disposal.risk,
        form,
        lambda d: services.disposal_complete(user=request.user, disposal=disposal, **d),
        label=_("办理结果"),
        done=_("已报告办理结果。"),
    )


@login_required
@require_POST
def risk_close(request, pk: int):
    risk = _risk(request, pk)
    _require(policies.can_close_risk(request.user, risk))
    form = CloseForm(request.POST)
    return _post(
        request,
        risk,
        form,
        lambda d: services.risk_close(user=request.user, risk=risk, **d),
        label=_("结案"),
        done=_("已结案。"),
    )


@login_required
@require_POST
def evidence_add(request, pk: int):
    risk = _risk(request, pk)
    _require(policies.can_add_evidence(request.user, risk))
    form = EvidenceForm(request.POST, request.FILES)
    return _post(
        request,
        risk,
        form,
        lambda d: services.evidence_add(user=request.user, risk=risk, upload=d["evidence"]),
        label=_("证据材料"),
        done=_("已上传证据材料。"),
    )


@login_required
@require_POST
def samples_collect(request, pk: int):
    risk = _risk(request, pk)
    _require(policies.can_collect_samples(request.user, risk))
    try:
        n = services.risk_collect_samples(user=request.user, risk=risk)
        messages.success(request, _("回流抽检结果 %(n)s 批次。") % {"n": n})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("risk:detail", pk=risk.pk)


@login_required
def bulletin(request):
    """The monthly risk bulletin (.docx, GB/T 9704) for ``?month=YYYY-MM`` (default: last month)."""
    from django.http import HttpResponse

    from qualityplan.reports.risk_bulletin import build_risk_bulletin

    _require(policies.can_view_bulletin(request.user))
    text = request.GET.get("month", "")
    if text:
        try:
            year, kind, month = period_parse(text)
        except ValueError:
            kind = ""
        if kind != "month":
            return render(request, "risk/error_plain.html", {"error": _("月份格式应为 YYYY-MM。")}, status=400)
    else:
        first = clock.today().replace(day=1)
        prev = first - dt.timedelta(days=1)
        year, month = prev.year, prev.month
    data = selectors.bulletin_data(user=request.user, year=year, month=month)
    response = HttpResponse(
        build_risk_bulletin(data),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"risk-bulletin-{year}-{month:02d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def risk_loop(request, pk: int):
    risk = _risk(request, pk)
    return render(request, "risk/loop.html", {"risk": risk, **selectors.risk_loop(user=request.user, risk=risk)})


def _year_period(request) -> tuple[int, str, str]:
    year_text = request.GET.get("year") or str(clock.today().year)
    period = (request.GET.get("period") or "").strip()
    error = ""
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        return clock.today().year, "", _("年份无效。")
    year = int(year_text)
    if period:
        try:
            p_year, _k, _i = period_parse(period)
            if p_year != year:
                error = _("期间须在所选年份内。")
        except ValueError:
            error = _("期间格式应为 YYYY-MM 或 YYYYQn。")
    return year, period, error


@login_required
def signal_list(request):
    _require(policies.can_view_signals(request.user))
    year, period, error = _year_period(request)
    signals = [] if error else scan(year=year, period=period or None)
    opened = set(Risk.objects.filter(source_ref__startswith="signal|").values_list("source_ref", flat=True))
    return render(
        request,
        "risk/signals.html",
        {
            "signals": signals,
            "year": year,
            "period": period,
            "error": error,
            "opened": opened,
            "can_open": policies.can_open_from_signal(request.user),
            "auto_open": selectors.auto_open_rule(user=request.user),
            "can_edit_auto_open": policies.can_edit_auto_open(request.user),
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def signal_open(request):
    if not policies.can_open_from_signal(request.user):
        raise PermissionDenied
    key = request.POST.get("key", "")[:400]
    year = request.POST.get("year", "")
    signal = signal_find(key=key, year=int(year)) if year.isdigit() else None
    if signal is None:
        messages.error(request, _("信号不存在或已变化，请重新扫描。"))
        return redirect("risk:signals")
    try:
        risk = services.risk_from_signal(user=request.user, signal=signal.as_dict())
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("risk:signals")
    messages.success(request, _("已根据信号登记风险：%(n)s") % {"n": risk.number})
    return redirect("risk:detail", pk=risk.pk)


@login_required
@require_POST
def sample_open(request, pk: int):
    _require(policies.can_open_from_sample(request.user))
    record = get_object_or_404(SamplingRecord.objects.restrict(request.user, VIEW), pk=pk)
    try:
        risk = services.risk_from_sample(user=request.user, sampling_record=record)
    except ApplicationError as exc:
        if exc.extra.get("code") == "forbidden":
            raise PermissionDenied from exc
        messages.error(request, exc.message)
        return redirect("risk:list")
    return redirect("risk:detail", pk=risk.pk)


@login_required
def auto_open_settings(request):
    """The office's threshold for automatic intake from signals; a stale save keeps the input and says so."""
    from qualityplan.core.concurrency import StaleVersion
    from qualityplan.risk import autoopen
    from qualityplan.risk.forms import AutoOpenForm

    _require(policies.can_edit_auto_open(request.user))
    current = selectors.auto_open_rule(user=request.user)
    fields = ("enabled", "open_pchart", "open_run", "open_cluster", "min_z", "min_failed", "version")
    form = AutoOpenForm(request.POST or None, initial={f: getattr(current, f) for f in fields})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            autoopen.auto_open_rule_update(user=request.user, **form.cleaned_data)
            messages.success(request, _("已保存自动立案阈值。"))
            return redirect("risk:auto-open")
        except StaleVersion as exc:
            form.data = form.data.copy()
            form.data["version"] = str(exc.extra["current"])  # a deliberate second save overwrites
            form.add_error(None, exc.message + " " + _("您的输入已保留；请核对上方的当前设置，确认后再次保存。"))
            status = 409
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
    if form.errors and status == 200:
        status = 400
    return render(request, "risk/auto_open.html", {"form": form, "current": current}, status=status)
