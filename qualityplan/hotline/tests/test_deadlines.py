"""Handling deadlines across National Day 2017 and Spring Festival 2018, worked by hand from the State Council
notices (国办发明电〔2016〕14号, 〔2017〕12号):

* 2017 国庆节、中秋节: 10月1日至8日放假调休，共8天；9月30日（星期六）上班.
* 2018 春节: 2月15日至21日放假调休，共7天；2月11日（星期日）、2月24日（星期六）上班.

The count starts on the next working day after receipt; the deadline is the N-th working day.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from qualityplan.hotline.deadlines import handling_deadline, light, sign_deadline, workdays_left, working_hours

D = dt.date


def at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


# (received, {category: deadline}) — each list of working days counted on the calendar by hand
CASES = [
    # Fri 29 Sep 2017 (working day): Sat 30 Sep (make-up) = 1, 9 Oct = 2, 19 Oct = 10, 26 Oct = 15
    (
        at(2017, 9, 29),
        {"consult": D(2017, 10, 9), "help": D(2017, 10, 19), "suggestion": D(2017, 10, 19),
         "complaint": D(2017, 10, 26), "report": D(2017, 10, 26)},
    ),
    # Sat 30 Sep 2017 is a make-up working day: the count starts on 9 Oct (= 1)
    (
        at(2017, 9, 30),
        {"consult": D(2017, 10, 10), "help": D(2017, 10, 20), "suggestion": D(2017, 10, 20),
         "complaint": D(2017, 10, 27), "report": D(2017, 10, 27)},
    ),
    # Tue 3 Oct 2017, a holiday: 9 Oct = 1, 10 Oct = 2, 20 Oct = 10, 27 Oct = 15
    (
        at(2017, 10, 3),
        {"consult": D(2017, 10, 10), "help": D(2017, 10, 20), "suggestion": D(2017, 10, 20),
         "complaint": D(2017, 10, 27), "report": D(2017, 10, 27)},
    ),
    # Wed 14 Feb 2018 (eve of 除夕, working day): 22 Feb = 1, 23 Feb = 2, Sat 24 Feb (make-up) = 3, 6 Mar = 10,
    # 13 Mar = 15
    (
        at(2018, 2, 14),
        {"consult": D(2018, 2, 23), "help": D(2018, 3, 6), "suggestion": D(2018, 3, 6),
         "complaint": D(2018, 3, 13), "report": D(2018, 3, 13)},
    ),
    # Sun 11 Feb 2018, a make-up working day: 12 Feb = 1, 13 Feb = 2, 14 Feb = 3, 22 Feb = 4, 24 Feb = 6,
    # 1 Mar = 10, 8 Mar = 15
    (
        at(2018, 2, 11),
        {"consult": D(2018, 2, 13), "help": D(2018, 3, 1), "suggestion": D(2018, 3, 1),
         "complaint": D(2018, 3, 8), "report": D(2018, 3, 8)},
    ),
    # Fri 16 Feb 2018 (正月初一, holiday): same count as from 14 Feb
    (
        at(2018, 2, 16),
        {"consult": D(2018, 2, 23), "help": D(2018, 3, 6), "suggestion": D(2018, 3, 6),
         "complaint": D(2018, 3, 13), "report": D(2018, 3, 13)},
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("received", "expected"), CASES, ids=[c[0].date().isoformat() for c in CASES])
def test_deadline_every_category(received, expected):
    for category, deadline in expected.items():
        assert handling_deadline(received, category) == deadline, category


@pytest.mark.django_db
def test_late_evening_receipt_counts_by_the_local_date():
    # 23:30 in Haikou is 15:30 UTC the same day; 00:30 on 30 Sep is still the make-up working day
    assert handling_deadline(at(2017, 9, 29, 23, 30), "consult") == D(2017, 10, 9)
    assert handling_deadline(at(2017, 9, 30, 0, 30), "consult") == D(2017, 10, 10)


@pytest.mark.django_db
def test_extension_adds_working_days_to_the_deadline():
    # complaint of 29 Sep 2017 due 26 Oct; +10 working days: 27, 30, 31 Oct, 1, 2, 3, 6, 7, 8, 9 Nov
    assert handling_deadline(at(2017, 9, 29), "complaint", extension_days=10) == D(2017, 11, 9)
    # Spring Festival: complaint of 14 Feb 2018 due 13 Mar; +5: 14, 15, 16, 19, 20 Mar
    assert handling_deadline(at(2018, 2, 14), "complaint", extension_days=5) == D(2018, 3, 20)


@pytest.mark.django_db
def test_sign_deadline_is_one_working_day():
    assert sign_deadline(D(2017, 9, 29)) == D(2017, 9, 30)  # the make-up Saturday
    assert sign_deadline(D(2017, 9, 30)) == D(2017, 10, 9)
    assert sign_deadline(D(2018, 2, 14)) == D(2018, 2, 22)


@pytest.mark.django_db
def test_limits_are_data():
    from qualityplan.hotline.models import TimeLimit

    TimeLimit.objects.update_or_create(kind="consult", defaults={"workdays": 3})
    assert handling_deadline(at(2017, 9, 29), "consult") == D(2017, 10, 10)


def test_countdown_and_lights():
    deadline = D(2017, 10, 26)  # Thursday
    assert workdays_left(D(2017, 10, 24), deadline) == 2 and light(D(2017, 10, 24), deadline) == ""
    assert workdays_left(D(2017, 10, 25), deadline) == 1 and light(D(2017, 10, 25), deadline) == "yellow"
    assert workdays_left(deadline, deadline) == 0 and light(deadline, deadline) == "yellow"
    assert light(D(2017, 10, 27), deadline) == "red" and workdays_left(D(2017, 10, 27), deadline) == -1
    # over the National Day holiday, 29 Sep has 2 working days left to 9 Oct (30 Sep, 9 Oct)
    assert workdays_left(D(2017, 9, 29), D(2017, 10, 9)) == 2


@pytest.mark.django_db
def test_working_hours_leave_out_holidays():
    # dispatched Fri 29 Sep 16:00, closed Mon 9 Oct 10:00: 8 h on 29 Sep + 24 h on Sat 30 Sep (make-up) + 10 h
    assert working_hours(at(2017, 9, 29, 16), at(2017, 10, 9, 10)) == 42
    # within one working day
    assert working_hours(at(2017, 10, 9, 9), at(2017, 10, 9, 17, 30)) == pytest.approx(8.5)


@pytest.mark.django_db
def test_cli_prints_the_deadline(capsys):
    call_command("hotline", "deadline", "--received", "2018-02-11T09:00", "--category", "投诉")
    assert capsys.readouterr().out.strip() == "2018-03-08"
    call_command(
        "hotline", "deadline", "--received", "2017-10-03T09:00", "--category", "help", "--extension-days", "10"
    )
    # help from 3 Oct due 20 Oct; +10: 23, 24, 25, 26, 27, 30, 31 Oct, 1, 2, 3 Nov
    assert capsys.readouterr().out.strip() == "2017-11-03"
