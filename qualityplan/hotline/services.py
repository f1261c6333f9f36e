"""Writes for 12345 work orders: intake (by hand, import, push), attachments, and every workflow step.

Every write goes through a policy function (``policies.py``), is audited with its real actor (``ChangeLog`` through
``BaseModel``, caller fields redacted; an ``OrderEvent`` per step) and — for steps on an existing order — checks the
optimistic-locking ``version`` the client last saw: a stale write is refused, never merged silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.middleware import acting_as
from qualityplan.hotline import deadlines, policies, workflow
from qualityplan.hotline.choices import Category, Channel, Satisfaction, Status, Subject, UnitRole
from qualityplan.hotline.models import Attachment, DispatchRule, OrderEvent, OrderUnit, WorkOrder
from qualityplan.orgs.models import Unit
from qualityplan.standards.codes import validate_uscc
from qualityplan.standards.errors import UnknownCalendarYearError

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")
MAX_LENGTHS = {"title": 200, "caller_name": 50, "caller_phone": 30, "enterprise_name": 200, "number": 40}
ORDER_FIELDS = (
    "number",
    "received_at",
    "channel",
    "caller_name",
    "caller_phone",
    "category",
    "subject",
    "enterprise_uscc",
    "enterprise_name",
    "region",
    "title",
    "content",
)


def as_actor(func):
    """Run a service with its ``user`` as the audit log's actor (API token auth, CLI, jobs), in one transaction."""

    @functools.wraps(func)
    def wrapper(*args, user, **kwargs):
        try:
            with acting_as(user), transaction.atomic():
                return func(*args, user=user, **kwargs)
        except UnknownCalendarYearError as exc:
            raise ApplicationError(
                _("该日期所在年度的节假日安排尚未登记，无法计算工作日期限；请领导小组办公室登记当年放假安排。"),
                {"field": "received_at", "detail": str(exc)},
            ) from None

    return wrapper


def _require_intake(user) -> None:
    if not policies.can_intake(user):
        raise ApplicationError(
            _("只有12345热线话务员或领导小组办公室可以登记工单。"), {"user": getattr(user, "username", None)}
        )


def _parse_received(value) -> dt.datetime:
    from django.utils import timezone

    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(9, 0))
    else:
        text = str(value or "").strip().replace("/", "-")
        if not text:
            raise ValueError("empty")
        moment = dt.datetime.fromisoformat(text.replace(" ", "T") if "T" not in text and " " in text else text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _choice(value, choices, field: str, errors: dict) -> str:
    text = str(value or "").strip()
    by_label = {str(label): v for v, label in choices.choices}
    if text in choices.values:
        return text
    if text in by_label:
        return by_label[text]
    errors[field] = _("%(field)s：未知取值“%(value)s”（可选：%(allowed)s）。") % {
        "field": field,
        "value": text,
        "allowed": "、".join(str(label) for _v, label in choices.choices),
    }
    return ""


def order_clean(data: dict, *, units_by_key: dict | None = None) -> tuple[dict, dict]:
    """Validate one order's input (form, import row, push). Returns ``(clean, errors)``; errors name the field.

    Nothing is guessed or truncated: a value too long, an unknown category or region, an invalid USCC is an error.
    """
    errors: dict[str, str] = {}
    clean: dict = {}
    for field, limit in MAX_LENGTHS.items():
        value = str(data.get(field) or "").strip()
        if len(value) > limit:
            errors[field] = _("%(field)s：超过 %(n)s 个字符。") % {"field": field, "n": limit}
        clean[field] = value
    try:
        clean["received_at"] = _parse_received(data.get("received_at"))
    except (ValueError, TypeError):
        errors["received_at"] = _("received_at：受理时间无效，应为 YYYY-MM-DD HH:MM。")
    else:
        if clean["received_at"] > clock.now() + dt.timedelta(minutes=5):
            errors["received_at"] = _("received_at：受理时间不能晚于当前时间。")
    clean["channel"] = _choice(data.get("channel") or Channel.PHONE, Channel, "channel", errors)
    clean["category"] = _choice(data.get("category"), Category, "category", errors)
    clean["subject"] = _choice(data.get("subject"), Subject, "subject", errors)
    if not clean["title"]:
        errors["title"] = _("title：标题不能为空。")
    clean["content"] = str(data.get("content") or "").strip()
    if not clean["content"]:
        errors["content"] = _("content：诉求内容不能为空。")
    if not clean["caller_phone"] and not clean["caller_name"]:
        pass  # anonymous callers are allowed (举报 may be anonymous)
    if clean["caller_phone"] and not PHONE_RE.match(clean["caller_phone"]):
        errors["caller_phone"] = _("caller_phone：联系电话格式无效。")
    uscc = str(data.get("enterprise_uscc") or "").strip().upper()
    if uscc:
        ok, reason = validate_uscc(uscc)
        if not ok:
            errors["enterprise_uscc"] = _("enterprise_uscc：统一社会信用代码无效（%(reason)s）。") % {"reason": reason}
    clean["enterprise_uscc"] = uscc
    region = data.get("region")
    clean["region"] = None
    if isinstance(region, Unit):
        clean["region"] = region
    elif region not in (None, ""):
        key = str(region).strip()
        lookup = units_by_key if units_by_key is not None else _unit_keys()
        unit = lookup.get(key)
        if unit is None or not unit.is_local_government:
            errors["region"] = _("region：未知的市县“%(value)s”。") % {"value": key}
        else:
            clean["region"] = unit
    return clean, errors


def _unit_keys() -> dict:
    keys: dict = {}
    for unit in Unit.objects.all():
        for key in (unit.code, unit.name, unit.short_name, str(unit.pk)):
            if key:
                keys.setdefault(key, unit)
    return keys


def _next_number(received: dt.datetime) -> str:
    day = deadlines.local_date(received)
    prefix = f"RX{day:%Y%m%d}"
    last = WorkOrder.objects.filter(number__startswith=prefix).aggregate(m=Max("number"))["m"]
    seq = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{seq:05d}"


def _event(order, action, before, *, user, comment="", data=None, at=None) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        action=action,
        at=at or clock.now(),
        from_status=before,
        to_status=order.status,
        user=user if getattr(user, "is_authenticated", False) else None,
        unit=getattr(user, "unit", None) if getattr(user, "is_authenticated", False) else None,
        comment=comment,
        data=data or {},
    )


