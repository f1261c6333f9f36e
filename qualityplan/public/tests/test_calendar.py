"""Publicity calendar: the yearly days, activities as evidence of 三.(六), the iCalendar feed, reminders."""

import datetime as dt

import pytest
from django.core.management import call_command

from qualityplan.notifications.models import Notification
from qualityplan.public import calendar, services
from qualityplan.public.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(plan_2017, office, units):
    measure = plan_2017.measures.get(number="三.(六)")
    return services.activity_save(
        user=office,
        data={
            "title": "质量月, 知识竞赛; 第一场",
            "theme": "quality_month",
            "starts_on": dt.date(2017, 9, 12),
            "ends_on": dt.date(2017, 9, 13),
            "organiser": units["460100"],
            "place": "海口市会展中心",
            "measure": measure,
            "description": "面向公众",
        },  # fmt: skip
    )


def test_yearly_days_2017(db):
    days = {e.key: (e.starts_on, e.ends_on) for e in calendar.events(year=2017)}
    assert days["consumer_day-2017"] == (dt.date(2017, 3, 15), dt.date(2017, 3, 15))
    assert days["metrology_day-2017"] == (dt.date(2017, 5, 20), dt.date(2017, 5, 20))
    assert days["accreditation_day-2017"] == (dt.date(2017, 6, 9), dt.date(2017, 6, 9))
    assert days["quality_month-2017"] == (dt.date(2017, 9, 1), dt.date(2017, 9, 30))
    assert days["standards_day-2017"] == (dt.date(2017, 10, 14), dt.date(2017, 10, 14))
    assert days["food_safety_week-2017"] == (dt.date(2017, 6, 1), dt.date(2017, 6, 30))  # dates announced yearly


def test_food_safety_week_dates_from_an_activity(plan_2017, office, units):
    services.activity_save(
        user=office,
        data={
            "title": "食品安全宣传周启动仪式",
            "theme": "food_safety_week",
            "starts_on": dt.date(2017, 7, 24),
            "ends_on": dt.date(2017, 7, 30),
            "organiser": units["QTS"],
            "place": "海口",
        },  # fmt: skip
    )
    days = {e.key: (e.starts_on, e.ends_on) for e in calendar.events(year=2017)}
    assert days["food_safety_week-2017"] == (dt.date(2017, 7, 24), dt.date(2017, 7, 30))


def test_calendar_page_shows_activity_as_evidence_of_the_measure(activity, anon):
    body = anon.get("/public/calendar/?year=2017").content.decode()
    assert "质量月, 知识竞赛; 第一场" in body and "海口市会展中心" in body and "海口市" in body
    assert "措施 三.(六) 开展质量宣传，塑造良好的质量氛围" in body
    assert anon.get("/public/calendar/?year=abc").status_code == 404


def test_activity_rules(activity, users, office):
    from qualityplan.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.activity_save(user=users["dept"], data={"title": "x"}, activity=activity)
    with pytest.raises(ApplicationError) as exc:
        services.activity_save(user=office, data={"ends_on": dt.date(2017, 9, 1)}, activity=activity)
    assert exc.value.extra == {"field": "ends_on"}


def test_ics_feed(activity, anon, settings):
    settings.QUALITYPLAN_TODAY = "2017-08-01"
    r = anon.get("/public/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"] == "text/calendar; charset=utf-8"
    raw = r.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)  # RFC 5545 3.1: lines of at most 75 octets
    text = raw.decode().replace("\r\n ", "")  # unfold
    # all-day event: DTEND is the day after the last day (RFC 5545 3.6.1)
    assert "DTSTART;VALUE=DATE:20170315\r\nDTEND;VALUE=DATE:20170316\r\n" in text
    assert "DTSTART;VALUE=DATE:20170912\r\nDTEND;VALUE=DATE:20170914\r\n" in text
    assert "SUMMARY:质量月\\, 知识竞赛\\; 第一场" in text  # TEXT escaping (3.3.11)
    assert text.count("BEGIN:VEVENT") == 2 * 6 + 1  # 2017 and 2018 yearly days + the activity


def test_reminders_before_the_event(activity, users, settings):
    # 2017-03-09: 3·15 is 6 days away (within 7); 5·20 is not. Units of 三.(六): the leading group's member units
    # and the cities/counties; the Haikou user and the QTS user are among them.
    settings.QUALITYPLAN_TODAY = "2017-03-09"
    result = calendar.reminders_send()
    assert result["events"] == 1
    inbox = Notification.objects.filter(recipient=users["city"])
    assert [n.title for n in inbox] == ["宣传活动提醒：3·15 国际消费者权益日（2017-03-15）"]
    assert "6 天后开始" in inbox[0].body
    assert calendar.reminders_send() == {"events": 0, "units": 0, "messages": 0}  # once per event and unit


def test_reminder_command_for_an_activity(activity, users, capsys):
    # the activity starts 2017-09-12; 2017-09-05 is 7 days before: only its organiser (Haikou) is reminded for it
    call_command("public_reminders", "--today", "2017-09-05")
    titles = list(Notification.objects.filter(recipient=users["city"]).values_list("title", flat=True))
    assert "宣传活动提醒：质量月, 知识竞赛; 第一场（2017-09-12）" in titles
    assert not Notification.objects.filter(recipient=users["dept2"], title__contains="知识竞赛").exists()
    assert "publicity reminders" in capsys.readouterr().out


def test_activity_is_audited_and_versioned(activity, office):
    from qualityplan.core.models import ChangeLog

    assert ChangeLog.objects.filter(object_repr__contains="知识竞赛", user=office).exists()
    services.activity_save(user=office, data={"place": "海口市会展中心二楼"}, activity=activity)
    assert Activity.objects.get(pk=activity.pk).version == 2


def test_activity_shows_as_evidence_on_the_measure_page(activity, users, client_for):
    measure = activity.measure
    body = client_for(users["viewer"]).get(f"/plans/measures/{measure.pk}/").content.decode()
    assert 'id="measure-evidence"' in body
    assert "质量月, 知识竞赛; 第一场" in body and "海口市会展中心" in body
    assert f"/public/calendar/?year=2017#activity-{activity.pk}" in body
    other = measure.plan.measures.exclude(pk=measure.pk).first()
    assert (
        'id="measure-evidence"' not in client_for(users["viewer"]).get(f"/plans/measures/{other.pk}/").content.decode()
    )
