"""The publicity calendar: the yearly quality days and the office's activities; the iCalendar feed; reminders.

The yearly days are fixed dates (3·15, 5·20, 6·9, 10·14) or periods (质量月 = September). 食品安全宣传周 moves every
year (the national food-safety committee announces it); an activity with theme ``food_safety_week`` fixes its dates,
else the calendar shows June with "具体日期以当年通知为准".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qualityplan.core import clock
from qualityplan.public.models import Activity, ReminderSent

PUBLICITY_MEASURE = "三.(六)"  # 开展质量宣传，塑造良好的质量氛围


@dataclass(frozen=True)
class YearlyDay:
    code: str
    title: str
    month: int
    day: int | None  # None: the whole month (a period)
    note: str = ""


YEARLY = (
    YearlyDay("consumer_day", _("3·15 国际消费者权益日"), 3, 15),
    YearlyDay("metrology_day", _("5·20 世界计量日"), 5, 20),
    YearlyDay("accreditation_day", _("6·9 世界认可日（认证认可日）"), 6, 9),
    YearlyDay("food_safety_week", _("食品安全宣传周"), 6, None, _("具体日期以当年通知为准")),
    YearlyDay("quality_month", _("9 月 质量月"), 9, None),
    YearlyDay("standards_day", _("10·14 世界标准日"), 10, 14),
)
THEMES = [(d.code, d.title) for d in YEARLY]


@dataclass
class Event:
    key: str
    title: str
    starts_on: dt.date
    ends_on: dt.date
    kind: str  # "yearly" | "activity"
    note: str = ""
    organiser: str = ""
    place: str = ""
    measure: str = ""
    measure_title: str = ""
    description: str = ""
    activity_id: int | None = None
    organiser_id: int | None = None
    measure_id: int | None = None


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def year_range() -> tuple[int, int]:
    """Years the calendar shows: from the earliest published plan or activity to next year."""
    from django.db.models import Min

    from qualityplan.plans.selectors import plan_visible

    this = clock.today().year
    first_plan = plan_visible(user=None).aggregate(y=Min("year"))["y"]
    first_act = public_activities().aggregate(d=Min("starts_on"))["d"]
    candidates = [this, *(y for y in (first_plan, first_act.year if first_act else None) if y)]
    return min(candidates), this + 1


def public_activities(*, year: int | None = None):
    qs = Activity.objects.restrict(None, "view").select_related("organiser", "measure")
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.order_by("starts_on", "id")


def events(*, year: int) -> list[Event]:
    """The year's calendar (public activities only), by start date."""
    acts = list(public_activities(year=year))
    out: list[Event] = []
    for d in YEARLY:
        fixed = next((a for a in acts if a.theme == d.code and d.day is None), None)
        if fixed is not None:
            start, end, note = fixed.starts_on, fixed.last_day, ""
        elif d.day is None:
            start, end, note = dt.date(year, d.month, 1), _month_end(year, d.month), str(d.note)
        else:
            start = end = dt.date(year, d.month, d.day)
            note = ""
        out.append(
            Event(key=f"{d.code}-{year}", title=str(d.title), starts_on=start, ends_on=end, kind="yearly", note=note)
        )
    for a in acts:
        out.append(
            Event(
                key=f"activity-{a.pk}",
                title=a.title,
                starts_on=a.starts_on,
                ends_on=a.last_day,
                kind="activity",
                organiser=a.organiser.name,
                place=a.place,
                measure=a.measure.number if a.measure_id else "",
                measure_title=a.measure.title if a.measure_id else "",
                description=a.description,
                activity_id=a.pk,
                organiser_id=a.organiser_id,
                measure_id=a.measure_id,
            )
        )
    out.sort(key=lambda e: (e.starts_on, e.kind != "yearly", e.key))
    return out


