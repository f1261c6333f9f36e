import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError
from qualityplan.orgs.models import Unit
from qualityplan.plans import evidence, policies  # noqa: E402
from qualityplan.plans.choices import TargetGroup, UnitRole
from qualityplan.plans.exports import matrix_xlsx
from qualityplan.plans.filtersets import TargetFilterSet
from qualityplan.plans.models import Measure, Plan, Target
from qualityplan.plans.selectors import (
    SESSION_PLAN,
    measure_list,
    measures_of_unit,
    plan_compare,
    plan_previous,
    plan_selected,
    plan_visible,
    responsibility_matrix,
    target_last_year,
)
from qualityplan.plans.services import plan_delete, plan_policy, plan_publish, plan_published_for, plan_withdraw

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan_from_request(request) -> Plan:
    """The plan chosen with the shared switcher (``?plan=`` / ``?year=``, remembered in the session)."""
    plan = plan_selected(request)
    if plan is None:
        raise Http404(_("没有可查看的计划"))
    return plan


def overview(request):
    plan = _plan_from_request(request)
    by_group = {row["group"]: row["n"] for row in plan.targets.values("group").annotate(n=Count("id"))}
    groups = [(value, label, by_group.get(value, 0)) for value, label in TargetGroup.choices]
    quantitative = plan.targets.exclude(comparator="qualitative").count()
    sections = list(plan.sections.all())
    measures_by_section: dict[str, int] = {}
    for number in plan.measures.values_list("number", flat=True):
        parent = number.rsplit(".", 1)[0] if number.count(".") >= 2 else number
        measures_by_section[parent] = measures_by_section.get(parent, 0) + 1
    context = {
        "plan": plan,
        "can_publish": plan_policy(user=request.user, plan=plan, action="publish") is None,
        "can_withdraw": plan_policy(user=request.user, plan=plan, action="withdraw") is None,
        "can_delete": plan_policy(user=request.user, plan=plan, action="delete") is None,
        "groups": groups,
        "n_targets": sum(by_group.values()),
        "n_quantitative": quantitative,
        "n_measures": plan.measures.count(),
        "n_deadlines": plan.deadlines.count(),
        "n_units": Unit.objects.count(),
        "sections": [(s, measures_by_section.get(s.number)) for s in sections],
        "deadlines": plan.deadlines.all(),
    }
    return render(request, "plans/overview.html", context)


def targets(request):
    plan = _plan_from_request(request)
    qs = Target.objects.restrict(request.user).filter(plan=plan).select_related("measure")
    filterset = TargetFilterSet(request.GET or None, queryset=qs)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else qs
    page = Paginator(rows.order_by("order"), 100).get_page(request.GET.get("page"))
    previous = plan_previous(plan=plan)
    last_year = target_last_year(plan=plan, previous=previous)
    for t in page:
        t.last_year = last_year.get(t.pk)
    can_edit = policies.can_edit_target(request.user) and not policies.plan_content_locked(plan)
    return render(
        request,
        "plans/targets.html",
        {"plan": plan, "filterset": filterset, "page": page, "units": Unit.objects.all(), "previous": previous,
         "can_edit": can_edit},
    )  # fmt: skip


