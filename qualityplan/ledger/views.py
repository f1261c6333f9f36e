"""Ledger pages: tasks, task detail with progress, cooperating parts, summaries, submission board, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualityplan.core import clock
from qualityplan.core.concurrency import StaleVersion, version_check
from qualityplan.core.db_routing import replica_reads
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.querysets import CHANGE
from qualityplan.core.selectors import changes_since
from qualityplan.ledger import policies, selectors, services
from qualityplan.ledger.choices import BoardStatus, DueRule, SummaryKind, TaskStatus
from qualityplan.ledger.exports import ledger_xlsx
from qualityplan.ledger.forms import ProgressForm, ReturnForm, SummaryForm, TaskFilterForm, TaskForm
from qualityplan.ledger.models import Summary, Task, TaskPart
from qualityplan.orgs.models import Unit
from qualityplan.plans.models import Measure
from qualityplan.plans.selectors import measures_of_unit, plan_current, plan_selected


def _plan(request):
    """The plan chosen with the shared year/plan switcher (remembered in the session)."""
    return plan_selected(request)


@login_required
def task_list(request):
    plan = _plan(request)
    filters = {k: request.GET.get(k) for k in ("status", "unit", "measure", "overdue", "q")}
    filters["plan"] = plan.pk if plan else None
    form = TaskFilterForm(request.GET)
    if form.is_valid():
        qs = selectors.task_list(user=request.user, filters={**form.cleaned_data, "plan": filters["plan"]})
    else:
        qs = Task.objects.none()
        for name, errors in form.errors.items():
            messages.error(request, f"{name}: {' '.join(errors)}")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/tasks.html",
        {
            "plan": plan,
            "page": page,
            "filters": filters,
            "stats": selectors.ledger_stats(user=request.user, plan=plan),
            "statuses": TaskStatus.choices,
            "units": Unit.objects.filter(tasks__isnull=False).distinct() if request.user.is_office else None,
            "today": clock.today(),
            "can_create": policies.can_create_task(request.user),
        },
        status=200 if form.is_valid() else 400,
    )


def _measures_for(user, plan):
    """The measures the user's unit may break down: those it leads or cooperates on (office: all)."""
    qs = Measure.objects.restrict(user).filter(plan=plan)
    if not user.is_office:
        qs = qs.filter(id__in=measures_of_unit(unit_id=user.unit_id).values("id"))
    return qs.order_by("order")


@login_required
def task_create(request):
    if not policies.can_create_task(request.user):
        raise PermissionDenied
    plan = _plan(request)
    measures = _measures_for(request.user, plan) if plan else Measure.objects.none()
    initial = {"measure": request.GET.get("measure")} if request.GET.get("measure") else None
    form = TaskForm(request.POST or None, measures=measures, office=request.user.is_office, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                user=request.user,
                measure=data["measure"],
                unit=data.get("unit"),
                title=data["title"],
                owner_name=data["owner_name"],
                owner_phone=data["owner_phone"],
                deadline=data["deadline"],
                expected_output=data["expected_output"],
                milestones=data["milestones"],
                parts=form.parts(),
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("任务已创建。"))
            return redirect("ledger:task", pk=task.pk)
    return render(request, "ledger/task_form.html", {"form": form, "plan": plan})


