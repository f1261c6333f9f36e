"""Reads for plans, always scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from qualityplan.orgs.models import Unit
from qualityplan.plans.choices import UnitRole
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan, Target


def plan_list(*, user) -> QuerySet[Plan]:
    return Plan.objects.restrict(user).annotate(
        n_targets=Count("targets", distinct=True), n_measures=Count("measures", distinct=True)
    )


def plan_current(*, user, year: int | None = None) -> Plan | None:
    plans = Plan.objects.restrict(user)
    if year:
        plans = plans.filter(year=year)
    return plans.order_by("-year", "-version").first()


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
