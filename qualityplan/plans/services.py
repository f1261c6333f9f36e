"""Writes for plans: load a plan from the interchange format, export it back; the plan lifecycle (publish,
withdraw, delete)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from qualityplan.core.concurrency import version_check
from qualityplan.core.exceptions import ApplicationError, Conflict
from qualityplan.core.middleware import acting_as
from qualityplan.core.querysets import CHANGE
from qualityplan.core.reconcile import Mode, Reconciliation
from qualityplan.orgs.selectors import NameResolver
from qualityplan.plans import interchange, policies
from qualityplan.plans.choices import PlanStatus, UnitRole
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan, Section, Target


def plan_export(*, plan: Plan, include_text: bool = False) -> dict:
    """The plan in the interchange format; ``plan_load(plan_export(p))`` reproduces ``p``."""
    out: dict = {"format": interchange.FORMAT, "year": plan.year, "version": plan.version, "title": plan.title}
    out["issuer"] = plan.issuer
    out["date"] = plan.date.isoformat() if plan.date else None
    out["status"] = plan.status
    out.update(plan.extra)
    if include_text and plan.source_text:
        out["source_text"] = plan.source_text
    out["sections"] = [{"number": s.number, "title": s.title} for s in plan.sections.all()]
    targets = []
    for t in plan.targets.all():
        row = {
            "text": t.text,
            "indicator": t.indicator,
            "comparator": t.comparator,
            "value": interchange.number_out(t.value),
            "unit": t.unit or None,
            "where": t.where,
        }
        if t.value_max is not None:
            row["value_max"] = interchange.number_out(t.value_max)
        if t.note:
            row["note"] = t.note
        if t.uncertain:
            row["uncertain"] = True
        row.update({"code": t.code, "group": t.group, "scope": t.scope})
        if t.baseline_year is not None:
            row["baseline_year"] = t.baseline_year
        if t.baseline_value is not None:
            row["baseline_value"] = interchange.number_out(t.baseline_value)
        row.update(t.extra)
        targets.append(row)
    measures = []
    for m in plan.measures.prefetch_related("responsibilities"):
        row = {"number": m.number, "title": m.title}
        if m.label:
            row["label"] = m.label
        resp = sorted(m.responsibilities.all(), key=lambda r: r.position)
        row["lead_units"] = [r.written for r in resp if r.role == UnitRole.LEAD]
        row["cooperating_units"] = [r.written for r in resp if r.role == UnitRole.COOPERATING]
        if m.note:
            row["note"] = m.note
        if m.text:
            row["text"] = m.text
        row.update(m.extra)
        measures.append(row)
    deadlines = []
    for d in plan.deadlines.order_by("order"):
        row = {"date": d.date.isoformat(), "what": d.what, "where": d.where}
        if d.original:
            row["original"] = d.original
        if d.uncertain:
            row["uncertain"] = True
        if d.note:
            row["note"] = d.note
        row.update(d.extra)
        deadlines.append(row)
    out.update({"targets": targets, "measures": measures, "deadlines": deadlines})
    return out


def _same(plan: Plan, data: dict) -> bool:
    # the status is the plan's lifecycle (plan_publish / plan_withdraw), not file content: never compared
    current = interchange.normalise(plan_export(plan=plan))
    incoming = {k: v for k, v in data.items() if k not in ("source_text", "status")}
    current.pop("source_text", None)
    current.pop("status", None)
    return current == incoming and (not data["source_text"] or data["source_text"] == plan.source_text)


def _responsibility_rows(resolver, measure, m: dict) -> list[MeasureUnit]:
    rows = []
    for role, key in ((UnitRole.LEAD, "lead_units"), (UnitRole.COOPERATING, "cooperating_units")):
        for pos, written in enumerate(m[key]):
            hit = resolver.resolve(written)
            rows.append(
                MeasureUnit(measure=measure, role=role, written=written, unit=hit.unit, group=hit.group, position=pos)
            )
    return rows


def _measure_fields(m: dict, order: int) -> dict:
    return {"title": m["title"], "text": m["text"], "label": m["label"], "note": m["note"], "order": order,
            "extra": m["extra"]}  # fmt: skip


def _target_fields(t: dict, order: int, measures: dict) -> dict:
    return {
        "measure": measures.get(t["measure"]), "text": t["text"], "indicator": t["indicator"],
        "comparator": t["comparator"], "value": t["value"], "value_max": t["value_max"], "unit": t["unit"],
        "where": t["where"], "group": t["group"], "scope": t["scope"], "baseline_year": t["baseline_year"],
        "baseline_value": t["baseline_value"], "note": t["note"], "uncertain": t["uncertain"], "order": order,
        "extra": t["extra"],
    }  # fmt: skip


def _deadline_fields(d: dict, order: int) -> dict:
    return {"date": d["date"], "what": d["what"], "where": d["where"], "original": d["original"],
            "uncertain": d["uncertain"], "note": d["note"], "order": order, "extra": d["extra"]}  # fmt: skip


@transaction.atomic
def plan_load(
    *, data: dict, source_name: str = "", rec: Reconciliation | None = None, published_in_place: bool = False
) -> tuple[Plan, bool]:
    """Create the plan (year, version) from interchange data, or reconcile a stored plan with it; all-or-nothing.

    Returns ``(plan, changed)``; loading the same data twice changes nothing (and logs nothing). A stored plan is
    never deleted and recreated: rows are matched by number/code and reconciled under ``rec``'s mode (see
    :mod:`qualityplan.core.reconcile`; default: upgrade — apply changed fields, refuse removals), so users' tasks,
    indicators and reports that refer to the plan's rows stay attached.
    Unit names are kept as written; each is resolved to a unit or group when the register knows it,
    and left unresolved (flagged on the pages) otherwise.

    A published plan is not edited (:func:`policies.plan_content_locked`): loading different data for it is
    refused (:class:`Conflict`) unless ``published_in_place`` — given by ``bootstrap``, which reconciles the plans
    it ships (stored rows win unless ``--upgrade``), with its own reconciliation report.
    """
    rec = rec if rec is not None else Reconciliation(mode=Mode.UPGRADE)
    norm = interchange.normalise(data)
    plan = Plan.objects.filter(year=norm["year"], version=norm["version"]).first()
    if plan is not None and _same(plan, norm):
        return plan, False
    if plan is not None:
        locked = policies.plan_content_locked(plan)
        if locked and not published_in_place:
            raise Conflict(locked, {"plan": plan.pk, "year": plan.year, "version": plan.version})
        return plan, _plan_reconcile(plan, norm, source_name, rec)
    plan = Plan(
        year=norm["year"], version=norm["version"], title=norm["title"], issuer=norm["issuer"], date=norm["date"],
        status=norm["status"], source_text=norm["source_text"], source_name=source_name, extra=norm["extra"],
    )  # fmt: skip
    plan.full_clean()
    plan.save()
    rec.add("plans")
    Section.objects.bulk_create(
        Section(plan=plan, number=s["number"], title=s["title"], level=interchange.section_level(s["number"]), order=i)
        for i, s in enumerate(norm["sections"])
    )
    resolver = NameResolver.load()
    measures = {}
    for i, m in enumerate(norm["measures"]):
        measure = Measure.objects.create(plan=plan, number=m["number"], **_measure_fields(m, i))
        measures[m["number"]] = measure
        for row in _responsibility_rows(resolver, measure, m):  # saved one by one: every responsibility is audited
            row.save()
    for i, t in enumerate(norm["targets"]):
        Target.objects.create(plan=plan, code=t["code"], **_target_fields(t, i, measures))
    for i, d in enumerate(norm["deadlines"]):
        Deadline.objects.create(plan=plan, **_deadline_fields(d, i))
    return plan, True


def _plan_reconcile(plan: Plan, norm: dict, source_name: str, rec: Reconciliation) -> bool:
    """Reconcile a stored plan with interchange data row by row (matched by number / code / date + text)."""
    label = f"plan {plan.year} v{plan.version}"
    before = len(rec.changed) + len(rec.removed) + sum(rec.created.values())
    fields = {"title": norm["title"], "issuer": norm["issuer"], "date": norm["date"], "extra": norm["extra"]}
    if norm["source_text"]:
        fields["source_text"] = norm["source_text"]
    rec.update(plan, fields, label)

    stored = {s.number: s for s in plan.sections.all()}
    for i, s in enumerate(norm["sections"]):
        wanted = {"title": s["title"], "level": interchange.section_level(s["number"]), "order": i}
        if s["number"] not in stored:
            Section.objects.create(plan=plan, number=s["number"], **wanted)
            rec.add("plan sections")
        else:
            rec.update(stored.pop(s["number"]), wanted, f"{label} section {s['number']}")
    for number, section in stored.items():
        rec.remove(f"{label} section {number}", section.delete, obj=section)

    resolver = NameResolver.load()
    stored_m = {m.number: m for m in plan.measures.prefetch_related("responsibilities")}
    measures = dict(stored_m)
    for i, m in enumerate(norm["measures"]):
        measure = stored_m.pop(m["number"], None)
        if measure is None:
            measure = Measure.objects.create(plan=plan, number=m["number"], **_measure_fields(m, i))
            measures[m["number"]] = measure
            for row in _responsibility_rows(resolver, measure, m):
                row.save()
            rec.add("plan measures")
            continue
        mlabel = f"{label} measure {m['number']}"
        rec.update(measure, _measure_fields(m, i), mlabel)
        have = sorted((r.role, r.position, r.written) for r in measure.responsibilities.all())
        want = _responsibility_rows(resolver, measure, m)
        if have != sorted((r.role, r.position, r.written) for r in want):
            if rec.applies_changes:
                measure.responsibilities.all().delete()
                for row in want:
                    row.save()
                rec.changed.append(f"{mlabel}: responsible units → {', '.join(r.written for r in want)}")
            else:
                rec.kept.append(f"{mlabel}: responsible units differ from the shipped plan; stored kept")
    for number, measure in stored_m.items():
        rec.remove(f"{label} measure {number}", measure.delete, obj=measure, owned=(MeasureUnit,))

    stored_t = {t.code or f"#{t.order}": t for t in plan.targets.all()}
    for i, t in enumerate(norm["targets"]):
        key = t["code"] or f"#{i}"
        wanted = _target_fields(t, i, measures)
        if key not in stored_t:
            Target.objects.create(plan=plan, code=t["code"], **wanted)
            rec.add("plan targets")
        else:
            rec.update(stored_t.pop(key), wanted, f"{label} target {key}")
    for key, target in stored_t.items():
        rec.remove(f"{label} target {key}", target.delete, obj=target)

    stored_d = {(d.date, d.what): d for d in plan.deadlines.all()}
    for i, d in enumerate(norm["deadlines"]):
        deadline = stored_d.pop((d["date"], d["what"]), None)
        if deadline is None:
            Deadline.objects.create(plan=plan, **_deadline_fields(d, i))
            rec.add("plan deadlines")
        else:
            rec.update(deadline, _deadline_fields(d, i), f"{label} deadline {d['date']}")
    for (day, _what), deadline in stored_d.items():
        rec.remove(f"{label} deadline {day}", deadline.delete, obj=deadline)
    if source_name and rec.applies_changes and plan.source_name != source_name:
        Plan.objects.filter(pk=plan.pk).update(source_name=source_name)
    return len(rec.changed) + len(rec.removed) + sum(rec.created.values()) > before


# ------------------------------------------------------------------------------------------ target edits
# The office edits a target of a draft or withdrawn plan (web: /plans/targets/<id>/edit/, API: PATCH/PUT
# /api/v1/targets/<id>/); a published plan is fixed: 409 / a message, before any input is looked at.

TARGET_EDIT_FIELDS = ("indicator", "comparator", "value", "value_max", "unit", "group", "scope", "baseline_year",
                      "baseline_value", "note", "uncertain")  # fmt: skip


def target_edit_check(*, user, target: Target) -> None:
    """The one policy check of a target edit (web, API): office only (PermissionDenied), and not while the plan is
    published (:class:`Conflict`, 409). Called before the input is validated."""
    if not policies.can_edit_target(user, target):
        raise PermissionDenied(_("只有领导小组办公室可以修改目标。"))
    locked = policies.plan_content_locked(target.plan)
    if locked:
        raise Conflict(locked, {"plan": target.plan_id, "status": target.plan.status})


@transaction.atomic
def target_update(*, user, target: Target, data: dict, expected_version=None) -> Target:
    """Change fields of ``target`` (any of :data:`TARGET_EDIT_FIELDS`); audited with the acting user, optimistic
    locking on ``version`` (web forms send the version they were built on; the API checks If-Match)."""
    locked = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    target_edit_check(user=user, target=locked)
    version_check(locked, expected_version)
    unknown = sorted(set(data) - set(TARGET_EDIT_FIELDS))
    if unknown:
        raise ApplicationError(_("不能修改的字段：%(f)s") % {"f": ", ".join(unknown)}, {"field": unknown[0]})
    for key, value in data.items():
        setattr(locked, key, value)
    try:
        locked.full_clean(exclude=["plan", "measure", "text", "where", "order", "extra", "code"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(f"{field}: {'; '.join(messages)}", {"field": field}) from exc
    with acting_as(user):
        locked.save()
    return locked


# ------------------------------------------------------------------------------------------ lifecycle
# draft ──publish──▶ published ──withdraw──▶ withdrawn ──publish──▶ published; drafts and withdrawn plans can be
# deleted. One published plan per year and region (a DB constraint): publishing a plan withdraws the plan of the
# same year and region that was published before it, in the same transaction.

PLAN_ACTIONS = {
    "publish": (PlanStatus.DRAFT, PlanStatus.WITHDRAWN),
    "withdraw": (PlanStatus.PUBLISHED,),
    "delete": (PlanStatus.DRAFT, PlanStatus.WITHDRAWN),
    "edit": (PlanStatus.DRAFT, PlanStatus.WITHDRAWN),
}


def plan_policy(*, user, plan: Plan, action: str) -> str | None:
    """The one policy for the lifecycle actions (web, API and CLI): None when allowed, else the reason."""
    if action not in PLAN_ACTIONS:
        return _("未知操作：%(a)s") % {"a": action}
    if user is None or not Plan.objects.restrict(user, CHANGE).filter(pk=plan.pk).exists():
        return _("只有领导小组办公室可以管理计划。")
    if plan.status not in PLAN_ACTIONS[action]:
        return _("计划当前为“%(s)s”，不能执行此操作。") % {"s": plan.get_status_display()}
    return None


def _check(user, plan: Plan, action: str, expected_updated_at: dt.datetime | None) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise ApplicationError(_("计划已被他人修改，请刷新后重试。"), {"field": "updated_at"})
    reason = plan_policy(user=user, plan=locked, action=action)
    if reason:
        raise ApplicationError(reason, {"action": action, "status": locked.status})
    return locked


def plan_published_for(*, year: int, region: str = "460000") -> Plan | None:
    return Plan.objects.filter(year=year, region=region, status=PlanStatus.PUBLISHED).first()


@transaction.atomic
def plan_publish(*, plan: Plan, user, expected_updated_at: dt.datetime | None = None) -> Plan:
    """Publish ``plan``; the plan published before it for the same year and region is withdrawn (both audited)."""
    plan = _check(user, plan, "publish", expected_updated_at)
    if not plan.targets.exists() and not plan.measures.exists():
        raise ApplicationError(_("计划没有目标和措施，不能发布。"), {"action": "publish"})
    current = plan_published_for(year=plan.year, region=plan.region)
    with acting_as(user):  # audited with the real actor, from the web, the API or the CLI
        if current is not None:
            current.status = PlanStatus.WITHDRAWN
            current.save(update_fields=["status", "updated_at"])
        plan.status = PlanStatus.PUBLISHED
        plan.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def plan_withdraw(*, plan: Plan, user, expected_updated_at: dt.datetime | None = None) -> Plan:
    plan = _check(user, plan, "withdraw", expected_updated_at)
    plan.status = PlanStatus.WITHDRAWN
    with acting_as(user):
        plan.save(update_fields=["status", "updated_at"])
    return plan


# What a plan's delete may take with it besides the plan's own rows: indicator definitions and the values computed
# from them (rebuilt from the targets). Anything else it would cascade into is people's work (tasks with their
# progress and evidence, summaries...) and refuses the delete; reported values are protected by their foreign key.
PLAN_DERIVED = frozenset({"indicators.indicator", "indicators.computedvalue", "indicators.evaluation",
                          "indicators.evaluationrun"})  # fmt: skip


def _work_on(plan: Plan) -> list[str]:
    """The kinds of records outside the plan (and :data:`PLAN_DERIVED`) its delete would remove: they refuse it."""
    collector = Collector(using=router.db_for_write(Plan))
    try:
        collector.collect([plan])
    except ProtectedError as exc:
        return sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
    models = set(collector.data) | {qs.model for qs in collector.fast_deletes if qs.exists()}
    return sorted(
        {
            str(m._meta.verbose_name)
            for m in models
            if m._meta.app_label != "plans" and m._meta.label_lower not in PLAN_DERIVED and not m._meta.auto_created
        }
    )


def _delete_refused(kinds) -> ApplicationError:
    return ApplicationError(
        _("计划仍被其他记录引用（%(k)s），不能删除；可以撤回。") % {"k": "、".join(str(k) for k in kinds)},
        {"action": "delete"},
    )


@transaction.atomic
def plan_delete(*, plan: Plan, user, expected_updated_at: dt.datetime | None = None) -> None:
    """Delete a draft or withdrawn plan with its sections, measures, targets and deadlines (each audited); refused
    while work refers to it (tasks, indicators with data, supervision items...)."""
    plan = _check(user, plan, "delete", expected_updated_at)
    kinds = _work_on(plan)  # a cascade would delete the work silently: tasks, progress, evidence, summaries
    if kinds:
        raise _delete_refused(kinds)
    try:
        with transaction.atomic(), acting_as(user):
            plan.targets.all().delete()
            MeasureUnit.objects.filter(measure__plan=plan).delete()
            plan.measures.all().delete()
            plan.sections.all().delete()
            plan.deadlines.all().delete()
            plan.delete()
    except ProtectedError as exc:  # a record added since the check above
        raise _delete_refused(sorted({str(o._meta.verbose_name) for o in exc.protected_objects})) from exc
