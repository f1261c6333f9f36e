"""Writes for the assessment: schemes, rounds and their state machine, scoring, self-scores, verification, vetoes.

Every write refuses a closed (locked) round. Scoring is set-based: one bulk read per data source for all
units, one ``bulk_update`` of the item rows and one of the unit rows (see ``rules``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qualityplan.assessment import grades, rules
from qualityplan.assessment.choices import RoundStatus, ScoreStatus, UnitStatus
from qualityplan.assessment.models import ItemEvidence, ItemScore, Round, Scheme, UnitAssessment, VetoEvent
from qualityplan.assessment.scheme import CheckContext, parse
from qualityplan.assessment.scheme import Scheme as SchemeData
from qualityplan.core import clock, reconcile
from qualityplan.core.audit import log_bulk_update
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import original_name
from qualityplan.core.reconcile import Reconciliation
from qualityplan.notifications.choices import NotificationKind
from qualityplan.notifications.services import notify_office, notify_units
from qualityplan.orgs.choices import UnitKind
from qualityplan.orgs.models import Unit

#: The round's state machine: source → allowed targets.
ROUND_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RoundStatus.OPEN: (RoundStatus.SELF_ASSESSMENT,),
    RoundStatus.SELF_ASSESSMENT: (RoundStatus.VERIFICATION,),
    RoundStatus.VERIFICATION: (RoundStatus.SELF_ASSESSMENT, RoundStatus.CLOSED),
    RoundStatus.CLOSED: (),
}


# --------------------------------------------------------------------------- schemes


def check_context(year: int) -> CheckContext:
    from qualityplan.indicators.choices import RegistryKind
    from qualityplan.plans.models import Plan

    plan = Plan.objects.filter(year=year).order_by("-version").first()
    codes = set(plan.targets.exclude(code="").values_list("code", flat=True)) if plan else set()
    return CheckContext(target_codes=codes, registry_kinds=set(RegistryKind.values))


def scheme_validate(*, text: str) -> SchemeData:
    """Parse ``text`` and check it against the plan of its year; raise ``SchemeError`` naming the item."""
    from qualityplan.assessment.scheme import load_text

    data = load_text(text)
    year = data.get("year")
    return parse(data, context=check_context(int(year)) if str(year).isdigit() else CheckContext())


def _require_office(user) -> None:
    if user is not None and not getattr(user, "is_office", False):
        raise ApplicationError(_("只有领导小组办公室可以执行此操作"))


def scheme_create(*, user, text: str, note: str = "") -> Scheme:
    _require_office(user)
    data = scheme_validate(text=text)
    if Scheme.objects.filter(code=data.code, version=data.version).exists():
        raise ApplicationError(
            _("评分细则 %(code)s 第 %(v)s 版已存在；请使用“另存为新版本”") % {"code": data.code, "v": data.version},
            {"field": "version"},
        )
    scheme = Scheme(
        code=data.code,
        year=data.year,
        version=data.version,
        title=data.title,
        text=text,
        total=data.total,
        note=note,
        created_by=user if getattr(user, "pk", None) else None,
    )
    scheme.full_clean()
    scheme.save()
    return scheme


def scheme_update(*, user, scheme: Scheme, text: str, note: str = "") -> Scheme:
    """Edit a scheme in place: refused once a closed round used it (version it instead) or a round is under way."""
    _require_office(user)
    closed = scheme.rounds.filter(status=RoundStatus.CLOSED).first()
    if closed:
        raise ApplicationError(
            _("评分细则已被已结束的考核轮次「%(round)s」使用，不能修改，只能另存为新版本") % {"round": closed.title},
            {"scheme": scheme.pk},
        )
    busy = scheme.rounds.exclude(status=RoundStatus.OPEN).first()
    if busy:
        raise ApplicationError(
            _("考核轮次「%(round)s」正在进行，评分细则不能修改；请另存为新版本") % {"round": busy.title},
            {"scheme": scheme.pk},
        )
    data = scheme_validate(text=text)
    if (data.code, data.version) != (scheme.code, scheme.version):
        raise ApplicationError(_("修改时不能改变细则代码和版本号；请另存为新版本"), {"field": "version"})
    scheme.text, scheme.title, scheme.year, scheme.total, scheme.note = text, data.title, data.year, data.total, note
    scheme.full_clean()
    scheme.save()
    for rnd in scheme.rounds.all():
        _sync_items(rnd)
    return scheme


def scheme_new_version(*, user, scheme: Scheme, text: str, note: str = "") -> Scheme:
    """Save ``text`` as the next version of ``scheme``'s family (its ``version:`` line is set for you)."""
    import re

    _require_office(user)
    version = (
        Scheme.objects.filter(code=scheme.code).order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    if re.search(r"(?m)^version:\s*\S+", text):
        text = re.sub(r"(?m)^version:\s*\S+", f"version: {version}", text, count=1)
    else:
        text = f"version: {version}\n" + text
    data = scheme_validate(text=text)
    if data.code != scheme.code:
        raise ApplicationError(
            _("新版本的细则代码应与原细则相同（%(code)s）") % {"code": scheme.code}, {"field": "code"}
        )
    return scheme_create(user=user, text=text, note=note)


def scheme_load_file(*, path: Path, user=None, rec: Reconciliation | None = None) -> tuple[Scheme, bool]:
    """Load a shipped scheme file; idempotent (same code+version → unchanged).

    A stored scheme whose text differs (the office edited it) is kept and reported; with an upgrade reconciliation
    the shipped text replaces it while no round beyond "open" uses it.
    """
    rec = reconcile.current(rec)
    text = Path(path).read_text(encoding="utf-8")
    data = scheme_validate(text=text)
    existing = Scheme.objects.filter(code=data.code, version=data.version).first()
    if existing:
        if hashlib.sha256(existing.text.encode()).digest() != hashlib.sha256(text.encode()).digest():
            label = f"scoring scheme {data.code} v{data.version}"
            if existing.rounds.exclude(status=RoundStatus.OPEN).exists():
                rec.differs(label, "differs from the shipped file, and rounds use it; stored kept")
                return existing, False
            rec.update(existing, {"text": text, "title": data.title, "total": data.total}, label)
        return existing, False
    scheme = Scheme.objects.create(
        code=data.code, year=data.year, version=data.version, title=data.title, text=text, total=data.total
    )
    return scheme, True


# --------------------------------------------------------------------------- rounds


def assessed_units():
    return Unit.objects.filter(kind__in=UnitKind.local_governments()).order_by("sort_order", "code")


def _fresh(obj):
    """Re-read the round's status: callers may hold an instance loaded before a transition."""
    obj.refresh_from_db(fields=["status"])
    return obj


def _require_unlocked(rnd: Round) -> None:
    _fresh(rnd)
    if rnd.status == RoundStatus.CLOSED:
        raise ApplicationError(
            _("考核轮次「%(round)s」已结束并锁定，不能再修改") % {"round": rnd.title}, {"round": rnd.pk}
        )


@transaction.atomic
def round_open(
    *,
    user,
    year: int,
    scheme: Scheme,
    as_of: dt.date | None = None,
    self_deadline: dt.date | None = None,
    title: str = "",
) -> Round:
    _require_office(user)
    if Round.objects.filter(year=year).exists():
        raise ApplicationError(_("%(year)s 年度的考核轮次已存在") % {"year": year}, {"field": "year"})
    data = scheme.parsed()
    rnd = Round(
        year=year,
        scheme=scheme,
        title=title or _("%(year)s年度市县政府质量工作考核") % {"year": year},
        as_of=as_of or dt.date(year, 12, 31),
        self_deadline=self_deadline,
    )
    rnd.full_clean()
    rnd.save()
    UnitAssessment.objects.bulk_create([UnitAssessment(round=rnd, unit=u) for u in assessed_units()])
    _sync_items(rnd, data)
    return rnd


def _sync_items(rnd: Round, data: SchemeData | None = None) -> None:
    """Create the item rows the scheme asks for (missing ones only); drop rows of items no longer in it."""
    data = data or rnd.scheme.parsed()
    leaves = data.leaves()
    codes = {i.code for i in leaves}
    ItemScore.objects.filter(assessment__round=rnd).exclude(code__in=codes).delete()
    have = set(ItemScore.objects.filter(assessment__round=rnd).values_list("assessment_id", "code"))
    new = []
    for ua_id in rnd.assessments.values_list("id", flat=True):
        for order, item in enumerate(leaves):
            if (ua_id, item.code) not in have:
                new.append(
                    ItemScore(
                        assessment_id=ua_id,
                        code=item.code,
                        title=item.title,
                        max_points=item.points,
                        rule_type=item.rule_type,
                        bonus=item.bonus,
                        order=order,
                    )
                )
    ItemScore.objects.bulk_create(new, batch_size=500)


@transaction.atomic
def round_transition(*, user, rnd: Round, to: str) -> Round:
    _require_office(user)
    rnd = Round.objects.select_for_update().get(pk=rnd.pk)
    if to not in ROUND_TRANSITIONS.get(rnd.status, ()):
        raise ApplicationError(
            _("考核轮次不能从「%(src)s」转到「%(dst)s」")
            % {"src": RoundStatus(rnd.status).label, "dst": RoundStatus(to).label if to in RoundStatus.values else to},
            {"status": rnd.status, "to": to},
        )
    if to == RoundStatus.CLOSED:
        return round_close(user=user, rnd=rnd)
    if to == RoundStatus.VERIFICATION:
        round_score(rnd=rnd)
    rnd.status = to
    rnd.save(update_fields=["status", "updated_at"])
    return rnd


@transaction.atomic
def round_close(*, user, rnd: Round, now: dt.datetime | None = None) -> Round:
    _require_office(user)
    _require_unlocked(rnd)
    if rnd.status != RoundStatus.VERIFICATION:
        raise ApplicationError(_("只有核查评定阶段的考核轮次可以结束"), {"status": rnd.status})
    pending = list(rnd.assessments.exclude(status=UnitStatus.VERIFIED).select_related("unit")[:5])
    if pending:
        names = "、".join(a.unit.name for a in pending)
        raise ApplicationError(
            _("以下单位尚未核定，不能结束：%(names)s") % {"names": names}, {"units": [a.unit_id for a in pending]}
        )
    round_score(rnd=rnd)
    rnd.status = RoundStatus.CLOSED
    rnd.closed_at = now or clock.now()
    rnd.closed_by = user if getattr(user, "pk", None) else None
    rnd.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return rnd


# --------------------------------------------------------------------------- scoring


def item_final(item: ItemScore, *, manual: bool) -> Decimal:
    """Final points of an item: the office's verified points, else the computed points (manual: self-score)."""
    if item.verified_points is not None:
        return item.verified_points
    if manual:
        return item.self_points if item.self_points is not None else Decimal("0.00")
    return item.auto_points if item.auto_points is not None else Decimal("0.00")


def totals(items: list[ItemScore], *, bonus_cap: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    base = sum((i.points for i in items if not i.bonus), Decimal(0))
    bonus_raw = sum((i.points for i in items if i.bonus), Decimal(0))
    bonus = min(bonus_raw, bonus_cap)
    return rules.q(base), rules.q(bonus), rules.q(base + bonus)


@transaction.atomic
def round_score(*, rnd: Round, units: list[Unit] | None = None) -> dict:
    """(Re)compute every item, total, grade and the ranking of ``rnd``; refused when the round is locked."""
    _require_unlocked(rnd)
    from qualityplan.plans.models import Plan

    data = rnd.scheme.parsed()
    registry = rules.ensure_loaded()
    assessments = list(rnd.assessments.select_related("unit"))
    if units is not None:
        wanted = {u.id for u in units}
        scoring = [a for a in assessments if a.unit_id in wanted]
    else:
        scoring = assessments
    plan = Plan.objects.filter(year=rnd.year).order_by("-version").first()
    ctx = rules.Context(year=rnd.year, plan=plan, units=[a.unit for a in scoring], as_of=rnd.as_of)
    by_code = {i.code: i for i in data.leaves()}
    items = list(ItemScore.objects.filter(assessment__in=scoring))
    items_of: dict[int, list[ItemScore]] = {}
    for it in items:
        items_of.setdefault(it.assessment_id, []).append(it)
    vetoed_units = set(VetoEvent.objects.filter(round=rnd).values_list("unit_id", flat=True))
    unit_of = {a.id: a.unit for a in scoring}
    item_fields = ["auto_points", "auto_status", "auto_explanation", "auto_refs", "auto_value", "points"]
    changed_items = []
    before_items = {}
    for it in items:
        before = before_items[it.pk] = tuple(getattr(it, f) for f in item_fields)
        spec = by_code[it.code]
        rule = registry[spec.rule_type]
        score = rule.evaluate(spec, unit_of[it.assessment_id], ctx)
        it.auto_points = None if rule.manual else score.points
        it.auto_status = ScoreStatus.MANUAL if rule.manual and it.self_points is not None else score.status
        it.auto_explanation = score.explanation
        it.auto_refs = [r.as_dict() for r in score.refs]
        it.auto_value = score.value
        it.points = item_final(it, manual=rule.manual)
        if tuple(getattr(it, f) for f in item_fields) != before:
            changed_items.append(it)
    now = clock.now()
    for it in changed_items:
        it.updated_at = now
    # only rows whose values changed are written: a re-score of an unchanged round writes nothing
    ItemScore.objects.bulk_update(changed_items, [*item_fields, "updated_at"], batch_size=500)
    log_bulk_update(changed_items, item_fields, before_items)
    ua_fields = ["base_score", "bonus_score", "score", "vetoed", "grade", "rank"]
    before_ua = {a.id: tuple(getattr(a, f) for f in ua_fields) for a in assessments}
    for a in scoring:
        a.base_score, a.bonus_score, a.score = totals(items_of.get(a.id, []), bonus_cap=data.bonus_cap)
        a.vetoed = a.unit_id in vetoed_units
        a.grade = grades.grade_for(a.score, vetoed=a.vetoed, floors=data.floors)
    ranked = grades.rank([(a, a.score, a.vetoed) for a in assessments if a.score is not None])
    for r in ranked:
        r.key.rank = r.rank
    changed_ua = [a for a in assessments if tuple(getattr(a, f) for f in ua_fields) != before_ua[a.id]]
    for a in changed_ua:
        a.updated_at = now
    UnitAssessment.objects.bulk_update(changed_ua, [*ua_fields, "updated_at"])
    log_bulk_update(changed_ua, ua_fields, before_ua)
    rnd.scored_at = now
    rnd.save(update_fields=["scored_at", "updated_at"])
    return {"units": len(scoring), "items": len(items), "changed": len(changed_items)}


def _refresh_unit(ua: UnitAssessment) -> None:
    """Recompute one unit's final points from its stored rows (no source reads) and re-rank the round."""
    data = ua.round.scheme.parsed()
    registry = rules.ensure_loaded()
    items = list(ua.items.all())
    before_points = {it.pk: (it.points,) for it in items}
    for it in items:
        it.points = item_final(it, manual=registry[it.rule_type].manual)
    ItemScore.objects.bulk_update(items, ["points"])
    log_bulk_update(items, ["points"], before_points)
    ua.base_score, ua.bonus_score, ua.score = totals(items, bonus_cap=data.bonus_cap)
    ua.vetoed = VetoEvent.objects.filter(round=ua.round, unit=ua.unit).exists()
    ua.grade = grades.grade_for(ua.score, vetoed=ua.vetoed, floors=data.floors)
    ua.save(update_fields=["base_score", "bonus_score", "score", "vetoed", "grade", "updated_at"])
    assessments = list(ua.round.assessments.exclude(score=None).select_related("unit"))
    before_rank = {a.pk: (a.rank,) for a in assessments}
    for r in grades.rank([(a, a.score, a.vetoed) for a in assessments]):
        r.key.rank = r.rank
    UnitAssessment.objects.bulk_update(assessments, ["rank"])
    log_bulk_update(assessments, ["rank"], before_rank)


# --------------------------------------------------------------------------- self-assessment


def _can_write_unit(user, ua: UnitAssessment) -> bool:
    return UnitAssessment.objects.restrict(user, "change").filter(pk=ua.pk).exists()


def item_self_score(*, user, item: ItemScore, points, note: str = "") -> ItemScore:
    ua = item.assessment
    rnd = ua.round
    _require_unlocked(rnd)
    _fresh(ua)
    if rnd.status != RoundStatus.SELF_ASSESSMENT:
        raise ApplicationError(_("只有在单位自评阶段可以自评"), {"status": rnd.status})
    if not _can_write_unit(user, ua):
        raise ApplicationError(_("只能为本单位自评"))
    if ua.status == UnitStatus.VERIFIED:
        raise ApplicationError(_("本单位已核定，不能再修改自评"))
    points = _points(points, item)
    item.self_points, item.self_note = points, note.strip()
    item.full_clean()
    item.save(update_fields=["self_points", "self_note", "updated_at"])
    _refresh_unit(ua)
    item.refresh_from_db()
    return item


def _points(points, item: ItemScore) -> Decimal:
    try:
        value = rules.q(points)
    except Exception as exc:  # noqa: BLE001
        raise ApplicationError(_("分数「%(v)s」不是数字") % {"v": points}, {"field": "points"}) from exc
    if not (0 <= value <= item.max_points):
        raise ApplicationError(
            _("项目 %(code)s：分数应在 0 与 %(max)s 之间") % {"code": item.code, "max": item.max_points},
            {"field": "points"},
        )
    return value


def evidence_add(*, user, item: ItemScore, uploaded) -> ItemEvidence:
    ua = item.assessment
    _require_unlocked(ua.round)
    if ua.round.status != RoundStatus.SELF_ASSESSMENT:
        raise ApplicationError(_("只有在单位自评阶段可以上传佐证材料"))
    if not _can_write_unit(user, ua):
        raise ApplicationError(_("只能为本单位上传佐证材料"))
    evidence_validate(uploaded, field="file", label=_("佐证材料"))
    ev = ItemEvidence(item=item, file=uploaded, name=original_name(uploaded), size=uploaded.size, uploaded_by=user)
    ev.save()
    return ev


def unit_submit(*, user, ua: UnitAssessment, note: str = "") -> UnitAssessment:
    _require_unlocked(ua.round)
    if ua.round.status != RoundStatus.SELF_ASSESSMENT:
        raise ApplicationError(_("只有在单位自评阶段可以提交自评"))
    if not _can_write_unit(user, ua):
        raise ApplicationError(_("只能提交本单位的自评"))
    registry = rules.ensure_loaded()
    missing = [i for i in ua.items.all() if registry[i.rule_type].manual and i.self_points is None]
    if missing:
        raise ApplicationError(
            _("以下人工评分项尚未自评：%(items)s") % {"items": "、".join(f"{i.code} {i.title}" for i in missing[:5])},
            {"items": [i.code for i in missing]},
        )
    ua.status, ua.submitted_at, ua.self_note = UnitStatus.SUBMITTED, clock.now(), note or ua.self_note
    ua.save(update_fields=["status", "submitted_at", "self_note", "updated_at"])
    notify_office(
        title=_("%(unit)s提交了%(round)s自评，请核查") % {"unit": ua.unit, "round": ua.round},
        url=reverse("assessment:unit", args=[ua.round_id, ua.unit_id]),
        kind=NotificationKind.ASSESSMENT,
        unit_id=ua.unit_id,
    )
    return ua


# --------------------------------------------------------------------------- verification


def item_verify(*, user, item: ItemScore, points, reason: str) -> ItemScore:
    """The office sets an item's points; a reason is required whenever they differ from the computed/self points."""
    _require_office(user)
    ua = item.assessment
    _require_unlocked(ua.round)
    if ua.round.status != RoundStatus.VERIFICATION:
        raise ApplicationError(_("只有在核查评定阶段可以核定分数"))
    points = _points(points, item)
    manual = rules.ensure_loaded()[item.rule_type].manual
    baseline = item.self_points if manual else item.auto_points
    reason = (reason or "").strip()
    if points != baseline and not reason:
        raise ApplicationError(
            _("项目 %(code)s：核定分与%(what)s（%(base)s）不同，必须填写核查意见")
            % {"code": item.code, "what": _("自评分") if manual else _("系统计分"), "base": baseline},
            {"field": "reason"},
        )
    item.verified_points, item.verify_reason = points, reason
    item.full_clean()
    item.save(update_fields=["verified_points", "verify_reason", "updated_at"])
    _refresh_unit(ua)
    item.refresh_from_db()
    return item


@transaction.atomic
def unit_verify(*, user, ua: UnitAssessment) -> UnitAssessment:
    """Mark a unit verified: manual items not adjusted take the self-score (accepted); a missing one is refused."""
    _require_office(user)
    _require_unlocked(ua.round)
    if ua.round.status != RoundStatus.VERIFICATION:
        raise ApplicationError(_("只有在核查评定阶段可以核定单位"))
    registry = rules.ensure_loaded()
    accepted = []
    before_verified = {}
    for it in ua.items.all():
        if registry[it.rule_type].manual and it.verified_points is None:
            if it.self_points is None:
                raise ApplicationError(
                    _("项目 %(code)s「%(title)s」既无自评分也无核定分，请先核定")
                    % {"code": it.code, "title": it.title},
                    {"item": it.code},
                )
            before_verified[it.pk] = (it.verified_points, it.verify_reason)
            it.verified_points, it.verify_reason = it.self_points, _("采纳自评分")
            accepted.append(it)
    ItemScore.objects.bulk_update(accepted, ["verified_points", "verify_reason"])
    log_bulk_update(accepted, ["verified_points", "verify_reason"], before_verified)
    ua.status, ua.verified_at = UnitStatus.VERIFIED, clock.now()
    ua.verified_by = user if getattr(user, "pk", None) else None
    ua.save(update_fields=["status", "verified_at", "verified_by", "updated_at"])
    _refresh_unit(ua)
    notify_units(
        unit_ids=[ua.unit_id],
        title=_("%(round)s：本单位考核已核查评定") % {"round": ua.round},
        url=reverse("assessment:unit", args=[ua.round_id, ua.unit_id]),
        kind=NotificationKind.ASSESSMENT,
    )
    return ua


def veto_record(*, user, rnd: Round, unit: Unit, code: str, occurred_on: dt.date, description: str) -> VetoEvent:
    _require_office(user)
    _require_unlocked(rnd)
    if rnd.status not in (RoundStatus.SELF_ASSESSMENT, RoundStatus.VERIFICATION):
        raise ApplicationError(_("只有在自评或核查阶段可以记录否决事件"))
    known = {v.code: v for v in rnd.scheme.parsed().veto}
    if code not in known:
        raise ApplicationError(_("评分细则中没有否决项 %(code)s") % {"code": code}, {"field": "code"})
    if not description.strip():
        raise ApplicationError(_("必须说明否决事件"), {"field": "description"})
    ev = VetoEvent(
        round=rnd,
        unit=unit,
        code=code,
        occurred_on=occurred_on,
        description=description.strip(),
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    ev.full_clean()
    ev.save()
    ua = rnd.assessments.get(unit=unit)
    _refresh_unit(ua)
    return ev
