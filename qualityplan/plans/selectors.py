"""Reads for plans, always scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from qualityplan.core import clock
from qualityplan.orgs.models import Unit
from qualityplan.plans.choices import PlanStatus, UnitRole
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan, Target


def plan_list(*, user) -> QuerySet[Plan]:
    return Plan.objects.restrict(user).annotate(
        n_targets=Count("targets", distinct=True), n_measures=Count("measures", distinct=True)
    )


def plan_visible(*, user) -> QuerySet[Plan]:
    """Plans ``user`` may open: the office sees drafts and withdrawn plans too; everyone else the published ones."""
    plans = Plan.objects.restrict(user)
    if not getattr(user, "is_office", False):
        plans = plans.filter(status=PlanStatus.PUBLISHED)
    return plans.order_by("-year", "-version")


def _default_plan(plans: list[Plan], year: int | None = None) -> Plan | None:
    """From ``plans`` (newest first): the published plan of ``year`` (default: the current year by the one clock,
    else the latest year before it, else the earliest after it); for a given ``year`` without a published plan, the
    newest plan of that year the list holds (the office's draft). A draft never becomes the default by being newer."""
    published = [p for p in plans if p.status == PlanStatus.PUBLISHED]
    if year:
        return next((p for p in published if p.year == year), None) or next((p for p in plans if p.year == year), None)
    this_year = clock.current_year()
    return (
        next((p for p in published if p.year == this_year), None)
        or next((p for p in published if p.year < this_year), None)
        or (published[-1] if published else None)
    )


def plan_current(*, user, year: int | None = None) -> Plan | None:
    """The plan a page shows by default for ``user`` (see :func:`_default_plan`)."""
    return _default_plan(list(plan_visible(user=user)), year)


SESSION_PLAN = "qualityplan_plan"


def plans_for_switcher(request) -> list[Plan]:
    """The plans the user may open, newest first (one query per request, shared by the switcher and the views)."""
    if not hasattr(request, "_qualityplan_plans"):
        request._qualityplan_plans = list(plan_visible(user=request.user))
    return request._qualityplan_plans


def plan_selected(request) -> Plan | None:
    """The plan chosen with the shared year/plan switcher (``?plan=ID`` or ``?year=YYYY``), remembered in the
    session; without a (valid) choice, the default plan. Memoised on the request."""
    if hasattr(request, "_qualityplan_plan"):
        return request._qualityplan_plan
    plans = plans_for_switcher(request)
    by_pk = {p.pk: p for p in plans}
    session = getattr(request, "session", None)
    raw_plan, raw_year = request.GET.get("plan", ""), request.GET.get("year", "")
    plan = None
    if raw_plan.isdigit():
        plan = by_pk.get(int(raw_plan))
    elif raw_year.isdigit():
        plan = _default_plan(plans, int(raw_year))
    if plan is not None:
        if session is not None and session.get(SESSION_PLAN) != plan.pk:
            session[SESSION_PLAN] = plan.pk
    elif session is not None and isinstance(session.get(SESSION_PLAN), int):
        plan = by_pk.get(session[SESSION_PLAN])
    if plan is None:
        plan = _default_plan(plans)
    request._qualityplan_plan = plan
    return plan


def plan_previous(*, plan: Plan) -> Plan | None:
    """The published plan of the year before ``plan`` (same region), the basis of comparison and carry-over."""
    return Plan.objects.filter(year=plan.year - 1, region=plan.region, status=PlanStatus.PUBLISHED).first()


def _target_key(t: Target) -> str:
    return "".join((t.indicator or t.text).split())


def target_last_year(*, plan: Plan, previous: Plan | None) -> dict[int, Target]:
    """For the year-over-year column: each target of ``plan`` → the same target (by wording) in ``previous``."""
    if previous is None:
        return {}
    old = {_target_key(t): t for t in previous.targets.all()}
    return {t.pk: old[k] for t in plan.targets.all() if (k := _target_key(t)) in old}


def plan_compare(*, plan: Plan, previous: Plan | None) -> dict:
    """What ``plan`` changes against ``previous``: targets added / removed / changed (matched by their indicator
    wording; changed = comparator, value, unit or scope differ) and measures whose lead or cooperating units differ
    (matched by measure number)."""
    if previous is None:
        return {"previous": None, "added": [], "removed": [], "changed": [], "units_changed": []}
    old = {_target_key(t): t for t in previous.targets.order_by("order")}
    new = {_target_key(t): t for t in plan.targets.order_by("order")}
    fields = ("comparator", "value", "unit", "scope")
    changed = []
    for key in new.keys() & old.keys():
        a, b = old[key], new[key]
        diffs = [(f, getattr(a, f), getattr(b, f)) for f in fields if getattr(a, f) != getattr(b, f)]
        if diffs:
            changed.append({"before": a, "after": b, "fields": diffs})
    changed.sort(key=lambda c: c["after"].order)

    def units(p: Plan) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for mu in MeasureUnit.objects.filter(measure__plan=p).select_related("measure").order_by("position"):
            out.setdefault(mu.measure.number, {"lead": [], "cooperating": []})[mu.role].append(mu.written)
        return out

    u_old, u_new = units(previous), units(plan)
    titles = dict(plan.measures.values_list("number", "title"))
    units_changed = [
        {"number": n, "title": titles.get(n, ""), "before": u_old.get(n), "after": u_new.get(n)}
        for n in sorted(u_old.keys() | u_new.keys())
        if u_old.get(n) != u_new.get(n)
    ]
    return {
        "previous": previous,
        "added": [new[k] for k in new if k not in old],
        "removed": [old[k] for k in old if k not in new],
        "changed": changed,
        "units_changed": units_changed,
    }


def target_list(*, user, plan: Plan | None = None, filters: dict | None = None) -> QuerySet[Target]:
    qs = Target.objects.restrict(user).select_related("plan", "measure")
    if plan is not None:
        qs = qs.filter(plan=plan)
    filters = filters or {}
    if filters.get("group"):
        qs = qs.filter(group=filters["group"])
    if filters.get("unit"):
        # targets of measures the unit leads or cooperates on (directly or through a group),
        # plus province-wide section-二 targets of each-unit scope
        unit_measures = measures_of_unit(unit_id=int(filters["unit"]))
        qs = qs.filter(Q(measure__in=unit_measures) | Q(scope="each_unit")).distinct()
    if filters.get("q"):
        qs = qs.filter(Q(text__icontains=filters["q"]) | Q(indicator__icontains=filters["q"]))
    return qs


def measures_of_unit(*, unit_id: int, role: str | None = None) -> QuerySet[Measure]:
    resp = MeasureUnit.objects.filter(Q(unit_id=unit_id) | Q(group__members__id=unit_id))
    if role:
        resp = resp.filter(role=role)
    return Measure.objects.filter(id__in=resp.values("measure_id"))


def measure_list(*, user, plan: Plan) -> QuerySet[Measure]:
    return (
        Measure.objects.restrict(user)
        .filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=MeasureUnit.objects.select_related("unit", "group").order_by("-role", "position"),
            )
        )
    )