@login_required
def task_detail(request, pk: int):
    task = selectors.task_get(user=request.user, pk=pk)
    if task is None:
        raise Http404
    can_lead = Task.objects.restrict(request.user, CHANGE).filter(pk=task.pk).exists()
    my_parts = [p for p in task.parts.all() if policies.can_report_on_part(request.user, p)]
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            part = get_object_or_404(TaskPart, pk=data["part"], task=task) if data.get("part") else None
            milestone = task.milestones.filter(pk=data["milestone"]).first() if data.get("milestone") else None
            try:
                services.progress_report(
                    user=request.user,
                    task=task,
                    part=part,
                    status=data["status"],
                    narrative=data["narrative"],
                    milestone=milestone,
                    reason=data["reason"],
                    files=data["files"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("进展已报告。"))
                return redirect("ledger:task", pk=task.pk)
    else:
        # a progress note keeps the current status unless the reporter changes it
        current = my_parts[0].status if (my_parts and not can_lead) else task.status
        form = ProgressForm(initial={"status": current})
    updates = task.updates.select_related("unit", "reported_by", "milestone").prefetch_related("evidence")
    return render(
        request,
        "ledger/task_detail.html",
        {
            "task": task,
            "form": form,
            "can_lead": can_lead,
            "my_parts": my_parts,
            "parts": task.parts.select_related("unit"),
            "milestones": task.milestones.all(),
            "updates": updates,
            "notices": task.notices.all()[:20],
            "items": task.supervision_items.all() if request.user.is_office else [],
            "today": clock.today(),
            "statuses": TaskStatus.choices,
        },
    )


@login_required
def part_list(request):
    parts = selectors.part_list(user=request.user).order_by("task__deadline")
    return render(request, "ledger/parts.html", {"parts": Paginator(parts, 50).get_page(request.GET.get("page"))})


@login_required
def summary_list(request):
    plan = _plan(request)
    summaries = selectors.summary_list(user=request.user, plan=plan) if plan else Summary.objects.none()
    rows = selectors.submission_board(user=request.user, plan=plan)["rows"] if plan else []
    return render(request, "ledger/summaries.html", {"plan": plan, "rows": rows, "summaries": summaries})


@login_required
def summary_detail(request, pk: int):
    summary = get_object_or_404(Summary.objects.restrict(request.user).select_related("unit", "deadline"), pk=pk)
    form, return_form = (
        SummaryForm(initial={"version": summary.version}),
        ReturnForm(initial={"version": summary.version}),
    )
    changes = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                form = SummaryForm(request.POST, request.FILES)
                if form.is_valid():
                    changes = _stale_check(summary, form)
                    services.summary_submit(
                        user=request.user,
                        summary=summary,
                        text=form.cleaned_data["text"],
                        next_year_plan=form.cleaned_data["next_year_plan"],
                        file=form.cleaned_data["file"],
                    )
                    messages.success(request, _("总结已报送。"))
                    return redirect("ledger:summary", pk=pk)
            elif action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    changes = _stale_check(summary, return_form)
                    services.summary_return(
                        user=request.user, summary=summary, reason=return_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已退回。"))
                    return redirect("ledger:summary", pk=pk)
            elif action == "accept":
                services.summary_accept(user=request.user, summary=summary)
                return redirect("ledger:summary", pk=pk)
        except StaleVersion as exc:
            messages.error(request, exc.message + " " + _("您的输入已保留；请核对下列变更后再次提交。"))
            changes = changes_since(instance=summary, version=exc.extra["yours"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
    from qualityplan.ledger.timeliness import board_status, effective_due

    today = clock.today()
    submitted_on = timezone.localdate(summary.submitted_at) if summary.submitted_at else None
    column = board_status(status=summary.status, due=summary.due_date, submitted_on=submitted_on, today=today)
    return render(
        request,
        "ledger/summary_detail.html",
        {
            "summary": summary,
            "form": form,
            "return_form": return_form,
            "column": BoardStatus(column),
            "badge": BoardStatus.badge(column),
            "effective_due": effective_due(summary.due_date),
            "can_submit": policies.can_submit_summary(request.user, summary),
            "can_review": policies.can_review_summary(request.user, summary),
            "changes": changes,
        },
    )


def _stale_check(instance, form) -> list:
    """Refuse a form built on an older version; the bound form then carries the current version, so that a
    deliberate second submit (after reading what changed) goes through."""
    try:
        version_check(instance, form.cleaned_data.get("version"))
    except StaleVersion:
        form.data = form.data.copy()
        form.data["version"] = str(instance.version)
        raise
    return []


@login_required
def board(request):
    plan = _plan(request)
    kind = request.GET.get("kind") or SummaryKind.HALF_YEAR
    rule = request.GET.get("rule") or DueRule.NEXT_WORKDAY
    if rule not in DueRule.values:
        rule = DueRule.NEXT_WORKDAY
    data = selectors.submission_board(user=request.user, plan=plan, kind=kind, rule=rule) if plan else None
    column = request.GET.get("column")
    rows = [r for r in data["rows"] if not column or r["column"] == column] if data else []
    return render(
        request,
        "ledger/board.html",
        {
            "plan": plan,
            "data": data,
            "rows": rows,
            "kind": kind,
            "kinds": SummaryKind.choices,
            "rule": rule,
            "rules": DueRule.choices,
            "columns": BoardStatus.choices,
            "column": column,
        },
    )


@login_required
@replica_reads
def export(request):
    plan = _plan(request)
    unit_id = request.GET.get("unit")
    if not policies.can_export_all_units(request.user):
        unit_id = request.user.unit_id
    elif unit_id and not unit_id.isdigit():
        return HttpResponse(_("参数 unit 应为单位编号"), status=400, content_type="text/plain; charset=utf-8")
    qs = selectors.task_list(user=request.user, filters={"plan": plan.pk if plan else None})
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    title = f"{plan.year if plan else ''}年质量强省工作台账（{unit.name if unit else '全省'}）"
    content = ledger_xlsx(tasks=qs, title=title, today=clock.today())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"ledger-{plan.year if plan else ''}-{unit.code if unit else 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def supervise_task(request, pk: int):
    """Office: open a 督办单 for an overdue task (source 任务逾期)."""
    from qualityplan.supervision.services import item_create_from_task

    task = selectors.task_get(user=request.user, pk=pk)
    if task is None or not policies.can_supervise_task(request.user):
        raise Http404
    try:
        item = item_create_from_task(user=request.user, task=task)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("ledger:task", pk=pk)
    return redirect("supervision:item", pk=item.pk)


@login_required
def carry_over_view(request):
    """年度结转 (office): the unfinished tasks of the chosen plan and the open supervision items of its year, to be
    carried into the plan of the following year. GET lists them (all checked); POST carries the checked ones."""
    from qualityplan.supervision.choices import ItemStatus
    from qualityplan.supervision.models import SupervisionItem

    if not request.user.is_office:
        raise PermissionDenied
    source = _plan(request)
    if source is None:
        raise Http404
    target = plan_current(user=request.user, year=source.year + 1)
    tasks = list(
        Task.objects.filter(plan=source, status__in=TaskStatus.open())
        .exclude(carried_to__plan=target)
        .select_related("unit", "measure")
    ) if target else []  # fmt: skip
    items = list(
        SupervisionItem.objects.filter(year=source.year).exclude(status=ItemStatus.CLOSED)
        .exclude(carried_to__year=source.year + 1).select_related("lead_unit")
    ) if target else []  # fmt: skip
    if request.method == "POST" and target is not None:
        task_ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
        item_ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
        if not task_ids and not item_ids:
            messages.error(request, _("请至少选择一项要结转的任务或督办事项。"))
        else:
            try:
                result = services.carry_over(
                    user=request.user, source=source, target=target, task_ids=task_ids, item_ids=item_ids
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("已结转 %(t)s 项任务、%(i)s 项督办事项到 %(y)s 年计划。")
                    % {"t": len(result["tasks"]), "i": len(result["items"]), "y": target.year},
                )
                return redirect(reverse("ledger:tasks") + f"?plan={target.pk}")
    return render(
        request, "ledger/carry_over.html", {"source": source, "target": target, "tasks": tasks, "items": items}
    )
