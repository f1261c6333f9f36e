"""Plan lifecycle: drafts until the office publishes; one published plan per year and region; the shared switcher."""

import pytest
from django.db import IntegrityError, transaction

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.plans import interchange
from qualityplan.plans.models import Plan
from qualityplan.plans.selectors import plan_compare, plan_current, plan_previous
from qualityplan.plans.services import plan_delete, plan_export, plan_load, plan_publish, plan_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2018(plan_2017):
    """The 2017 plan moved by one year, loaded as a plan file would be (no status: a draft)."""
    plan, _ = plan_load(data=interchange.shift_years(plan_export(plan=plan_2017), 1))
    return plan


def test_shipped_plan_is_published_and_a_loaded_plan_is_a_draft(plan_2017, plan_2018):
    assert plan_2017.status == "published"
    assert plan_2018.status == "draft" and plan_2018.year == 2018
    assert plan_2018.title == "海南省贯彻落实质量发展纲要2018年行动计划"
    assert str(plan_2018.deadlines.order_by("order").first().date) == "2018-06-30"
    assert plan_2018.targets.count() == plan_2017.targets.count() == 46


def test_a_draft_never_becomes_the_default_plan(plan_2017, plan_2018, users, settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    for role in ("office", "city", "viewer"):
        assert plan_current(user=users[role]) == plan_2017, role
    settings.QUALITYPLAN_TODAY = "2018-03-01"  # 2018 has only a draft: everyone still lands on 2017
    assert plan_current(user=users["city"]) == plan_2017
    assert plan_current(user=users["office"]) == plan_2017
    assert plan_current(user=users["office"], year=2018) == plan_2018  # the office can open its draft
    assert plan_current(user=users["city"], year=2018) is None  # reporters do not see drafts


def test_publish_withdraw_delete_are_office_only_audited_and_follow_the_states(plan_2017, plan_2018, users):
    with pytest.raises(ApplicationError):
        plan_publish(plan=plan_2018, user=users["city"])
    with pytest.raises(ApplicationError):
        plan_withdraw(plan=plan_2018, user=users["office"])  # a draft is not published
    plan_publish(plan=plan_2018, user=users["office"])
    plan_2018.refresh_from_db()
    assert plan_2018.status == "published"
    log = ChangeLog.objects.filter(object_id=str(plan_2018.pk), action="update").latest("id")
    assert log.user == users["office"] and log.after["status"] == "published" and log.before["status"] == "draft"
    with pytest.raises(ApplicationError):
        plan_delete(plan=plan_2018, user=users["office"])  # published: withdraw first
    plan_withdraw(plan=plan_2018, user=users["office"])
    plan_delete(plan=plan_2018, user=users["office"])
    assert not Plan.objects.filter(year=2018).exists()
    assert ChangeLog.objects.filter(object_id=str(plan_2018.pk), action="delete", user=users["office"]).exists()


def test_one_published_plan_per_year_and_region(plan_2017, users):
    v2, _ = plan_load(data={**plan_export(plan=plan_2017), "version": 2, "status": "draft"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.filter(pk=v2.pk).update(status="published")
    plan_publish(plan=v2, user=users["office"])  # publishing v2 withdraws v1 in the same step
    plan_2017.refresh_from_db()
    assert plan_2017.status == "withdrawn"
    assert list(Plan.objects.filter(year=2017, status="published")) == [v2]


def test_stale_form_is_refused(plan_2018, users):
    import datetime as dt

    with pytest.raises(ApplicationError) as exc:
        plan_publish(plan=plan_2018, user=users["office"], expected_updated_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert exc.value.extra["field"] == "updated_at"


def test_compare_with_the_previous_year(plan_2017, users):
    data = interchange.shift_years(plan_export(plan=plan_2017), 1)
    t01 = next(t for t in data["targets"] if t["code"] == "T01")
    t01["value"] = 55  # 农业标准化生产普及率 50% → 55%
    data["targets"] = [t for t in data["targets"] if t["code"] != "T02"]
    data["targets"].append({"text": "新增目标达到 1 个", "indicator": "新增目标", "comparator": ">=", "value": 1,
                            "unit": "个", "where": "二.(一)", "code": "T99"})  # fmt: skip
    m = data["measures"][0]
    m["cooperating_units"] = [*m["cooperating_units"], "省旅游委"]
    plan_2018, _ = plan_load(data=data)
    assert plan_previous(plan=plan_2018) == plan_2017
    diff = plan_compare(plan=plan_2018, previous=plan_2017)
    assert [t.indicator for t in diff["added"]] == ["新增目标"]
    assert [t.code for t in diff["removed"]] == ["T02"]
    assert [(c["after"].code, [f for f, *_ in c["fields"]]) for c in diff["changed"]] == [("T01", ["value"])]
    assert [u["number"] for u in diff["units_changed"]] == [m["number"]]


def test_pages_publish_with_confirmation_and_the_switcher_remembers(plan_2017, plan_2018, users, client_for):
    office = client_for(users["office"])
    confirm = office.get(f"/plans/{plan_2018.pk}/publish/")
    assert confirm.status_code == 200 and 'id="lifecycle-confirm"' in confirm.content.decode()
    plan_2018.refresh_from_db()
    assert plan_2018.status == "draft"  # the GET only asked
    assert office.post(f"/plans/{plan_2018.pk}/publish/", {"updated_at": "garbage"}).status_code == 400
    done = office.post(f"/plans/{plan_2018.pk}/publish/", {"updated_at": plan_2018.updated_at.isoformat()})
    assert done.status_code == 302
    plan_2018.refresh_from_db()
    assert plan_2018.status == "published"
    # the switcher: a choice made on one page is remembered on the next
    office.get(f"/plans/?plan={plan_2017.pk}")
    page = office.get("/plans/targets/").content.decode()
    assert f'<option value="{plan_2017.pk}" selected>' in page
    assert office.get(f"/plans/{plan_2018.pk}/compare/").status_code == 200
    # reporters never see lifecycle actions
    assert client_for(users["city"]).get(f"/plans/{plan_2018.pk}/withdraw/").status_code == 404


def test_reporters_do_not_see_drafts_in_the_switcher(plan_2017, plan_2018, users, client_for):
    html = client_for(users["city"]).get("/plans/").content.decode()
    assert 'id="plan-switcher"' in html and f'value="{plan_2018.pk}"' not in html
    html = client_for(users["office"]).get("/plans/").content.decode()
    assert f'value="{plan_2018.pk}"' in html


def test_target_page_has_a_year_over_year_column(plan_2017, users, client_for):
    data = interchange.shift_years(plan_export(plan=plan_2017), 1)
    next(t for t in data["targets"] if t["code"] == "T01")["value"] = 55  # 农业标准化生产普及率 50% → 55%
    plan_2018, _ = plan_load(data=data)
    html = client_for(users["office"]).get(f"/plans/targets/?plan={plan_2018.pk}").content.decode()
    assert "2017 年目标值" in html
    row = html[html.index('title="修改目标">T01</a></td>') :]  # a draft: the office may edit its targets
    assert '<td class="yoy">50 % → </td>' in row[: row.index("</tr>")]
    assert (
        "2016 年目标值" not in client_for(users["office"]).get(f"/plans/targets/?plan={plan_2017.pk}").content.decode()
    )


def test_pages_with_a_draft_chosen_do_not_fail(plan_2017, plan_2018, users, client_for):
    office = client_for(users["office"])
    office.get(f"/plans/?plan={plan_2018.pk}")  # the office chooses its 2018 draft
    for url in ("/plans/", "/plans/targets/", "/plans/matrix/", "/ledger/", "/ledger/board/", "/indicators/",
                "/indicators/completeness/", "/indicators/reports/", "/indicators/runs/", f"/orgs/{'460100'}/"):  # fmt: skip
        assert office.get(url).status_code == 200, url
    assert office.get("/indicators/completeness/?as_of=30.11.2017").status_code == 400
