"""Reads for the assessment, always scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from qualityplan.assessment import grades, rules
from qualityplan.assessment.choices import RoundStatus
from qualityplan.assessment.models import ItemEvidence, ItemScore, Round, Scheme, UnitAssessment, VetoEvent


def scheme_list(*, user) -> QuerySet[Scheme]:
    return Scheme.objects.restrict(user).order_by("-year", "code", "-version")


def round_list(*, user) -> QuerySet[Round]:
    return Round.objects.restrict(user).select_related("scheme").order_by("-year")


def round_get(*, user, pk: int) -> Round | None:
    return round_list(user=user).filter(pk=pk).first()


def assessment_list(*, user, rnd: Round) -> QuerySet[UnitAssessment]:
    return (
        UnitAssessment.objects.restrict(user)
        .filter(round=rnd)
        .select_related("unit", "round")
        .order_by("rank", "unit__sort_order")
    )


def assessment_get(*, user, rnd: Round, unit_id: int) -> UnitAssessment | None:
    return assessment_list(user=user, rnd=rnd).filter(unit_id=unit_id).first()


def items_of(*, ua: UnitAssessment) -> list[ItemScore]:
    return list(ua.items.prefetch_related(Prefetch("evidence", queryset=ItemEvidence.objects.order_by("id"))))


@dataclass
class Line:
    """One line of a unit's score explanation; the points of all lines add up to the score."""

    code: str
    title: str
    max_points: Decimal | None
    points: Decimal
    how: str
    refs: list[dict] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    kind: str = "item"  # item | bonus | cap | veto
    section: str = ""


def explanation(*, ua: UnitAssessment, items: list[ItemScore] | None = None) -> list[Line]:
    """Point-by-point explanation of ``ua``'s score: every item, the bonus cap, the veto events (0 points)."""
    scheme = ua.round.scheme.parsed()
    items = items if items is not None else items_of(ua=ua)
    lines: list[Line] = []
    for it in items:
        spec = scheme.item(it.code)
        top = scheme.top_level_of(it.code)
        parts = [it.auto_explanation] if it.auto_explanation else []
        if it.self_points is not None:
            parts.append(f"自评 {it.self_points} 分" + (f"（{it.self_note}）" if it.self_note else ""))
        if it.verified_points is not None:
            reason = f"：{it.verify_reason}" if it.verify_reason else ""
            parts.append(f"核定 {it.verified_points} 分{reason}")
        lines.append(
            Line(
                code=it.code,
                title=it.title,
                max_points=it.max_points,
                points=it.points,
                how="；".join(parts),
                refs=list(it.auto_refs or []),
                evidence=[e.name for e in it.evidence.all()],
                kind="bonus" if it.bonus else "item",
                section=top.title if top else ("加分项" if spec.bonus else ""),
            )
        )
    bonus_raw = sum((it.points for it in items if it.bonus), Decimal(0))
    if bonus_raw > scheme.bonus_cap:
        lines.append(
            Line(
                code="B",
                title="加分封顶",
                max_points=None,
                points=rules.q(scheme.bonus_cap - bonus_raw),
                how=f"加分合计 {rules.q(bonus_raw)} 分，超过上限 {scheme.bonus_cap} 分",
                kind="cap",
            )
        )
    veto_titles = {v.code: v.title for v in scheme.veto}
    for ev in VetoEvent.objects.filter(round=ua.round, unit=ua.unit):
        lines.append(
            Line(
                code=ev.code,
                title=f"一票否决：{veto_titles.get(ev.code, ev.code)}",
                max_points=None,
                points=Decimal("0.00"),
                how=f"{ev.occurred_on} {ev.description}；等级定为 D（不影响得分）",
                refs=[{"kind": "veto", "id": ev.id, "label": ev.description[:60]}],
                kind="veto",
            )
        )
    return lines


@dataclass
class Sensitivity:
    lost: list[tuple[ItemScore, Decimal]]  # items where the unit lost most
    next_grade: tuple[str, Decimal] | None  # grade above and the points missing
    lifting_items: list[ItemScore]  # items whose lost points alone would lift the grade
    margin: tuple[str, Decimal] | None  # grade below and the points that may be lost before it


def sensitivity(*, ua: UnitAssessment, items: list[ItemScore] | None = None, top: int = 5) -> Sensitivity:
    scheme = ua.round.scheme.parsed()
    items = items if items is not None else items_of(ua=ua)
    lost = sorted(((it, it.max_points - it.points) for it in items if not it.bonus), key=lambda p: (-p[1], p[0].order))
    lost = [(it, d) for it, d in lost if d > 0][:top]
    score = ua.score or Decimal(0)
    nxt = None if ua.vetoed else grades.next_band(score, floors=scheme.floors)
    lifting = [it for it, d in lost if nxt and d >= nxt[1]]
    margin = None if ua.vetoed else grades.lower_band_margin(score, floors=scheme.floors)
    return Sensitivity(lost=lost, next_grade=nxt, lifting_items=lifting, margin=margin)


def previous(*, ua: UnitAssessment) -> UnitAssessment | None:
    """The unit's assessment in the closed round of the previous year."""
    return (
        UnitAssessment.objects.filter(
            round__year=ua.round.year - 1, round__status=RoundStatus.CLOSED, unit_id=ua.unit_id
        )
        .select_related("round")
        .first()
    )


@dataclass
class ResultRow:
    ua: UnitAssessment
    last: UnitAssessment | None

    @property
    def delta(self) -> Decimal | None:
        if self.last is None or self.last.score is None or self.ua.score is None:
            return None
        return self.ua.score - self.last.score

    @property
    def rank_change(self) -> int | None:
        if self.last is None or self.last.rank is None or self.ua.rank is None:
            return None
        return self.last.rank - self.ua.rank


def results(*, user, rnd: Round) -> list[ResultRow]:
    """Ranking of the round in the user's scope, with last year's score, grade and rank (2 queries)."""
    rows = list(assessment_list(user=user, rnd=rnd))
    last = {
        a.unit_id: a
        for a in UnitAssessment.objects.filter(
            round__year=rnd.year - 1, round__status=RoundStatus.CLOSED, unit_id__in=[r.unit_id for r in rows]
        )
    }
    return [ResultRow(ua=r, last=last.get(r.unit_id)) for r in rows]


def grade_counts(rows: list[ResultRow]) -> dict[str, int]:
    counts = dict.fromkeys("ABCD", 0)
    for r in rows:
        if r.ua.grade:
            counts[r.ua.grade] += 1
    return counts


def scheme_preview(*, data, units=None) -> list[dict]:
    """What a (validated, unsaved) scheme would give each assessed unit now: the automatic items' points, the most
    the manual items can add, per unit; the editor's preview. Nothing is written."""
    import datetime as dt

    from qualityplan.assessment.services import assessed_units
    from qualityplan.core import clock
    from qualityplan.plans.models import Plan

    registry = rules.ensure_loaded()
    units = list(units if units is not None else assessed_units())
    plan = Plan.objects.filter(year=data.year).order_by("-version").first()
    as_of = min(clock.today(), dt.date(data.year, 12, 31))
    ctx = rules.Context(year=data.year, plan=plan, units=units, as_of=as_of)
    leaves = data.leaves()
    out = []
    for unit in units:
        auto = manual = Decimal(0)
        for spec in leaves:
            rule = registry[spec.rule_type]
            if rule.manual:
                manual += spec.points
            else:
                auto += rule.evaluate(spec, unit, ctx).points or Decimal(0)
        out.append({"unit": unit, "auto": auto, "manual_max": manual})
    return out