@as_actor
def order_create(*, user, data: dict, attachments: list | None = None) -> WorkOrder:
    """登记: one order from a form or a push. Raises ``ApplicationError`` naming the first bad field."""
    _require_intake(user)
    clean, errors = order_clean(data)
    if clean.get("number") and WorkOrder.objects.filter(number=clean["number"]).exists():
        errors["number"] = _("number：工单编号 %(n)s 已存在。") % {"n": clean["number"]}
    if errors:
        field = next(iter(errors))
        raise ApplicationError(errors[field], {"field": field, "errors": errors})
    for upload in attachments or []:
        evidence_validate(upload, field="attachments")
    clean["number"] = clean["number"] or _next_number(clean["received_at"])
    order = WorkOrder(**clean, created_by=user if user.is_authenticated else None)
    order.full_clean()
    order.save()
    _event(order, "register", "", user=user)
    for upload in attachments or []:
        Attachment.objects.create(order=order, file=upload, name=upload.name[:200], uploaded_by=user)
    return order


@as_actor
def attachment_add(*, user, order: WorkOrder, upload, version: int) -> Attachment:
    order = _locked(order, version)
    if not policies.can_attach(user, order):
        raise ApplicationError(_("无权为该工单上传附件。"), {"field": "file"})
    evidence_validate(upload, field="file")
    attachment = Attachment.objects.create(order=order, file=upload, name=upload.name[:200], uploaded_by=user)
    _bump(order)
    _event(order, "attach", order.status, user=user, data={"file": attachment.name})
    return attachment


def _locked(order: WorkOrder, version) -> WorkOrder:
    fresh = WorkOrder.objects.select_for_update().get(pk=order.pk)
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ApplicationError(_("缺少工单版本号（version）。"), {"field": "version"}) from None
    if fresh.version != version:
        raise ApplicationError(
            _("工单已被他人修改（当前版本 %(current)s，您看到的是版本 %(seen)s），请刷新后重试。")
            % {"current": fresh.version, "seen": version},
            {"field": "version", "current": fresh.version, "seen": version},
        )
    return fresh


def _bump(order: WorkOrder) -> None:
    WorkOrder.objects.filter(pk=order.pk).update(version=F("version") + 1)
    order.version += 1


def catalogue_proposal(*, subject: str, region: Unit | None) -> DispatchRule | None:
    """The catalogue row for ``subject`` in ``region``: a region-specific row wins over a province-wide one."""
    rules = DispatchRule.objects.filter(active=True, subject=subject).select_related("lead_unit")
    if region is not None:
        rule = rules.filter(region=region).order_by("id").first()
        if rule is not None:
            return rule
    return rules.filter(region__isnull=True).order_by("id").first()


def _require(transition: workflow.Transition, data: dict) -> None:
    for key in transition.requires:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ApplicationError(
                _("“%(action)s”需要填写 %(field)s。") % {"action": transition.label, "field": key}, {"field": key}
            )


def _unit(value, field: str) -> Unit:
    if isinstance(value, Unit):
        return value
    unit = Unit.objects.filter(pk=value).first() if str(value or "").isdigit() else None
    unit = unit or Unit.objects.filter(code=str(value or "")).first()
    if unit is None:
        raise ApplicationError(
            _("%(field)s：未知单位“%(value)s”。") % {"field": field, "value": value}, {"field": field}
        )
    return unit


