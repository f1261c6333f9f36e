"""Writes of the credit archive. Every write checks its policy, validates, and is audited (``BaseModel`` change log)
with the real actor; bulk loads record one summary entry (``core.audit.log_bulk``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.credit import policies, rules
from qualityplan.credit.choices import DocumentKind, EventKind, RecheckStatus, RepairStatus
from qualityplan.credit.files import document_store
from qualityplan.credit.models import CreditEvent, Enterprise, EnterpriseName, RepairApplication, in_publicity_q
from qualityplan.standards import workdays
from qualityplan.standards.codes.gb32100 import validate_uscc

REPAIR_DECISION_WORKDAYS = 15
REPAIR_DOCUMENTS = (DocumentKind.APPLICATION, DocumentKind.PLEDGE, DocumentKind.FULFILMENT)


def _db_user(user):
    """The user row to store as actor (``None`` for the command-line system actor)."""
    return user if getattr(user, "pk", None) else None


def _clean(obj) -> None:
    """``full_clean`` with the first problem as an :class:`ApplicationError` naming the field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), {"field": "row" if field == "__all__" else field}) from exc


def _denied() -> ApplicationError:
    return ApplicationError(_("无权进行此操作。"), {"field": "user", "code": "forbidden"})


def uscc_normalise(code: str) -> tuple[str, bool, str]:
    """(code as stored, valid, problem) — upper-cased and stripped; the GB 32100 check from ``standards``."""
    code = (code or "").strip().upper()
    if not code:
        return "", False, "empty"
    valid, reason = validate_uscc(code)
    return code, bool(valid), str(reason)