def measures(request):
    """措施 list: every measure of the plan with its lead and cooperating units; filter by unit and keyword."""
    plan = _plan_from_request(request)
    qs = measure_list(user=request.user, plan=plan).annotate(n_targets=Count("targets", distinct=True))
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit() and int(unit_id) < 2**31:  # anything else: no unit filter (never an overflow 500)
        qs = qs.filter(id__in=measures_of_unit(unit_id=int(unit_id)).values("id"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(text__icontains=q) | Q(number__icontains=q))
    rows = []
    for m in qs.order_by("order"):
        resp = list(m.responsibilities.all())
        rows.append(
            {
                "measure": m,
                "lead": [r for r in resp if r.role == UnitRole.LEAD],
                "cooperating": [r for r in resp if r.role == UnitRole.COOPERATING],
            }
        )
    if request.GET.get("format") == "csv":
        return _measures_csv(plan, rows)
    return render(
        request,
        "plans/measures.html",
        {"plan": plan, "rows": rows, "units": Unit.objects.all(), "unit_id": unit_id, "q": q},
    )


def _measures_csv(plan: Plan, rows: list[dict]) -> HttpResponse:
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="measures-{plan.year}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = csv.writer(response)
    writer.writerow([_("编号"), _("措施"), _("牵头单位"), _("配合单位"), _("相关目标")])
    for r in rows:
        m = r["measure"]
        writer.writerow(
            [
                m.number,
                m.title,
                "、".join(x.written for x in r["lead"]),
                "、".join(x.written for x in r["cooperating"]),
                m.n_targets,
            ]  # fmt: skip
        )
    return response


def measure_detail(request, pk: int):
    measure = get_object_or_404(
        Measure.objects.restrict(request.user)
        .select_related("plan")
        .prefetch_related("responsibilities__unit", "responsibilities__group__members", "targets"),
        pk=pk,
    )
    resp = list(measure.responsibilities.all())
    return render(
        request,
        "plans/measure_detail.html",
        {
            "measure": measure,
            "lead": [r for r in resp if r.role == UnitRole.LEAD],
            "cooperating": [r for r in resp if r.role == UnitRole.COOPERATING],
            "evidence": evidence.for_measure(measure, request.user),
        },
    )


@login_required
def matrix(request):
    plan = _plan_from_request(request)
    kind = request.GET.get("kind", "")
    unit_ids = list(Unit.objects.filter(kind=kind).values_list("id", flat=True)) if kind else None
    data = responsibility_matrix(user=request.user, plan=plan, unit_ids=unit_ids)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(matrix_xlsx(matrix=data, title=f"{plan.title} 责任矩阵"), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="responsibility-matrix-{plan.year}.xlsx"'
        return response
    return render(
        request,
        "plans/matrix.html",
        {"plan": plan, "matrix": data, "kind": kind, "kinds": Unit._meta.get_field("kind").choices},
    )


# --- plan-document import (office only) -------------------------------------------------------------------

from django.utils.safestring import mark_safe  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from qualityplan.plans import imports, method_hooks  # noqa: E402
from qualityplan.plans.interchange import COMPARATORS  # noqa: E402
from qualityplan.plans.models import PlanImport  # noqa: E402


def _office_only(request):
    if not policies.can_import_plan(request.user):
        raise Http404


@login_required
def import_list(request):
    _office_only(request)
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            messages.error(request, _("请选择要上传的计划文件（.txt 或 .docx）"))
        else:
            try:
                draft = imports.plan_import_create(uploaded=uploaded, user=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("plans:import-review", pk=draft.pk)
    drafts = PlanImport.objects.select_related("plan", "created_by")[:50]
    return render(request, "plans/import_list.html", {"drafts": drafts})


def _flagged_first(items: list[dict]) -> list[tuple[int, dict]]:
    """(index, item) pairs, the items the reader was unsure about first, each group in document order."""
    rows = list(enumerate(items))
    return sorted(rows, key=lambda r: bool(r[1].get("reviewed") or not (r[1].get("flags") or r[1].get("uncertain"))))


@login_required
def import_review(request, pk: int):
    _office_only(request)
    draft = get_object_or_404(PlanImport, pk=pk)
    spans = imports.review_spans(draft)
    parsed = draft.parsed
    counts = {k: len(parsed.get(k) or []) for k in ("targets", "measures", "deadlines")}
    flagged = sum(1 for s in spans if s["flagged"])
    unknown_units = sorted(
        {
            r["written"]
            for m in parsed.get("measures") or []
            for r in (m.get("lead_resolved") or []) + (m.get("cooperating_resolved") or [])
            if r.get("unknown")
        }
    )
    method_rows = method_hooks.review_rows(parsed.get("targets") or [])
    return render(
        request,
        "plans/import_review.html",
        {
            "draft": draft,
            "source_html": mark_safe(imports.highlight_html(draft.source_text, spans)),  # noqa: S308 - escaped inside
            "counts": counts,
            "flagged": flagged,
            "unknown_units": unknown_units,
            "comparators": COMPARATORS,
            "deadline_kinds": imports.DEADLINE_KINDS,
            "rows": {k: _flagged_first(parsed.get(k) or []) for k in ("measures", "targets", "deadlines")},
            "corrections": parsed.get("corrections") or [],
            "next_version": imports.next_version(parsed.get("year") or 0) if parsed.get("year") else 1,
            "methods": method_rows,
            "method_options": method_hooks.provider().options() if method_rows else [],
            "no_method": [r for r in method_rows if not r["option"]],
        },
    )


@login_required
@require_POST
def import_method(request, pk: int, index: int):
    """The office confirms or changes the measurement method of one target on the review page."""
    _office_only(request)
    draft = get_object_or_404(PlanImport, pk=pk)
    try:
        imports.plan_import_set_method(draft=draft, index=index, option=request.POST.get("option", ""),
                                       user=request.user)  # fmt: skip
        messages.success(request, _("已确定计量方法"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('plans:import-review', args=[pk])}#method-{index}")


@login_required
@require_POST
def import_edit(request, pk: int, kind: str, index: int):
    _office_only(request)
    draft = get_object_or_404(PlanImport, pk=pk)
    try:
        if request.POST.get("remove"):
            imports.plan_import_remove_item(draft=draft, kind=kind, index=index, user=request.user)
            messages.success(request, _("已删除该条目"))
        else:
            imports.plan_import_edit_item(
                draft=draft, kind=kind, index=index, data=request.POST.dict(), user=request.user
            )
            messages.success(request, _("已保存修改"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('plans:import-review', args=[pk])}#{kind}-{index}")


@login_required
def import_case(request, pk: int):
    """The reviewed draft as a regression case for the reader (source text + reading + corrections), JSON."""
    _office_only(request)
    draft = get_object_or_404(PlanImport, pk=pk)
    case = imports.plan_import_regression_case(draft)
    response = HttpResponse(
        json.dumps(case, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plandoc-case-{draft.pk}.json"'
    return response


@login_required
@require_POST
def import_commit(request, pk: int):
    _office_only(request)
    draft = get_object_or_404(PlanImport, pk=pk)
    year = request.POST.get("year")
    try:
        plan = imports.plan_import_commit(draft=draft, year=int(year) if year and year.isdigit() else None)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:import-review", pk=pk)
    messages.success(
        request,
        _("已创建计划草稿：%(title)s（第%(version)s版）。核对无误后由办公室发布。")
        % {"title": plan.title, "version": plan.version},
    )
    return redirect(f"/plans/?plan={plan.pk}")


LIFECYCLE = {"publish": plan_publish, "withdraw": plan_withdraw, "delete": plan_delete}


@login_required
def plan_lifecycle(request, pk: int, action: str):
    """发布 / 撤回 / 删除: GET shows what the action does and asks for confirmation; POST does it (audited)."""
    if action not in LIFECYCLE:
        raise Http404
    plan = get_object_or_404(Plan.objects.restrict(request.user), pk=pk)
    reason = plan_policy(user=request.user, plan=plan, action=action)
    if reason and not request.user.is_office:
        raise Http404  # reporters do not learn about drafts
    error = reason
    current = plan_published_for(year=plan.year, region=plan.region)
    if request.method == "POST" and not reason:
        stamp = request.POST.get("updated_at", "")
        try:
            expected = dt.datetime.fromisoformat(stamp)
        except ValueError:
            error = _("缺少版本信息，请刷新后重试。")
        else:
            try:
                result = LIFECYCLE[action](plan=plan, user=request.user, expected_updated_at=expected)
            except ApplicationError as exc:
                error = exc.message
            else:
                if action == "delete":
                    messages.success(request, _("已删除计划：%(t)s") % {"t": plan})
                    request.session.pop(SESSION_PLAN, None)
                    return redirect("plans:overview")
                done = {"publish": _("已发布计划：%(t)s"), "withdraw": _("已撤回计划：%(t)s")}[action]
                messages.success(request, done % {"t": result})
                return redirect(reverse("plans:overview") + f"?plan={result.pk}")
    return render(
        request,
        "plans/lifecycle_confirm.html",
        {"plan": plan, "action": action, "error": error, "current": current if current != plan else None},
        status=400 if error and request.method == "POST" else 200,
    )


@login_required
def target_edit(request, pk: int):
    """修改目标 (office): a target of a draft or withdrawn plan; a published plan's targets are fixed — the page says
    so and a POST is refused with 409, before the input is looked at."""
    from qualityplan.plans.forms import TargetForm
    from qualityplan.plans.services import target_edit_check, target_update

    target = get_object_or_404(Target.objects.restrict(request.user).select_related("plan"), pk=pk)
    locked, error = None, None
    try:
        target_edit_check(user=request.user, target=target)  # PermissionDenied (403) for anybody but the office
    except ApplicationError as exc:  # Conflict: the plan is published
        locked = exc.message
    form = TargetForm(instance=target)
    if request.method == "POST" and not locked:
        form = TargetForm(request.POST, instance=Target.objects.get(pk=target.pk))
        if form.is_valid():
            try:
                target_update(user=request.user, target=target, data={k: form.cleaned_data[k] for k in form.fields},
                              expected_version=request.POST.get("version"))  # fmt: skip
            except ApplicationError as exc:
                error = exc.message
            else:
                messages.success(request, _("已修改目标 %(c)s。") % {"c": target.code or target.indicator})
                return redirect(reverse("plans:targets") + f"?plan={target.plan_id}")
    status = 409 if locked and request.method == "POST" else (400 if request.method == "POST" else 200)
    return render(request, "plans/target_edit.html",
                  {"target": target, "plan": target.plan, "form": form, "locked": locked, "error": error},
                  status=status)  # fmt: skip


@login_required
def compare(request, pk: int):
    """A plan against the published plan of the year before: targets added / removed / changed, units changed."""
    plan = get_object_or_404(plan_visible(user=request.user), pk=pk)
    diff = plan_compare(plan=plan, previous=plan_previous(plan=plan))
    return render(request, "plans/compare.html", {"plan": plan, **diff})
