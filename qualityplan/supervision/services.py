"""Writes for 督查督办: open (立项) an item, move it through ``workflow.TRANSITIONS``, rectification items."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qualityplan.core import clock
from qualityplan.core.evidence import evidence_validate
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import original_name
from qualityplan.orgs.models import Unit
from qualityplan.standards.workdays import add_workdays
from qualityplan.supervision import workflow
from qualityplan.supervision.choices import AssignmentRole, ItemSource, ReportKind
from qualityplan.supervision.choices import RectificationStatus as R
from qualityplan.supervision.models import ItemEvent, ItemUnit, RectificationItem, Report, SupervisionItem


def item_number(year: int, seq: int) -> str:
    return f"琼质督〔{year}〕{seq}号"


def _require_office(user) -> None:
    if not getattr(user, "is_office", False):
        raise ApplicationError(_("只有领导小组办公室可以执行此操作。"), {"user": getattr(user, "username", None)})


def item_actors(*, user, item: SupervisionItem) -> set[str]:
    actors = set()
    if user.is_authenticated and user.is_office:
        actors.add(workflow.OFFICE)
    if user.is_authenticated and user.is_reporter and user.unit_id == item.lead_unit_id:
        actors.add(workflow.LEAD)
    return actors


def rectification_actors(*, user, rectification: RectificationItem) -> set[str]:
    actors = set()
    if user.is_authenticated and user.is_office:
        actors.add(workflow.OFFICE)
    if user.is_authenticated and user.is_reporter and user.unit_id == rectification.unit_id:
        actors.add(workflow.RESPONSIBLE)
    return actors


@transaction.atomic
def item_create(
    *,
    user,
    title: str,
    source: str,
    requirement: str,
    lead_unit: Unit,
    cooperating_units: list[Unit] | None = None,
    deadline_workdays: int = 15,
    source_ref: str = "",
    task=None,
    year: int | None = None,
) -> SupervisionItem:
    """立项: register a numbered 督办单 (琼质督〔year〕N号) with its 主办 and 协办 units."""
    _require_office(user)
    if source not in ItemSource.values:
        raise ApplicationError(_("未知来源：%(source)s") % {"source": source}, {"field": "source"})
    if deadline_workdays < 1:
        raise ApplicationError(_("办理时限至少 1 个工作日。"), {"field": "deadline_workdays"})
    cooperating_units = [u for u in (cooperating_units or []) if u.id != lead_unit.id]
    year = year or clock.today().year
    seq = (SupervisionItem.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
    item = SupervisionItem(
        year=year,
        seq=seq,
        number=item_number(year, seq),
        title=title,
        source=source,
        source_ref=source_ref,
        task=task,
        requirement=requirement,
        lead_unit=lead_unit,
        deadline_workdays=deadline_workdays,
        created_by=user,
    )
    item.full_clean()
    item.save()
    ItemUnit.objects.create(item=item, unit=lead_unit, role=AssignmentRole.LEAD)
    for unit in dict.fromkeys(cooperating_units):
        ItemUnit.objects.create(item=item, unit=unit, role=AssignmentRole.COOPERATING)
    ItemEvent.objects.create(item=item, action="register", from_status="", to_status=item.status, user=user)
    return item


def item_create_from_task(*, user, task, deadline_workdays: int = 10, year: int | None = None) -> SupervisionItem:
    """Open a 督办单 for an overdue ledger task (source: 任务逾期); its cooperating units become 协办.

    ``year`` numbers the item (琼质督〔year〕N号); default: the year it is opened."""
    coop = [p.unit for p in task.parts.select_related("unit")]
    return item_create(
        user=user,
        title=f"督办逾期任务：{task.title}"[:300],
        source=ItemSource.OVERDUE_TASK,
        source_ref=f"{task.measure.number} 任务 #{task.pk}，原定时限 {task.deadline:%Y-%m-%d}",
        requirement=f"请于规定时限内完成“{task.title}”并书面报告办理情况。",
        lead_unit=task.unit,
        cooperating_units=coop,
        deadline_workdays=deadline_workdays,
        task=task,
        year=year,
    )


def _require(transition: workflow.Transition, data: dict) -> None:
    for key in transition.requires:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ApplicationError(
                _("“%(action)s”需要填写 %(field)s。") % {"action": transition.label, "field": key},
                {"field": key},
            )


@transaction.atomic
def item_transition(
    *, user, item: SupervisionItem, action: str, data: dict | None = None, today: dt.date | None = None
) -> SupervisionItem:
    """Apply ``action`` to ``item`` (see ``workflow.TRANSITIONS``); raises ``ApplicationError`` when not allowed.

    ``data`` keys: ``comment``; ``reason``/``until`` (延期申请); ``text``/``file`` (报告); ``workdays``
    (退回重办: new handling time in working days, default the item's own).
    """
    data = data or {}
    today = today or clock.today()
    item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
    transition = workflow.transition_target(
        workflow.ITEM, action, item.status, actors=item_actors(user=user, item=item)
    )
    _require(transition, data)
    before = item.status
    comment = data.get("comment", "") or ""
    extra: dict = {}
    if action == "assign":
        item.assigned_on = today
        item.deadline = add_workdays(today, item.deadline_workdays)
        item.original_deadline = item.deadline
        extra["deadline"] = item.deadline.isoformat()
    elif action == "request_extension":
        until = data["until"]
        if isinstance(until, str):
            until = dt.date.fromisoformat(until)
        if item.deadline and today > item.deadline:
            raise ApplicationError(
                _("延期须在办理期限届满前申请。"), {"field": "until", "deadline": str(item.deadline)}
            )
        if item.deadline and until <= item.deadline:
            raise ApplicationError(_("申请延期的日期须晚于现办理期限。"), {"field": "until"})
        item.extension_until = until
        item.extension_reason = data["reason"]
        comment = data["reason"]
        extra["until"] = until.isoformat()
    elif action == "approve_extension":
        item.deadline = item.extension_until
        item.stage += 1
        extra["deadline"] = item.deadline.isoformat()
    elif action == "reject_extension":
        item.extension_until = None
    elif action == "submit_report":
        upload = data.get("file") or None
        if upload is not None:
            evidence_validate(upload, field="file", label=_("附件"))
        Report.objects.create(
            item=item,
            kind=ReportKind.FINAL,
            unit=item.lead_unit,
            text=data["text"],
            file=upload or "",
            file_name=original_name(upload) if upload is not None else "",
            submitted_by=user,
        )
    elif action == "return":
        workdays = int(data.get("workdays") or item.deadline_workdays)
        item.deadline = add_workdays(today, workdays)
        item.stage += 1
        _review_last_report(item, "returned", comment)
        extra["deadline"] = item.deadline.isoformat()
    elif action == "close":
        open_rect = item.rectifications.exclude(status=R.CLOSED).count()
        if open_rect:
            raise ApplicationError(
                _("尚有 %(n)s 项整改未销号，不能销号。") % {"n": open_rect}, {"open_rectifications": open_rect}
            )
        item.closed_on = today
        _review_last_report(item, "accepted", comment)
    item.status = transition.target
    item.save()
    ItemEvent.objects.create(
        item=item, action=action, from_status=before, to_status=item.status, user=user, comment=comment, data=extra
    )
    if action in ("assign", "return", "approve_extension", "reject_extension", "close"):
        _notify_units(item=item, title=f"{item.number} {transition.label}", body=_event_body(item, transition, comment))
    elif action in ("submit_report", "request_extension"):  # hand-over to the office
        from qualityplan.notifications.choices import NotificationKind
        from qualityplan.notifications.services import notify_office

        notify_office(
            title=_("%(number)s %(action)s，请审核") % {"number": item.number, "action": transition.label},
            body=_event_body(item, transition, comment),
            url=f"/supervision/items/{item.pk}/",
            kind=NotificationKind.SUPERVISION,
            unit_id=item.lead_unit_id,
        )
    return item


def _review_last_report(item: SupervisionItem, result: str, comment: str) -> None:
    report = item.reports.filter(kind=ReportKind.FINAL).order_by("-id").first()
    if report is not None:
        report.review_result = result
        report.review_comment = comment
        report.save(update_fields=["review_result", "review_comment", "updated_at"])


def _event_body(item, transition, comment: str) -> str:
    lines = [f"督办事项：{item.title}", f"操作：{transition.label}"]
    if item.deadline:
        lines.append(f"办理期限：{item.deadline:%Y-%m-%d}")
    if comment:
        lines.append(f"说明：{comment}")
    return "\n".join(lines)


def _notify_units(*, item: SupervisionItem, title: str, body: str) -> None:
    from qualityplan.notifications.choices import NotificationKind
    from qualityplan.notifications.services import messages_for_units, notifications_deliver

    unit_ids = list(item.assignments.values_list("unit_id", flat=True))
    notifications_deliver(
        messages=messages_for_units(
            unit_ids=unit_ids,
            title=title,
            body=body,
            url=f"/supervision/items/{item.pk}/",
            kind=NotificationKind.SUPERVISION,
        )
    )


def rectification_add(*, user, item: SupervisionItem, title: str, unit: Unit | None = None) -> RectificationItem:
    _require_office(user)
    if item.status == workflow.S.CLOSED:
        raise ApplicationError(_("已销号的事项不能再增加整改事项。"), {"status": item.status})
    unit = unit or item.lead_unit
    if not item.assignments.filter(unit=unit).exists():
        raise ApplicationError(_("整改责任单位须为该事项的主办或协办单位。"), {"field": "unit"})
    rect = RectificationItem.objects.create(item=item, title=title, unit=unit, order=item.rectifications.count())
    ItemEvent.objects.create(
        item=item, rectification=rect, action="rectification_add", from_status="", to_status=rect.status, user=user
    )
    return rect


@transaction.atomic
def rectification_transition(
    *, user, rectification: RectificationItem, action: str, data: dict | None = None, today: dt.date | None = None
) -> RectificationItem:
    data = data or {}
    today = today or clock.today()
    rect = RectificationItem.objects.select_for_update().get(pk=rectification.pk)
    transition = workflow.transition_target(
        workflow.RECTIFICATION, action, rect.status, actors=rectification_actors(user=user, rectification=rect)
    )
    _require(transition, data)
    before = rect.status
    comment = data.get("comment", "") or ""
    if action in ("submit_plan", "submit_report"):
        kind = ReportKind.RECT_PLAN if action == "submit_plan" else ReportKind.RECT_REPORT
        if action == "submit_plan":
            rect.plan_text = data["text"]
        else:
            rect.report_text = data["text"]
        Report.objects.create(
            item_id=rect.item_id, rectification=rect, kind=kind, unit=rect.unit, text=data["text"], submitted_by=user
        )
    elif action == "verify_pass":
        rect.closed_on = today
        rect.verify_comment = comment
    elif action == "verify_fail":
        rect.verify_comment = comment
    rect.status = transition.target
    rect.save()
    ItemEvent.objects.create(
        item_id=rect.item_id,
        rectification=rect,
        action=f"rectification_{action}",
        from_status=before,
        to_status=rect.status,
        user=user,
        comment=comment,
    )
    return rect