def enterprise_get_or_create(
    *, uscc: str, name: str, region=None, industry: str = "", on: dt.date | None = None
) -> Enterprise:
    """The archive entry for ``uscc`` (or, without a code, for the exact ``name``); records a new name from ``on``."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("企业名称不能为空。"), {"field": "enterprise"})
    if len(name) > 200:
        raise ApplicationError(_("企业名称超过 200 字。"), {"field": "enterprise"})
    code, valid, problem = uscc_normalise(uscc)
    if len(code) > 40:
        raise ApplicationError(_("统一社会信用代码超过 40 个字符。"), {"field": "uscc"})
    industry = (industry or "").strip()
    if len(industry) > 100:
        raise ApplicationError(_("行业超过 100 字。"), {"field": "industry"})
    on = on or clock.today()
    ent = (
        Enterprise.objects.filter(uscc=code).first() if code else Enterprise.objects.filter(uscc="", name=name).first()
    )
    if ent is None:
        ent = Enterprise(uscc=code, uscc_valid=valid, uscc_error="" if valid else problem, name=name)
        ent.region = region
        ent.industry = industry
        _clean(ent)
        ent.save()
        EnterpriseName.objects.create(enterprise=ent, name=name, valid_from=on)
        return ent
    changed = []
    if ent.name != name and not ent.names.filter(name=name).exists():
        EnterpriseName.objects.create(enterprise=ent, name=name, valid_from=on)
        latest = ent.names.order_by("-valid_from", "-id").first()
        if latest.name != ent.name:
            ent.name = latest.name
            changed.append("name")
    if region is not None and ent.region_id != region.id:
        ent.region = region
        changed.append("region")
    if industry and ent.industry != industry:
        ent.industry = industry
        changed.append("industry")
    if changed:
        _clean(ent)
        ent.save(update_fields=[*changed, "updated_at"])
    return ent


def event_apply_rules(event: CreditEvent) -> None:
    """Set ``starts_on``, ``last_day``, ``months``, ``repair_from``, ``severe`` from ``credit.rules`` (no save)."""
    event.starts_on = event.last_day = event.repair_from = None
    event.months = 0
    event.severe = False
    try:
        if event.kind == EventKind.PENALTY:
            kinds = rules.normalise_penalties(event.penalty_list)
            event.penalties = ";".join(kinds)
            pub = rules.penalty_publicity(
                decision_date=event.date,
                published_on=event.published_on,
                kinds=kinds,
                lower_amount=event.lower_amount,
                restrict_years=event.restrict_years,
                domain=event.domain,
            )
            if pub is not None:
                event.starts_on, event.last_day, event.months = pub.start, pub.last, pub.months
                event.repair_from = pub.repair_from
                event.severe = bool(rules.SEVERE.intersection(kinds))
        elif event.kind == EventKind.BLACKLIST_IN:
            pub = rules.blacklist_period(event.date)
            event.starts_on, event.last_day, event.months, event.repair_from = (
                pub.start,
                pub.last,
                pub.months,
                pub.repair_from,
            )
        elif event.kind == EventKind.ABNORMAL_IN:
            event.starts_on = event.date  # until the cause is cured (removal)
            event.repair_from = event.date
        elif event.kind == EventKind.SAMPLE_FAIL:
            if event.recheck_status == RecheckStatus.OVERTURNED:
                return  # an overturned result never becomes a credit event
            if event.recheck_status == RecheckStatus.UPHELD:
                event.starts_on = event.date  # the date the recheck upheld the result
            elif event.recheck_status == RecheckStatus.NONE and event.received_on:
                group = rules.recheck_group(event.sampling_record.product_group if event.sampling_record_id else "")
                event.starts_on = rules.failing_sample_effective(event.received_on, group)
    except rules.RuleError as exc:
        raise ApplicationError(str(exc), {"field": "penalties"}) from exc


def _validate_event_fields(
    *, kind, decision_no, penalties, fine_yuan, lower_amount, restrict_years, domain, date, published_on
):
    if kind not in EventKind.values:
        raise ApplicationError(_("未知的事件类型：%(v)s") % {"v": kind}, {"field": "event"})
    if date is None:
        raise ApplicationError(_("日期不能为空。"), {"field": "date"})
    if published_on is not None and published_on < date:
        raise ApplicationError(_("公示日期早于决定日期。"), {"field": "published"})
    if kind == EventKind.PENALTY:
        if not penalties:
            raise ApplicationError(_("行政处罚须填写处罚种类。"), {"field": "penalties"})
        if fine_yuan is not None and fine_yuan < 0:
            raise ApplicationError(_("罚款金额不能为负。"), {"field": "fine_yuan"})
        if rules.FINE in penalties and fine_yuan is None:
            raise ApplicationError(_("罚款须填写金额。"), {"field": "fine_yuan"})
        if rules.FINE in penalties and lower_amount is None:
            raise ApplicationError(_("罚款须注明是否为较低数额。"), {"field": "lower_amount"})
        if rules.RESTRICT_PRACTICE in penalties and not restrict_years:
            raise ApplicationError(_("限制从业须填写年限。"), {"field": "restrict_years"})
        if restrict_years is not None and not (1 <= restrict_years <= 99):
            raise ApplicationError(_("限制从业年限须在 1–99 年之间。"), {"field": "restrict_years"})
    if domain and domain not in rules.DOMAINS:
        raise ApplicationError(_("未知的领域：%(v)s") % {"v": domain}, {"field": "domain"})
    if len(decision_no) > 100:
        raise ApplicationError(_("决定书文号超过 100 个字符。"), {"field": "decision_no"})


def _list_name(kind: str) -> str:
    return _("经营异常名录") if kind == EventKind.ABNORMAL_IN else _("严重违法失信名单")


def _end_open(enterprise: Enterprise, kind: str, day: dt.date) -> CreditEvent:
    """Removal from a list: end the membership open on ``day``."""
    open_ = (
        CreditEvent.objects.filter(enterprise=enterprise, kind=kind, ended_on__isnull=True, starts_on__lte=day)
        .order_by("-starts_on", "-id")
        .first()
    )
    if open_ is None or (open_.last_day is not None and open_.last_day < day):
        raise ApplicationError(
            _("该企业在 %(d)s 不在%(l)s中。") % {"d": day, "l": _list_name(kind)}, {"field": "event"}
        )
    open_.ended_on = day
    open_.version += 1  # an edit of the listing: a form or client holding the old version gets 412
    open_.save(update_fields=["ended_on", "version", "updated_at"])
    return open_


def _repair_by_file(enterprise: Enterprise, decision_no: str, day: dt.date) -> CreditEvent:
    """A 信用修复 row of a file: end the publicity of the penalty ``decision_no`` on ``day`` after checking it."""
    target = CreditEvent.objects.filter(enterprise=enterprise, kind=EventKind.PENALTY, decision_no=decision_no).first()
    if target is None:
        raise ApplicationError(_("未找到处罚决定书 %(n)s。") % {"n": decision_no}, {"field": "decision_no"})
    repair_check(event=target, on=day)
    target.ended_on = day
    target.version += 1  # as repair_decide does: the penalty's publicity was edited
    target.save(update_fields=["ended_on", "version", "updated_at"])
    return target


@transaction.atomic
def event_create(
    *,
    user,
    enterprise: Enterprise,
    kind: str,
    date: dt.date,
    unit=None,
    published_on: dt.date | None = None,
    decision_no: str = "",
    penalties: list[str] | tuple[str, ...] = (),
    fine_yuan: Decimal | None = None,
    lower_amount: bool | None = None,
    restrict_years: int | None = None,
    domain: str = rules.OTHER,
    recall_kind: str = "",
    note: str = "",
    registry_item=None,
    evidence=None,
    batch=None,
) -> CreditEvent:
    """Enter one credit event for ``unit`` (default: the user's unit), with an optional evidence file."""
    unit = unit if unit is not None else getattr(user, "unit", None)
    if not policies.can_enter_event(user, unit=unit):
        raise _denied()
    try:
        penalties = rules.normalise_penalties(penalties)
    except rules.RuleError as exc:
        raise ApplicationError(str(exc), {"field": "penalties"}) from exc
    _validate_event_fields(
        kind=kind,
        decision_no=decision_no,
        penalties=penalties,
        fine_yuan=fine_yuan,
        lower_amount=lower_amount,
        restrict_years=restrict_years,
        domain=domain,
        date=date,
        published_on=published_on,
    )
    if (
        kind == EventKind.PENALTY
        and decision_no
        and CreditEvent.objects.filter(kind=kind, decision_no=decision_no).exists()
    ):
        raise ApplicationError(_("该处罚决定书文号已录入。"), {"field": "decision_no"})
    if kind in (EventKind.ABNORMAL_IN, EventKind.BLACKLIST_IN) and (
        CreditEvent.objects.filter(enterprise=enterprise, kind=kind).filter(in_publicity_q(date)).exists()
    ):
        raise ApplicationError(
            _("该企业在 %(d)s 已在%(l)s中。") % {"d": date, "l": _list_name(kind)}, {"field": "event"}
        )
    related = None
    if kind == EventKind.ABNORMAL_OUT:
        related = _end_open(enterprise, EventKind.ABNORMAL_IN, date)
    elif kind == EventKind.BLACKLIST_OUT:
        related = _end_open(enterprise, EventKind.BLACKLIST_IN, date)
    elif kind == EventKind.REPAIR:
        if not decision_no:
            raise ApplicationError(_("信用修复须填写被修复处罚的决定书文号。"), {"field": "decision_no"})
        related = _repair_by_file(enterprise, decision_no, date)
    event = CreditEvent(
        enterprise=enterprise,
        kind=kind,
        date=date,
        published_on=published_on,
        decision_no=decision_no if kind != EventKind.REPAIR else "",
        penalties=";".join(penalties),
        fine_yuan=fine_yuan,
        lower_amount=lower_amount,
        restrict_years=restrict_years,
        domain=domain or rules.OTHER,
        recall_kind=recall_kind,
        note=note if kind != EventKind.REPAIR else (f"{decision_no} {note}".strip()),
        unit=unit,
        registry_item=registry_item,
        related=related,
        created_by=_db_user(user),
        batch=batch,
    )
    event_apply_rules(event)
    if kind in (EventKind.ABNORMAL_IN, EventKind.BLACKLIST_IN) and event.starts_on is not None:
        later = CreditEvent.objects.filter(enterprise=enterprise, kind=kind, starts_on__gt=event.starts_on)
        if event.last_day is not None:
            later = later.filter(starts_on__lte=event.last_day)
        first = later.order_by("starts_on").first()
        if first is not None:  # a back-dated listing would overlap a later one: two memberships at once
            raise ApplicationError(
                _("%(d)s 的列入与 %(s)s 起的%(l)s记录重叠。")
                % {"d": date, "s": first.starts_on, "l": _list_name(kind)},
                {"field": "date"},
            )
    _clean(event)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as exc:
        raise ApplicationError(_("该处罚决定书文号已录入。"), {"field": "decision_no"}) from exc
    if evidence is not None:
        document_store(upload=evidence, kind=DocumentKind.DECISION, user=user, unit=unit, event=event)
    return event


@transaction.atomic
def sample_event_sync(*, user, sampling_record, received_on: dt.date) -> CreditEvent:
    """Turn a failing 监督抽检 result into a credit event that takes effect when its recheck window has passed."""
    unit = getattr(user, "unit", None)
    if not policies.can_enter_event(user, unit=unit):
        raise _denied()
    if sampling_record.result != "不合格" or sampling_record.sample_type != "监督抽检":
        raise ApplicationError(_("只有监督抽检不合格结果才计入信用档案。"), {"field": "sampling_record"})
    if received_on < sampling_record.sampling_date:
        raise ApplicationError(_("送达日期早于抽样日期。"), {"field": "received_on"})
    enterprise = enterprise_get_or_create(
        uscc=sampling_record.uscc,
        name=sampling_record.enterprise,
        region=sampling_record.unit,
        on=sampling_record.sampling_date,
    )
    existing = CreditEvent.objects.filter(sampling_record=sampling_record).first()
    if existing is not None:
        raise ApplicationError(_("该抽检记录已生成信用事件。"), {"field": "sampling_record"})
    event = CreditEvent(
        enterprise=enterprise,
        kind=EventKind.SAMPLE_FAIL,
        date=sampling_record.sampling_date,
        received_on=received_on,
        sampling_record=sampling_record,
        note=sampling_record.failing_items[:300],
        domain=rules.FOOD if sampling_record.product_group == "food" else rules.OTHER,
        unit=unit,
        created_by=_db_user(user),
    )
    event_apply_rules(event)
    _clean(event)
    event.save()
    return event


@transaction.atomic
def sample_recheck_record(*, user, event: CreditEvent, status: str, on: dt.date, version: int) -> CreditEvent:
    """Record a recheck: requested (the event waits), upheld on ``on`` (effective that day) or overturned (never an
    event)."""
    if not policies.can_change_event(user, event):
        raise _denied()
    if event.kind != EventKind.SAMPLE_FAIL:
        raise ApplicationError(_("只有抽检不合格事件可以复检。"), {"field": "event"})
    if status not in RecheckStatus.values or status == RecheckStatus.NONE:
        raise ApplicationError(_("未知的复检状态：%(v)s") % {"v": status}, {"field": "status"})
    locked = CreditEvent.objects.select_for_update().get(pk=event.pk)
    if locked.version != version:
        raise ApplicationError(_("该记录已被他人修改，请刷新后重试。"), {"field": "version", "code": "conflict"})
    if status == RecheckStatus.REQUESTED:
        last = rules.recheck_last_day(locked.received_on, rules.recheck_group(locked.sampling_record.product_group))
        if on > last:
            raise ApplicationError(
                _("复检申请期限已于 %(d)s 届满。") % {"d": last}, {"field": "on", "recheck_until": str(last)}
            )
    if status == RecheckStatus.UPHELD:
        locked.date = on
    locked.recheck_status = status
    event_apply_rules(locked)
    locked.version += 1
    _clean(locked)
    locked.save()
    return locked


def repair_check(*, event: CreditEvent, on: dt.date) -> None:
    """Raise :class:`ApplicationError` unless a repair (early stop / early removal) may be applied for on ``on``."""
    if event.kind not in (EventKind.PENALTY, EventKind.BLACKLIST_IN, EventKind.ABNORMAL_IN):
        raise ApplicationError(_("该事件不适用信用修复。"), {"field": "event"})
    if not event.in_publicity(on):
        raise ApplicationError(_("该事件在 %(d)s 不在公示期内。") % {"d": on}, {"field": "event"})
    if event.repair_from is None:
        raise ApplicationError(_("该处罚不可申请提前停止公示（处罚种类或公示期不适用）。"), {"field": "event"})
    if on < event.repair_from:
        raise ApplicationError(
            _("最早可于 %(d)s 申请信用修复。") % {"d": event.repair_from},
            {"field": "received_on", "repair_from": str(event.repair_from)},
        )


@transaction.atomic
def repair_apply(
    *, user, event: CreditEvent, applicant: str, received_on: dt.date, reason: str, documents: dict
) -> RepairApplication:
    """Register a 信用修复 application with 申请书, 守信承诺书 and proof of fulfilment; decision due within 15 WD."""
    if not policies.can_apply_repair(user, event):
        raise _denied()
    applicant = (applicant or "").strip()
    if not applicant:
        raise ApplicationError(_("申请人不能为空。"), {"field": "applicant"})
    if len(applicant) > 100:
        raise ApplicationError(_("申请人超过 100 字。"), {"field": "applicant"})
    if not (reason or "").strip():
        raise ApplicationError(_("请填写申请理由及履行情况。"), {"field": "reason"})
    if received_on > clock.today():
        raise ApplicationError(_("受理日期不能晚于今天。"), {"field": "received_on"})
    for kind in REPAIR_DOCUMENTS:
        if not documents.get(kind):
            raise ApplicationError(
                _("缺少材料：%(k)s。") % {"k": DocumentKind(kind).label}, {"field": str(kind), "code": "required"}
            )
    repair_check(event=event, on=received_on)
    if RepairApplication.objects.filter(event=event, status=RepairStatus.SUBMITTED).exists():
        raise ApplicationError(_("该事件已有待决定的修复申请。"), {"field": "event"})
    app = RepairApplication(
        event=event,
        unit=event.unit,
        applicant=applicant,
        received_on=received_on,
        deadline=workdays.add_workdays(received_on, REPAIR_DECISION_WORKDAYS),
        reason=reason.strip(),
        created_by=_db_user(user),
    )
    _clean(app)
    app.save()
    for kind in REPAIR_DOCUMENTS:
        document_store(upload=documents[kind], kind=kind, user=user, unit=event.unit, application=app)
    return app


@transaction.atomic
def repair_decide(
    *, user, application: RepairApplication, grant: bool, decided_on: dt.date, note: str, version: int
) -> RepairApplication:
    """Grant (the publicity / listing ends on ``decided_on``) or refuse a repair application; audited."""
    if not policies.can_decide_repair(user, application):
        raise _denied()
    app = RepairApplication.objects.select_for_update().get(pk=application.pk)
    if app.version != version:
        raise ApplicationError(_("该申请已被他人处理，请刷新后重试。"), {"field": "version", "code": "conflict"})
    if app.status != RepairStatus.SUBMITTED:
        raise ApplicationError(_("该申请已作出决定。"), {"field": "status"})
    if decided_on < app.received_on:
        raise ApplicationError(_("决定日期早于受理日期。"), {"field": "decided_on"})
    if decided_on > clock.today():
        raise ApplicationError(_("决定日期不能晚于今天。"), {"field": "decided_on"})
    if not grant and not (note or "").strip():
        raise ApplicationError(_("不予修复须说明理由。"), {"field": "decision_note"})
    if grant:
        event = CreditEvent.objects.select_for_update().get(pk=app.event_id)
        repair_check(event=event, on=decided_on)
        event.ended_on = decided_on
        event.version += 1
        event.save(update_fields=["ended_on", "version", "updated_at"])
    app.status = RepairStatus.GRANTED if grant else RepairStatus.REJECTED
    app.decided_on = decided_on
    app.decided_by = _db_user(user)
    app.decision_note = (note or "").strip()
    app.version += 1
    _clean(app)
    app.save()
    return app


@transaction.atomic
def event_open_supervision(*, user, event: CreditEvent, deadline_workdays: int = 15):
    """Open a 督办单 (supervision service) for a credit event; the lead unit is the enterprise's city/county,
    else the event's department."""
    from qualityplan.supervision.choices import ItemSource
    from qualityplan.supervision.services import item_create

    if not policies.can_open_supervision(user):
        raise _denied()
    if event.supervision_item_id:
        raise ApplicationError(_("该事件已立项督办。"), {"field": "event"})
    lead = event.enterprise.region or event.unit
    if lead is None:
        raise ApplicationError(_("无法确定主办单位（企业无所在市县，事件无录入部门）。"), {"field": "lead_unit"})
    coop = [event.unit] if event.unit is not None and event.unit != lead else []
    item = item_create(
        user=user,
        title=f"督办信用事件：{event.enterprise.name} {event.get_kind_display()}"[:300],
        source=ItemSource.INSPECTION_FINDING,
        source_ref=f"信用事件 #{event.pk} {event.decision_no or event.date}"[:200],
        requirement=f"请督促{event.enterprise.name}（{event.enterprise.uscc or '无代码'}）整改并书面报告办理情况。",
        lead_unit=lead,
        cooperating_units=coop,
        deadline_workdays=deadline_workdays,
        year=clock.today().year,
    )
    event.supervision_item = item
    event.version += 1
    event.save(update_fields=["supervision_item", "version", "updated_at"])
    return item


__all__ = [
    "enterprise_get_or_create",
    "event_apply_rules",
    "event_create",
    "event_open_supervision",
    "repair_apply",
    "repair_check",
    "repair_decide",
    "sample_event_sync",
    "sample_recheck_record",
]


HONOUR_REGISTRY_KINDS = ("brand_product", "trademark", "luban", "green_island", "haccp")


@transaction.atomic
def honours_sync_from_registry(*, user, kinds: tuple[str, ...] = HONOUR_REGISTRY_KINDS) -> int:
    """荣誉 events for registry items (名牌产品, 著名商标, 鲁班奖 …) whose holder is an archived enterprise (exact
    current or former name); each registry item becomes at most one event. Returns the number created."""
    from qualityplan.indicators.models import RegistryItem

    if not policies.can_import(user):
        raise _denied()
    by_name = dict(EnterpriseName.objects.values_list("name", "enterprise_id"))
    by_name.update(Enterprise.objects.values_list("name", "id"))
    done = set(CreditEvent.objects.filter(registry_item__isnull=False).values_list("registry_item_id", flat=True))
    created = 0
    for item in RegistryItem.objects.filter(kind__in=kinds).exclude(holder="").order_by("date", "id"):
        ent_id = by_name.get(item.holder.strip())
        if ent_id is None or item.id in done:
            continue
        event = CreditEvent(
            enterprise_id=ent_id,
            kind=EventKind.HONOUR,
            date=item.date,
            note=f"{item.get_kind_display()}：{item.name} {item.certificate_no}".strip()[:2000],
            unit=item.unit,
            registry_item=item,
            created_by=_db_user(user),
        )
        _clean(event)
        event.save()
        created += 1
    return created
