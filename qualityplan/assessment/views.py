"""Pages: rounds, results, a unit's score sheet (self-scoring and verification), schemes, downloads."""

from __future__ import annotations

import contextlib
import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.assessment import documents, editor, policies, selectors, services
from qualityplan.assessment.choices import Grade, RoundStatus
from qualityplan.assessment.models import ItemScore, Scheme, VetoEvent
from qualityplan.assessment.scheme import SchemeError
from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.orgs.models import Unit


def _round(request, pk):
    rnd = selectors.round_get(user=request.user, pk=pk)
    if rnd is None:
        raise Http404
    return rnd


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def rounds(request):
    return render(
        request,
        "assessment/rounds.html",
        {
            "rounds": selectors.round_list(user=request.user),
            "schemes": selectors.scheme_list(user=request.user)[:20],
            "can_edit": request.user.is_office,
            "this_year": clock.today().year,
        },
    )


@login_required
@require_POST
def round_open(request):
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=request.POST.get("scheme"))
    try:
        rnd = services.round_open(user=request.user, year=int(request.POST.get("year") or scheme.year), scheme=scheme)
    except (ApplicationError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("assessment:rounds")
    return redirect("assessment:round", pk=rnd.pk)


@login_required
def round_detail(request, pk: int):
    rnd = _round(request, pk)
    rows = selectors.results(user=request.user, rnd=rnd)
    own = None
    if request.user.unit_id and not request.user.is_office:
        own = next((r for r in rows if r.ua.unit_id == request.user.unit_id), None)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "round": rnd,
            "rows": rows,
            "own": own,
            "counts": selectors.grade_counts(rows),
            "grades": Grade,
            "next_states": [(s, RoundStatus(s).label) for s in services.ROUND_TRANSITIONS[rnd.status]],
            "can_edit": policies.can_edit_round(request.user, rnd),
            "vetoes": VetoEvent.objects.restrict(request.user).filter(round=rnd).select_related("unit"),
            "veto_items": rnd.scheme.parsed().veto,
            "units": [r.ua.unit for r in rows],
        },
    )