@dataclass
class MatrixCell:
    role: str  # "lead" | "cooperating"
    via: str = ""  # written group name when the unit is reached through a group


@dataclass
class Matrix:
    measures: list[Measure]
    units: list[Unit]
    cells: dict[tuple[int, int], MatrixCell] = field(default_factory=dict)
    unresolved: list[MeasureUnit] = field(default_factory=list)

    def cell(self, unit_id: int, measure_id: int) -> MatrixCell | None:
        return self.cells.get((unit_id, measure_id))

    def rows(self):
        """(unit, [cell or None per measure], n_lead, n_coop) for templates and exports."""
        for unit in self.units:
            cells = [self.cells.get((unit.id, m.id)) for m in self.measures]
            yield (
                unit,
                cells,
                sum(1 for c in cells if c and c.role == UnitRole.LEAD),
                sum(1 for c in cells if c and c.role == UnitRole.COOPERATING),
            )


def _strength(cell: MatrixCell) -> int:
    return (2 if cell.role == UnitRole.LEAD else 0) + (0 if cell.via else 1)


def responsibility_matrix(*, user, plan: Plan, unit_ids: list[int] | None = None) -> Matrix:
    """Units × measures: lead (牵头) or cooperating (配合), direct or through a group (各市县政府 …).

    A direct mention wins over a group mention; lead wins over cooperating. Three queries in all.
    """
    measures = list(measure_list(user=user, plan=plan))
    units = Unit.objects.order_by("sort_order")
    if unit_ids is not None:
        units = units.filter(id__in=unit_ids)
    units = list(units)
    group_members: dict[int, list[int]] = {}
    for group_id, unit_id in Unit.groups.through.objects.values_list("unitgroup_id", "unit_id"):
        group_members.setdefault(group_id, []).append(unit_id)
    matrix = Matrix(measures=measures, units=units)
    for measure in measures:
        for resp in measure.responsibilities.all():
            if resp.unit_id:
                targets = [(resp.unit_id, "")]
            elif resp.group_id:
                targets = [(uid, resp.written) for uid in group_members.get(resp.group_id, [])]
            else:
                matrix.unresolved.append(resp)
                continue
            for unit_id, via in targets:
                new = MatrixCell(role=resp.role, via=via)
                old = matrix.cells.get((unit_id, measure.id))
                if old is None or _strength(new) > _strength(old):
                    matrix.cells[(unit_id, measure.id)] = new
    return matrix


def unit_work(*, user, unit: Unit, plan: Plan) -> dict:
    """What a unit leads and cooperates on in a plan, its targets and the plan's deadlines."""
    matrix = responsibility_matrix(user=user, plan=plan, unit_ids=[unit.id])
    lead, coop = [], []
    for measure in matrix.measures:
        cell = matrix.cell(unit.id, measure.id)
        if cell is None:
            continue
        (lead if cell.role == UnitRole.LEAD else coop).append((measure, cell))
    measure_ids = [m.id for m, _ in lead + coop]
    condition = Q(measure_id__in=measure_ids)
    if unit.is_local_government:
        condition |= Q(scope="each_unit")
    targets = Target.objects.restrict(user).filter(plan=plan).filter(condition)
    deadlines = Deadline.objects.restrict(user).filter(plan=plan)
    return {"lead": lead, "cooperating": coop, "targets": targets.order_by("order"), "deadlines": deadlines}