def _assign(*, user, order: WorkOrder, data: dict) -> dict:
    """Set 主办/协办 from the catalogue or the data; enforce 不得下派 and the office-only override."""
    rule = catalogue_proposal(subject=order.subject, region=order.region)
    lead = _unit(data["unit"], "unit") if data.get("unit") else (rule.lead_unit if rule else None)
    if lead is None:
        raise ApplicationError(_("派单目录中没有该诉求对象的承办单位，请指定主办单位。"), {"field": "unit"})
    coop_raw = data.get("cooperating_units")
    if coop_raw is None:
        coop = list(rule.cooperating_units.all()) if (rule and lead == rule.lead_unit) else []
    else:
        coop = [
            _unit(u, "cooperating_units") for u in (coop_raw if isinstance(coop_raw, list | tuple) else [coop_raw]) if u
        ]
    override = rule is None or lead.pk != rule.lead_unit_id
    if override and rule is not None and not policies.can_override_dispatch(user):
        raise ApplicationError(
            _("派单目录规定主办单位为%(unit)s；改派其他单位须由领导小组办公室决定。") % {"unit": rule.lead_unit},
            {"field": "unit", "catalogue": rule.lead_unit.code},
        )
    if rule is not None and rule.department_matter and lead.is_local_government:
        raise ApplicationError(
            _("该事项属省直部门事权（%(unit)s），不得下派至市县。") % {"unit": rule.lead_unit},
            {"field": "unit", "catalogue": rule.lead_unit.code},
        )
    order.lead_unit = lead
    OrderUnit.objects.filter(order=order).delete()
    OrderUnit.objects.create(order=order, unit=lead, role=UnitRole.LEAD)
    for unit in dict.fromkeys(u for u in coop if u.pk != lead.pk):
        OrderUnit.objects.create(order=order, unit=unit, role=UnitRole.COOPERATING)
    return {"lead": lead.code, "cooperating": [u.code for u in coop], "override": bool(override and rule)}