@login_required
@require_POST
def round_transition(request, pk: int):
    rnd = _round(request, pk)
    try:
        services.round_transition(user=request.user, rnd=rnd, to=request.POST.get("to", ""))
        messages.success(request, _("考核轮次状态已更新"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:round", pk=pk)


@login_required
@require_POST
def round_score(request, pk: int):
    rnd = _round(request, pk)
    try:
        services._require_office(request.user)
        result = services.round_score(rnd=rnd)
        messages.success(request, _("已重新计分：%(units)s 个单位，%(items)s 个项目") % result)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:round", pk=pk)


@login_required
@require_POST
def veto_record(request, pk: int):
    rnd = _round(request, pk)
    unit = get_object_or_404(Unit, pk=request.POST.get("unit"))
    try:
        occurred = dt.date.fromisoformat(request.POST.get("occurred_on", ""))
        services.veto_record(
            user=request.user, rnd=rnd, unit=unit, code=request.POST.get("code", ""), occurred_on=occurred,
            description=request.POST.get("description", ""),
        )  # fmt: skip
        messages.success(request, _("已记录否决事件"))
    except ValueError:
        messages.error(request, _("发生日期（occurred_on）格式应为 YYYY-MM-DD"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:round", pk=pk)


def _assessment(request, pk, unit_id):
    rnd = _round(request, pk)
    ua = selectors.assessment_get(user=request.user, rnd=rnd, unit_id=unit_id)
    if ua is None:
        raise Http404
    return rnd, ua


@login_required
def unit_detail(request, pk: int, unit_id: int):
    rnd, ua = _assessment(request, pk, unit_id)
    items = selectors.items_of(ua=ua)
    lines = selectors.explanation(ua=ua, items=items)
    return render(
        request,
        "assessment/unit_detail.html",
        {
            "round": rnd,
            "ua": ua,
            "items": items,
            "lines": lines,
            "line_of": {ln.code: ln for ln in lines},
            "extra_lines": [ln for ln in lines if ln.kind in ("cap", "veto")],
            "sensitivity": selectors.sensitivity(ua=ua, items=items),
            "last": selectors.previous(ua=ua),
            "can_self": policies.can_self_assess(request.user, ua),
            "can_verify": policies.can_verify(request.user, rnd),
            "scheme": rnd.scheme.parsed(),
        },
    )


def _item(request, pk: int) -> ItemScore:
    item = (
        ItemScore.objects.restrict(request.user)
        .select_related("assessment__round", "assessment__unit")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _back(item):
    return redirect("assessment:unit", pk=item.assessment.round_id, unit_id=item.assessment.unit_id)


@login_required
@require_POST
def item_self(request, pk: int):
    item = _item(request, pk)
    try:
        services.item_self_score(
            user=request.user, item=item, points=request.POST.get("points", ""), note=request.POST.get("note", "")
        )
        if request.FILES.get("file"):
            services.evidence_add(user=request.user, item=item, uploaded=request.FILES["file"])
        messages.success(request, _("项目 %(code)s 自评已保存") % {"code": item.code})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(item)


@login_required
@require_POST
def item_verify(request, pk: int):
    item = _item(request, pk)
    try:
        services.item_verify(
            user=request.user, item=item, points=request.POST.get("points", ""), reason=request.POST.get("reason", "")
        )
        messages.success(request, _("项目 %(code)s 已核定") % {"code": item.code})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(item)


@login_required
@require_POST
def unit_submit(request, pk: int, unit_id: int):
    rnd, ua = _assessment(request, pk, unit_id)
    try:
        services.unit_submit(user=request.user, ua=ua, note=request.POST.get("note", ""))
        messages.success(request, _("自评已提交"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:unit", pk=pk, unit_id=unit_id)


@login_required
@require_POST
def unit_verify(request, pk: int, unit_id: int):
    rnd, ua = _assessment(request, pk, unit_id)
    try:
        services.unit_verify(user=request.user, ua=ua)
        messages.success(request, _("%(unit)s 已核定") % {"unit": ua.unit.name})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:unit", pk=pk, unit_id=unit_id)


# --------------------------------------------------------------------------- downloads


@login_required
def report_docx(request, pk: int):
    rnd = _round(request, pk)
    if not policies.can_read_province_report(request.user, rnd):
        raise Http404  # before closing, the draft report is the office's
    return _download(
        documents.province_report_docx(rnd), f"{rnd.year}年度市县政府质量工作考核结果通报.docx", documents.DOCX
    )


@login_required
def results_xlsx(request, pk: int):
    rnd = _round(request, pk)
    return _download(documents.results_xlsx(rnd, user=request.user), f"{rnd.year}年度考核结果.xlsx", documents.XLSX)


@login_required
def sheet_docx(request, pk: int, unit_id: int):
    rnd, ua = _assessment(request, pk, unit_id)
    return _download(documents.score_sheet_docx(ua), f"{ua.unit.name}{rnd.year}年度考核评分表.docx", documents.DOCX)


@login_required
def sheet_xlsx(request, pk: int, unit_id: int):
    rnd, ua = _assessment(request, pk, unit_id)
    return _download(documents.unit_sheet_xlsx(ua), f"{ua.unit.name}{rnd.year}年度考核评分表.xlsx", documents.XLSX)


@login_required
def summary_docx(request, unit_id: int, year: int, kind: str):
    if kind not in ("half_year", "annual"):
        raise Http404
    unit = get_object_or_404(Unit, pk=unit_id)
    if not policies.can_read_unit_summary(request.user, unit):
        raise Http404
    what = "上半年" if kind == "half_year" else "年度"
    data = documents.summary_draft_docx(unit=unit, year=year, kind=kind)
    return _download(data, f"{unit.name}{year}年{what}工作总结（草稿）.docx", documents.DOCX)


# --------------------------------------------------------------------------- schemes


@login_required
def scheme_detail(request, pk: int):
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    text, errors = scheme.text, []
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            if request.POST.get("action") == "version":
                new = services.scheme_new_version(
                    user=request.user, scheme=scheme, text=text, note=request.POST.get("note", "")
                )
                messages.success(request, _("已另存为第 %(v)s 版") % {"v": new.version})
                return redirect("assessment:scheme", pk=new.pk)
            if request.POST.get("action") == "validate":
                services.scheme_validate(text=text)
                messages.success(request, _("评分细则校验通过"))
            else:
                services.scheme_update(user=request.user, scheme=scheme, text=text, note=request.POST.get("note", ""))
                messages.success(request, _("评分细则已保存"))
                return redirect("assessment:scheme", pk=scheme.pk)
        except SchemeError as exc:
            errors = exc.extra.get("errors") or [{"item": "", "message": exc.message}]
        except ApplicationError as exc:
            errors = [{"item": "", "message": exc.message}]
    parsed = None
    with contextlib.suppress(SchemeError):
        parsed = scheme.parsed()
    return render(
        request,
        "assessment/scheme_detail.html",
        {
            "scheme": scheme,
            "text": text,
            "errors": errors,
            "parsed": parsed,
            "versions": Scheme.objects.restrict(request.user).filter(code=scheme.code).order_by("-version"),
            "locked_by": scheme.rounds.filter(status=RoundStatus.CLOSED).first(),
            "can_edit": request.user.is_office,
        },
    )


@login_required
def scheme_edit(request, pk: int):
    """The structured editor: items, points, rules with parameters, evidence, veto items; validate, preview the
    scores it would give each unit now, save (as the YAML box does) or save as a new version."""
    if not request.user.is_office:
        raise PermissionDenied
    scheme = get_object_or_404(selectors.scheme_list(user=request.user), pk=pk)
    text, errors, preview = scheme.text, [], None
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        note = request.POST.get("note", "")
        try:
            text = editor.apply(scheme.text, request.POST)
            data = services.scheme_validate(text=text)
            if action == "save":
                services.scheme_update(user=request.user, scheme=scheme, text=text, note=note)
                messages.success(request, _("评分细则已保存"))
                return redirect("assessment:scheme", pk=scheme.pk)
            if action == "version":
                new = services.scheme_new_version(user=request.user, scheme=scheme, text=text, note=note)
                messages.success(request, _("已另存为第 %(v)s 版") % {"v": new.version})
                return redirect("assessment:scheme", pk=new.pk)
            preview = selectors.scheme_preview(data=data)
            messages.success(request, _("评分细则校验通过，下表为按当前数据预览的得分（未保存）"))
        except SchemeError as exc:
            errors = exc.extra.get("errors") or [{"item": "", "message": exc.message}]
        except ApplicationError as exc:
            errors = [{"item": "", "message": exc.message}]
    try:
        form = editor.rows(text)
    except SchemeError as exc:
        messages.error(request, exc.message)
        return redirect("assessment:scheme", pk=scheme.pk)
    if request.method == "POST" and errors:
        form = _keep_typed(form, request.POST)
    return render(
        request,
        "assessment/scheme_edit.html",
        {"scheme": scheme, "form": form, "errors": errors, "preview": preview, "note": request.POST.get("note", "")},
    )


def _keep_typed(form: dict, post) -> dict:
    """After a refused submit, show what was typed rather than the stored values."""
    for row in form["items"] + form["bonus"]:
        for key in ("title", "points", "rule", "params", "evidence", "basis"):
            if f"{key}-{row['code']}" in post:
                row[key] = post.get(f"{key}-{row['code']}")
    veto, n = [], 0
    while f"veto-code-{n}" in post:
        veto.append({k: post.get(f"veto-{k}-{n}", "") for k in ("code", "title", "basis")})
        n += 1
    if veto:
        form["veto"] = veto
    return form