# iCalendar (RFC 5545) --------------------------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "")
    )


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets; continuation lines start with a space (never splitting a UTF-8 character)."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = 75 if not out else 74
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def ics(*, years: list[int], host: str) -> str:
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//qualityplan//publicity calendar//ZH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:" + _ics_text(str(_("质量宣传日历"))),
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    organiser_label, measure_label = _("主办"), _("服务措施")  # outside the f-strings, where makemessages sees them
    for year in years:
        for e in events(year=year):
            description = "；".join(
                x
                for x in (
                    e.note,
                    e.description,
                    f"{organiser_label}：{e.organiser}" if e.organiser else "",
                    f"{measure_label}：{e.measure} {e.measure_title}" if e.measure else "",
                )
                if x
            )
            lines += [
                "BEGIN:VEVENT",
                f"UID:{e.key}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{e.starts_on:%Y%m%d}",
                f"DTEND;VALUE=DATE:{e.ends_on + dt.timedelta(days=1):%Y%m%d}",
                "SUMMARY:" + _ics_text(e.title),
            ]
            if e.place:
                lines.append("LOCATION:" + _ics_text(e.place))
            if description:
                lines.append("DESCRIPTION:" + _ics_text(description))
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return "\r\n".join(folded) + "\r\n"


# Reminders -------------------------------------------------------------------------------------------------------


def reminder_days() -> int:
    return int(getattr(settings, "PUBLIC_REMINDER_DAYS", 7))


def _publicity_units(year: int) -> list[int]:
    """Units responsible for the publicity measure 三.(六) of the year's published plan (lead and cooperating)."""
    from qualityplan.plans.models import MeasureUnit
    from qualityplan.plans.selectors import plan_current

    plan = plan_current(user=None, year=year)
    if plan is None or plan.year != year:
        return []
    rows = MeasureUnit.objects.filter(measure__plan=plan, measure__number=PUBLICITY_MEASURE)
    ids = {u for u in rows.values_list("unit_id", flat=True) if u}
    ids |= {u for u in rows.values_list("group__members__id", flat=True) if u}
    return sorted(ids)


def reminders_due(*, today: dt.date | None = None) -> list[tuple[Event, list[int]]]:
    """Events starting within the next ``PUBLIC_REMINDER_DAYS`` days (today included) and the units to remind."""
    today = today or clock.today()
    horizon = today + dt.timedelta(days=reminder_days())
    out = []
    for year in sorted({today.year, horizon.year}):
        for e in events(year=year):
            if not today <= e.starts_on <= horizon:
                continue
            units = [e.organiser_id] if e.kind == "activity" else _publicity_units(year)
            out.append((e, [u for u in units if u]))
    return out


def reminders_send(*, today: dt.date | None = None) -> dict:
    """Remind each responsible unit once per event (inbox + e-mail through the notifications app)."""
    from django.db import IntegrityError, transaction

    from qualityplan.notifications.services import messages_for_units, notifications_deliver

    today = today or clock.today()
    events_n = units_n = messages_n = 0
    for event, unit_ids in reminders_due(today=today):
        done = set(ReminderSent.objects.filter(event_key=event.key).values_list("unit_id", flat=True))
        todo = [u for u in unit_ids if u not in done]
        if not todo:
            continue
        events_n += 1
        days = (event.starts_on - today).days
        title = str(_("宣传活动提醒：%(title)s（%(date)s）")) % {
            "title": event.title,
            "date": event.starts_on.isoformat(),
        }
        body = str(
            _(
                "%(days)s 天后开始：%(title)s，%(start)s 至 %(end)s。请做好宣传活动准备，活动可作为措施 %(measure)s 的佐证。"
            )
        ) % {
            "days": days,
            "title": event.title,
            "start": event.starts_on.isoformat(),
            "end": event.ends_on.isoformat(),
            "measure": PUBLICITY_MEASURE,
        }
        for unit_id in todo:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(event_key=event.key, unit_id=unit_id, sent_on=today)
                    msgs = messages_for_units(
                        unit_ids=[unit_id], title=title, body=body, url="/public/calendar/", kind="info"
                    )
                    messages_n += notifications_deliver(messages=msgs)
            except IntegrityError:  # a concurrent run reminded this unit already
                continue
            units_n += 1
    return {"events": events_n, "units": units_n, "messages": messages_n}


def activities_as_evidence(measure, user) -> list[dict]:
    """Publicity activities serving ``measure``, as evidence on the measure's page (plans.evidence provider)."""
    from django.urls import reverse

    rows = Activity.objects.restrict(user, "view").filter(measure=measure).select_related("organiser")
    return [
        {
            "date": a.starts_on,
            "title": a.title,
            "detail": f"{a.organiser.name} · {a.place}",
            "url": f"{reverse('public-calendar')}?year={a.starts_on.year}#activity-{a.pk}",
            "source": str(_("宣传活动")),
        }
        for a in rows.order_by("starts_on", "id")
    ]
