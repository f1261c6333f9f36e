"""The workbench (工作台): what waits for the signed-in user, per role, sorted by urgency.

Every entry counts rows through the owning app's scoped querysets (``restrict(user)``), so a user never sees a
count of something they could not open. Each entry links to the list that shows exactly those rows, and up to
``ROWS`` of them are listed with their own links and deadlines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qualityplan.assessment.choices import RoundStatus, UnitStatus
from qualityplan.assessment.models import UnitAssessment
from qualityplan.core import clock
from qualityplan.core.policies import is_office, is_reporter, is_signed_in
from qualityplan.indicators.choices import SubmissionStatus
from qualityplan.indicators.models import Submission
from qualityplan.ledger import selectors as ledger_selectors
from qualityplan.ledger.choices import SummaryStatus, TaskStatus
from qualityplan.ledger.models import Summary, TaskPart
from qualityplan.notifications.selectors import notification_inbox
from qualityplan.standards.workdays import workdays_between
from qualityplan.supervision import selectors as supervision_selectors
from qualityplan.supervision.choices import ItemStatus

ROWS = 5
SOON_DAYS = 10  # calendar days ahead counted as "due soon" for tasks, reports and summaries
SOON_WORKDAYS = 3  # supervision deadlines are counted in working days

# urgency: lower is more urgent
OVERDUE, DUE_SOON, ACTION, INFO = 0, 1, 2, 3
URGENCY_BADGE = {OVERDUE: "red", DUE_SOON: "amber", ACTION: "blue", INFO: "grey"}


@dataclass
class Row:
    label: str
    url: str
    due: dt.date | None = None
    note: str = ""


@dataclass
class Entry:
    key: str
    title: str
    count: int
    url: str
    urgency: int
    rows: list[Row] = field(default_factory=list)

    @property
    def badge(self) -> str:
        return URGENCY_BADGE[self.urgency]

    @property
    def urgency_label(self) -> str:
        return {OVERDUE: _("已逾期"), DUE_SOON: _("即将到期"), ACTION: _("待办理"), INFO: _("提示")}[self.urgency]


def _url(name: str, *args, query: dict | None = None) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in (query or {}).items() if v is not None}
    return f"{url}?{urlencode(query)}" if query else url


def _due_note(due: dt.date | None, today: dt.date, *, workdays: bool = False) -> str:
    if due is None:
        return ""
    if due < today:
        if workdays:
            n = int(workdays_between(due, today))
            return _("已逾期 %(n)s 个工作日") % {"n": n}
        return _("已逾期 %(n)s 天") % {"n": (today - due).days}
    if due == today:
        return _("今天到期")
    if workdays:
        n = int(workdays_between(today, due))
        return _("剩余 %(n)s 个工作日") % {"n": n}
    return _("剩余 %(n)s 天") % {"n": (due - today).days}


def _entry(key, title, qs, url, urgency, row) -> Entry | None:
    count = qs.count()
    if not count:
        return None
    return Entry(key=key, title=title, count=count, url=url, urgency=urgency, rows=[row(o) for o in qs[:ROWS]])


# ------------------------------------------------------------------------------------------ indicators


def _submissions(user, today: dt.date) -> list[Entry | None]:
    qs = Submission.objects.restrict(user).select_related("unit")

    def row(s: Submission) -> Row:
        return Row(f"{s.unit.short_name or s.unit.name} · {s.period}", _url("indicators:report", s.pk), s.due_date,
                   _due_note(s.due_date, today))  # fmt: skip

    out = []
    if is_office(user):
        waiting = qs.filter(status=SubmissionStatus.SUBMITTED).order_by("submitted_at", "id")
        year = waiting.values_list("year", flat=True).first()
        out.append(_entry("submissions_review", _("待审核的指标填报"), waiting,
                          _url("indicators:reports", query={"status": SubmissionStatus.SUBMITTED, "year": year}),
                          ACTION, row))  # fmt: skip
    if is_reporter(user):
        returned = qs.filter(status=SubmissionStatus.RETURNED).order_by("due_date", "id")
        year = returned.values_list("year", flat=True).first()
        out.append(_entry("submissions_returned", _("被退回待重新提交的指标填报"), returned,
                          _url("indicators:reports", query={"status": SubmissionStatus.RETURNED, "year": year}),
                          OVERDUE, row))  # fmt: skip
        drafts = qs.filter(status=SubmissionStatus.DRAFT).order_by("due_date", "id")
        late = drafts.filter(due_date__lt=today)
        year = drafts.values_list("year", flat=True).first()
        draft_url = _url("indicators:reports", query={"status": SubmissionStatus.DRAFT, "year": year})
        out.append(_entry("submissions_late", _("已过报送期限的指标填报"), late, draft_url, OVERDUE, row))
        soon = drafts.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=SOON_DAYS))
        out.append(_entry("submissions_soon", _("即将到期的指标填报"), soon, draft_url, DUE_SOON, row))
    return out


# ------------------------------------------------------------------------------------------ ledger


def _tasks(user, today: dt.date) -> list[Entry | None]:
    tasks = ledger_selectors.task_list(user=user).filter(status__in=TaskStatus.open())
    if is_reporter(user):  # the unit's own tasks (its parts are listed separately)
        tasks = tasks.filter(unit_id=user.unit_id)

    def row(t) -> Row:
        unit = "" if is_reporter(user) else f"{t.unit.short_name or t.unit.name} · "
        return Row(f"{unit}{t.title}", _url("ledger:task", t.pk), t.deadline, _due_note(t.deadline, today))

    overdue = tasks.filter(deadline__lt=today).order_by("deadline", "id")
    soon = tasks.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=SOON_DAYS)).order_by("deadline")
    out = [
        _entry(
            "tasks_overdue", _("逾期未完成的任务"), overdue, _url("ledger:tasks", query={"overdue": 1}), OVERDUE, row
        ),
        _entry("tasks_soon", _("即将到期的任务"), soon, _url("ledger:tasks"), DUE_SOON, row),
    ]
    if is_reporter(user):
        parts = (
            TaskPart.objects.restrict(user)
            .filter(unit_id=user.unit_id, status__in=TaskStatus.open(), task__status__in=TaskStatus.open())
            .select_related("task")
            .order_by("task__deadline", "id")
        )

        def part_row(p) -> Row:
            due = p.deadline or p.task.deadline
            return Row(f"{p.task.title} · {p.description}", _url("ledger:task", p.task_id), due, _due_note(due, today))

        late = parts.filter(Q(deadline__lt=today) | Q(deadline__isnull=True, task__deadline__lt=today))
        out.append(_entry("parts_overdue", _("逾期的配合分工"), late, _url("ledger:parts"), OVERDUE, part_row))
        out.append(_entry("parts_open", _("进行中的配合分工"), parts.exclude(pk__in=late.values("pk")),
                          _url("ledger:parts"), INFO, part_row))  # fmt: skip
    return out


def _summaries(user, today: dt.date) -> list[Entry | None]:
    qs = Summary.objects.restrict(user).select_related("unit")

    def row(s: Summary) -> Row:
        return Row(f"{s.unit.short_name or s.unit.name} · {s.get_kind_display()}", _url("ledger:summary", s.pk),
                   s.due_date, _due_note(s.due_date, today))  # fmt: skip

    out = []
    if is_office(user):
        waiting = qs.filter(status=SummaryStatus.SUBMITTED).order_by("submitted_at", "id")
        out.append(_entry("summaries_review", _("待审阅的工作总结"), waiting, _url("ledger:summaries"), ACTION, row))
    if is_reporter(user):
        returned = qs.filter(unit_id=user.unit_id, status=SummaryStatus.RETURNED).order_by("due_date")
        out.append(
            _entry("summaries_returned", _("被退回的工作总结"), returned, _url("ledger:summaries"), OVERDUE, row)
        )
        expected = qs.filter(unit_id=user.unit_id, status=SummaryStatus.EXPECTED)
        late = expected.filter(due_date__lt=today).order_by("due_date")
        out.append(_entry("summaries_late", _("逾期未报送的工作总结"), late, _url("ledger:summaries"), OVERDUE, row))
        soon = expected.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=SOON_DAYS * 3))
        out.append(_entry("summaries_due", _("即将到期的工作总结"), soon.order_by("due_date"),
                          _url("ledger:summaries"), DUE_SOON, row))  # fmt: skip
    return out


# ------------------------------------------------------------------------------------------ supervision


def _supervision(user, today: dt.date) -> list[Entry | None]:
    items = supervision_selectors.item_list(user=user)

    def row(it) -> Row:
        return Row(f"{it.number} {it.title}", _url("supervision:item", it.pk), it.deadline,
                   _due_note(it.deadline, today, workdays=True))  # fmt: skip

    out = []
    if is_office(user):
        review = items.filter(status__in=[ItemStatus.REPORTED, ItemStatus.UNDER_REVIEW]).order_by("deadline", "id")
        out.append(_entry("supervision_review", _("待审核的督办报告"), review,
                          _url("supervision:items", query={"status": ItemStatus.REPORTED}), ACTION, row))  # fmt: skip
        ext = items.filter(status=ItemStatus.EXTENSION_REQUESTED).order_by("deadline", "id")
        out.append(_entry("supervision_extension", _("待审批的延期申请"), ext,
                          _url("supervision:items", query={"status": ItemStatus.EXTENSION_REQUESTED}), ACTION, row))  # fmt: skip
    handling = [ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.REDO]
    open_items = items.filter(status__in=handling, deadline__isnull=False)
    if is_reporter(user):
        open_items = open_items.filter(assignments__unit_id=user.unit_id).distinct()
    overdue = open_items.filter(deadline__lt=today).order_by("deadline", "id")
    out.append(_entry("supervision_overdue", _("超过办理期限的督办事项"), overdue,
                      _url("supervision:items", query={"status": ItemStatus.IN_PROGRESS}), OVERDUE, row))  # fmt: skip
    upcoming = open_items.filter(deadline__gte=today).order_by("deadline", "id")
    soon_ids = [it.pk for it in upcoming[:200] if int(workdays_between(today, it.deadline)) <= SOON_WORKDAYS]
    out.append(_entry("supervision_soon", _("即将到期的督办事项"), upcoming.filter(pk__in=soon_ids),
                      _url("supervision:items"), DUE_SOON, row))  # fmt: skip
    rest = upcoming.exclude(pk__in=soon_ids)
    out.append(_entry("supervision_open", _("办理中的督办事项"), rest, _url("supervision:items"), INFO, row))
    return out


# ------------------------------------------------------------------------------------------ 12345 hotline


def _hotline(user, today: dt.date) -> list[Entry | None]:
    """Work orders whose handling deadline runs (working days): the unit's own as lead unit; everything for the
    office and the hotline agents."""
    from qualityplan.hotline import selectors as hotline_selectors
    from qualityplan.hotline.choices import Status

    orders = hotline_selectors.order_list(user=user).filter(status__in=Status.clock_running(), deadline__isnull=False)
    if is_reporter(user):
        orders = orders.filter(lead_unit_id=user.unit_id)

    def row(o) -> Row:
        return Row(f"{o.number} {o.title}", _url("hotline:order", o.pk), o.deadline,
                   _due_note(o.deadline, today, workdays=True))  # fmt: skip

    url = _url("hotline:orders", query={"open": 1})
    overdue = orders.filter(deadline__lt=today).order_by("deadline", "id")
    upcoming = orders.filter(deadline__gte=today).order_by("deadline", "id")
    soon_ids = [o.pk for o in upcoming[:200] if int(workdays_between(today, o.deadline)) <= SOON_WORKDAYS]
    return [
        _entry("hotline_overdue", _("超过办理期限的12345工单"), overdue, url, OVERDUE, row),
        _entry("hotline_soon", _("即将到期的12345工单"), upcoming.filter(pk__in=soon_ids), url, DUE_SOON, row),
    ]


# ------------------------------------------------------------------------------------------ assessment


def _assessment(user, today: dt.date) -> list[Entry | None]:
    qs = UnitAssessment.objects.restrict(user).select_related("unit", "round")

    def row(ua) -> Row:
        return Row(f"{ua.round.title} · {ua.unit.short_name or ua.unit.name}",
                   _url("assessment:unit", ua.round_id, ua.unit_id))  # fmt: skip

    out = []
    if is_office(user):
        waiting = qs.filter(status=UnitStatus.SUBMITTED, round__status=RoundStatus.VERIFICATION).order_by("id")
        out.append(_entry("assessment_verify", _("待核查的考核自评"), waiting, _url("assessment:rounds"), ACTION, row))
    if is_reporter(user):
        pending = qs.filter(unit_id=user.unit_id, status=UnitStatus.PENDING, round__status=RoundStatus.SELF_ASSESSMENT)
        out.append(_entry("assessment_self", _("待提交的考核自评"), pending.order_by("id"),
                          _url("assessment:rounds"), ACTION, row))  # fmt: skip
    return out


# ------------------------------------------------------------------------------------------ the workbench


def _inbox(user, today: dt.date) -> list[Entry | None]:
    unread = notification_inbox(user=user, unread_only=True)

    def row(n) -> Row:
        return Row(n.title, _url("notifications:inbox", query={"unread": 1}), None, f"{n.created_at:%Y-%m-%d}")

    return [_entry("inbox", _("未读消息"), unread, _url("notifications:inbox", query={"unread": 1}), INFO, row)]


def workbench(*, user, today: dt.date | None = None) -> list[Entry]:
    """The user's workbench entries, most urgent first (then by count)."""
    if not is_signed_in(user):
        return []
    today = today or clock.today()
    entries: list[Entry | None] = []
    for part in (_submissions, _tasks, _summaries, _supervision, _hotline, _assessment, _inbox):
        entries += part(user, today)
    return sorted((e for e in entries if e is not None), key=lambda e: (e.urgency, -e.count))