@as_actor
def order_transition(
    *, user, order: WorkOrder, action: str, version, data: dict | None = None, now: dt.datetime | None = None
) -> WorkOrder:
    """Apply ``action`` (``workflow.TRANSITIONS``) to ``order`` as ``user``; raises ``ApplicationError`` when not allowed.

    ``data``: ``unit``/``cooperating_units`` (派单, 改派), ``text`` (直接答复, 办复), ``into`` (并单: order id),
    ``reason``/``basis`` (退单), ``reason``/``days`` (延期), ``comment``, ``satisfaction``/``resolved``/``note`` (回访).
    """
    data = data or {}
    now = now or clock.now()
    today = deadlines.local_date(now)
    order = _locked(order, version)
    transition = workflow.transition_target(action, order.status, actors=policies.actors(user, order))
    _require(transition, data)
    before = order.status
    comment = str(data.get("comment") or "").strip()
    extra: dict = {}
    target = transition.target
    table = deadlines.limits()
    if action == "dispatch":
        extra.update(_assign(user=user, order=order, data=data))
        order.dispatched_at, order.dispatched_on = now, today
        order.sign_deadline = deadlines.sign_deadline(today, table=table)
        order.deadline = deadlines.handling_deadline(order.received_at, order.category, table=table)
        order.original_deadline = order.deadline
        extra["deadline"] = order.deadline.isoformat()
    elif action == "direct_answer":
        order.reply_text = str(data["text"]).strip()
        order.direct_answer = True
        order.replied_at = order.closed_at = now
        order.closed_on = today
        comment = order.reply_text
    elif action == "merge":
        into_pk = str(data["into"]).strip()
        into = WorkOrder.objects.filter(pk=int(into_pk)).exclude(pk=order.pk).first() if into_pk.isdigit() else None
        if into is None or into.status == Status.MERGED:
            raise ApplicationError(_("into：并入的工单不存在或已并单。"), {"field": "into"})
        order.merged_into = into
        extra["into"] = into.number
    elif action == "sign":
        order.signed_at, order.signed_on = now, today
        extra["in_time"] = bool(order.sign_deadline and today <= order.sign_deadline)
    elif action == "return":
        last = deadlines.return_deadline(order.dispatched_on or today)
        if today > last:
            raise ApplicationError(
                _("退单须在派单后 2 个工作日内提出（截至 %(d)s）。") % {"d": f"{last:%Y-%m-%d}"},
                {"field": "reason", "until": last.isoformat()},
            )
        order.return_reason = str(data["reason"]).strip()
        order.return_basis = str(data["basis"]).strip()
        order.return_from = before
        comment = f"{order.return_reason}（依据：{order.return_basis}）"
    elif action == "reassign":
        previous = order.lead_unit
        extra.update(_assign(user=user, order=order, data=data))
        if order.lead_unit_id == getattr(previous, "pk", None):
            raise ApplicationError(_("改派须选择其他单位；退回原单位请用“驳回退单”。"), {"field": "unit"})
        order.return_count += 1
        order.dispatched_at, order.dispatched_on = now, today
        order.sign_deadline = deadlines.sign_deadline(today, table=table)
        order.signed_at = order.signed_on = None
        extra["from"] = getattr(previous, "code", "")
    elif action == "reject_return":
        if order.return_from == Status.DISPATCHED:
            target = Status.DISPATCHED
        order.return_count += 1
    elif action == "request_extension":
        if order.extension_requested:
            raise ApplicationError(_("每件工单只能申请一次延期。"), {"field": "days"})
        try:
            days = int(data["days"])
        except (TypeError, ValueError):
            raise ApplicationError(_("days：延期工作日须为整数。"), {"field": "days"}) from None
        if not 1 <= days <= deadlines.MAX_EXTENSION_WORKDAYS:
            raise ApplicationError(
                _("days：延期最长 %(n)s 个工作日。") % {"n": deadlines.MAX_EXTENSION_WORKDAYS}, {"field": "days"}
            )
        if order.deadline and today > order.deadline:
            raise ApplicationError(
                _("延期须在办理期限届满前申请。"), {"field": "days", "deadline": str(order.deadline)}
            )
        order.extension_requested = True
        order.extension_days = days
        order.extension_reason = str(data["reason"]).strip()
        comment = order.extension_reason
        extra["days"] = days
    elif action == "approve_extension":
        order.deadline = deadlines_add(order.deadline, order.extension_days or 0)
        order.extension_approved = True
        order.stage += 1
        extra["deadline"] = order.deadline.isoformat()
    elif action == "reply":
        order.reply_text = str(data["text"]).strip()
        order.replied_at = now
        comment = order.reply_text
    elif action in ("review_redo", "visit_redo"):
        order.redo_count += 1
        order.stage += 1
        order.deadline = deadlines_add(today, table[order.category])
        extra["deadline"] = order.deadline.isoformat()
        if action == "visit_redo":
            _record_visit(order, data, now)
    elif action == "visit":
        _record_visit(order, data, now)
        order.closed_at, order.closed_on = now, today
        if order.dispatched_at:
            order.handling_hours = deadlines.working_hours(order.dispatched_at, now)
        extra["in_time"] = bool(order.deadline and today <= order.deadline)
    order.status = target
    order.version += 1
    order.save()
    _event(order, action, before, user=user, comment=comment, data=extra, at=now)
    if action in ("dispatch", "reassign", "review_redo", "visit_redo", "approve_extension", "reject_extension"):
        _notify_units(
            order=order, title=f"{order.number} {transition.label}", body=_event_body(order, transition, comment)
        )
    return order


def deadlines_add(day: dt.date, n: int) -> dt.date:
    from qualityplan.standards.workdays import add_workdays

    return add_workdays(day, n)


def _record_visit(order: WorkOrder, data: dict, now: dt.datetime) -> None:
    level = str(data.get("satisfaction") or "").strip()
    if level and level not in Satisfaction.values:
        raise ApplicationError(_("satisfaction：未知的满意度“%(v)s”。") % {"v": level}, {"field": "satisfaction"})
    resolved = data.get("resolved")
    if isinstance(resolved, str):
        resolved = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}.get(
            resolved.strip().lower(), None if not resolved.strip() else "bad"
        )
    if resolved == "bad":
        raise ApplicationError(_("resolved：是否解决须为是或否。"), {"field": "resolved"})
    if level and resolved is None:
        raise ApplicationError(_("resolved：参评工单须记录是否解决。"), {"field": "resolved"})
    order.satisfaction = level  # empty: the caller did not rate (not 参评)
    order.resolved = resolved if level else None
    order.visit_note = str(data.get("note") or data.get("comment") or "").strip()
    order.visited_at = now


def _event_body(order: WorkOrder, transition, comment: str) -> str:
    lines = [f"工单：{order.number} {order.title}", f"操作：{transition.label}"]
    if order.deadline:
        lines.append(f"办理期限：{order.deadline:%Y-%m-%d}")
    if comment:
        lines.append(f"说明：{comment}")
    return "\n".join(lines)


def _notify_units(*, order: WorkOrder, title: str, body: str) -> None:
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import messages_for_units, notifications_deliver

    unit_ids = list(order.assignments.values_list("unit_id", flat=True))
    if unit_ids:
        notifications_deliver(
            messages=messages_for_units(
                unit_ids=unit_ids,
                title=title,
                body=body,
                url=f"/hotline/orders/{order.pk}/",
                kind=NotificationKind.INFO,
            )
        )
