"""The workbench (issue 13): each role's home lists what waits for it, with counts, links and urgency."""

import datetime as dt

import pytest
from django.test import override_settings

from qualityplan.indicators import services as indicator_services
from qualityplan.ledger import services as ledger_services
from qualityplan.plans.models import Measure
from qualityplan.portal.selectors import DUE_SOON, OVERDUE, workbench

pytestmark = pytest.mark.django_db

COMPLETE = {"T25": {"numerator": "80", "denominator": "100"}, "T26": {"numerator": "9", "denominator": "10"}}


@pytest.fixture
def submitted(plan_2017, users):
    indicator_services.indicators_sync(plan=plan_2017)
    sub = indicator_services.submission_get_or_create(unit=users["county"].unit, period="2017Q1")
    indicator_services.submission_save(submission=sub, user=users["county"], values=COMPLETE)
    return indicator_services.submission_submit(submission=sub, user=users["county"])


@pytest.fixture
def qts_tasks(plan_2017, users):
    measure = Measure.objects.filter(
        plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="QTS"
    ).first()

    def make(title, deadline):
        return ledger_services.task_create(
            user=users["dept"], measure=measure, title=title, owner_name="李", deadline=deadline
        )

    return [
        make("逾期任务", dt.date(2017, 6, 1)),
        make("将到期任务", dt.date(2017, 6, 20)),
        make("远期任务", dt.date(2017, 12, 1)),
    ]


def _by_key(entries):
    return {e.key: e for e in entries}


def test_home_is_the_workbench_for_signed_in_users_and_the_plan_for_the_public(users, client_for, plan_2017):
    from django.test import Client

    assert Client().get("/").url == "/plans/"
    page = client_for(users["viewer"]).get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "工作台" in html and 'href="/plans/"' in html  # the plan overview one click away


def test_office_sees_the_report_waiting_for_review(users, submitted):
    entries = _by_key(workbench(user=users["office"], today=dt.date(2017, 4, 5)))
    review = entries["submissions_review"]
    assert review.count == 1
    assert review.url == "/indicators/reports/?status=submitted&year=2017"
    assert [r.url for r in review.rows] == [f"/indicators/reports/{submitted.pk}/"]
    # the unit that submitted has nothing of it waiting any more
    assert "submissions_review" not in _by_key(workbench(user=users["county"], today=dt.date(2017, 4, 5)))


def test_returned_report_waits_for_the_unit_most_urgent_first(users, submitted):
    indicator_services.submission_return(submission=submitted, user=users["office"], reason="请核对")
    entries = workbench(user=users["county"], today=dt.date(2017, 4, 5))
    assert entries[0].key == "submissions_returned" and entries[0].urgency == OVERDUE
    assert entries[0].rows[0].url == f"/indicators/reports/{submitted.pk}/"
    assert "submissions_review" not in _by_key(workbench(user=users["office"], today=dt.date(2017, 4, 5)))


def test_tasks_overdue_and_due_soon_with_days(users, qts_tasks):
    entries = _by_key(workbench(user=users["dept"], today=dt.date(2017, 6, 15)))
    overdue, soon = entries["tasks_overdue"], entries["tasks_soon"]
    assert overdue.count == 1 and overdue.rows[0].label == "逾期任务" and overdue.rows[0].note == "已逾期 14 天"
    assert soon.count == 1 and soon.rows[0].label == "将到期任务" and soon.rows[0].note == "剩余 5 天"
    assert soon.urgency == DUE_SOON and overdue.url == "/ledger/?overdue=1"
    # another department does not see QTS's tasks; the office sees them with the unit's name
    assert "tasks_overdue" not in _by_key(workbench(user=users["dept2"], today=dt.date(2017, 6, 15)))
    office = _by_key(workbench(user=users["office"], today=dt.date(2017, 6, 15)))
    assert office["tasks_overdue"].rows[0].label.endswith("逾期任务")


def test_entries_are_sorted_by_urgency(users, qts_tasks):
    entries = workbench(user=users["dept"], today=dt.date(2017, 6, 15))
    assert [e.urgency for e in entries] == sorted(e.urgency for e in entries)


@override_settings(QUALITYPLAN_TODAY="2017-06-15")
def test_workbench_page_links_open(users, client_for, qts_tasks, submitted):
    for role in ("office", "dept", "county", "inspector", "viewer"):
        c = client_for(users[role])
        page = c.get("/")
        assert page.status_code == 200, role
        import re

        links = set(re.findall(r'href="([^"]+)" class="wb-(?:link|row)"', page.content.decode()))
        for link in links:
            assert c.get(link.replace("&amp;", "&")).status_code == 200, (role, link)
