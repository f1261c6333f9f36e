"""A published plan is fixed: target edits are refused by the service (web: a message, API: 409) before the input is
looked at; drafts and withdrawn plans stay editable (audited, optimistic locking); plan files do not change a
published plan, except bootstrap reconciling the plans it ships (published_in_place)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from qualityplan.core.exceptions import ApplicationError, Conflict
from qualityplan.core.models import ChangeLog
from qualityplan.plans import interchange
from qualityplan.plans.models import Target
from qualityplan.plans.services import plan_export, plan_load, plan_withdraw, target_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2018(plan_2017):
    plan, _ = plan_load(data=interchange.shift_years(plan_export(plan=plan_2017), 1))
    return plan


def test_service_edits_a_draft_audited_and_refuses_a_published_plan(plan_2017, plan_2018, users):
    draft = plan_2018.targets.get(code="T04")
    target_update(user=users["office"], target=draft, data={"value": Decimal("98"), "note": "草案调整"})
    draft.refresh_from_db()
    assert draft.value == Decimal("98") and draft.version == 2
    log = ChangeLog.objects.filter(object_id=str(draft.pk), action="update").latest("id")
    assert log.user == users["office"]
    published = plan_2017.targets.get(code="T04")
    with pytest.raises(Conflict) as exc:
        target_update(user=users["office"], target=published, data={"value": Decimal("98")})
    assert "已发布" in exc.value.message
    published.refresh_from_db()
    assert published.value == Decimal("97.5")  # as the plan says (食品质量安全抽检合格率达到97.5%)
    with pytest.raises(PermissionDenied):
        target_update(user=users["dept"], target=draft, data={"value": Decimal("1")})
    with pytest.raises(ApplicationError):  # a stale form
        target_update(user=users["office"], target=draft, data={"value": Decimal("99")}, expected_version=1)
    with pytest.raises(ApplicationError):  # a field the edit does not cover
        target_update(user=users["office"], target=draft, data={"text": "改写原文"})


def test_a_withdrawn_plan_is_editable_again(plan_2017, users):
    plan_withdraw(plan=plan_2017, user=users["office"])
    target = plan_2017.targets.get(code="T04")
    target_update(user=users["office"], target=target, data={"note": "撤回后修改"})
    target.refresh_from_db()
    assert target.note == "撤回后修改"


def test_api_patch_and_put_of_a_published_plan_are_409_before_validation(plan_2017, plan_2018, users, client_for):
    office = client_for(users["office"])
    published = plan_2017.targets.get(code="T16")
    url = f"/api/v1/targets/{published.pk}/"
    for method in (office.patch, office.put):
        # even invalid input and no If-Match: the policy answers first
        r = method(url, {"baseline_year": "not a year"}, content_type="application/json")
        assert r.status_code == 409, r.content
        assert "已发布" in r.json()["message"]
    published.refresh_from_db()
    assert published.version == 1 and published.baseline_year is None
    draft = plan_2018.targets.get(code="T16")
    url = f"/api/v1/targets/{draft.pk}/"
    r = office.patch(url, {"baseline_year": 2017, "baseline_value": "41.2"}, content_type="application/json",
                     HTTP_IF_MATCH='"1"')  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["baseline_year"] == 2017 and r.headers["ETag"] == '"2"'
    r = office.patch(url, {"baseline_year": "x"}, content_type="application/json", HTTP_IF_MATCH='"2"')
    assert r.status_code == 400 and "baseline_year" in r.content.decode()


def test_web_edit_page_says_a_published_plan_is_fixed_and_edits_a_draft(plan_2017, plan_2018, users, client_for):
    office = client_for(users["office"])
    published = plan_2017.targets.get(code="T04")
    r = office.get(f"/plans/targets/{published.pk}/edit/")
    html = r.content.decode()
    assert r.status_code == 200 and 'id="target-locked"' in html and "已发布" in html and "target-form" not in html
    r = office.post(f"/plans/targets/{published.pk}/edit/", {"value": "1", "version": "1"})
    assert r.status_code == 409
    published.refresh_from_db()
    assert published.value == Decimal("97.5")
    # the targets list links to the edit page only where editing is possible
    assert (
        f"/plans/targets/{published.pk}/edit/"
        not in office.get(f"/plans/targets/?plan={plan_2017.pk}").content.decode()
    )
    draft = plan_2018.targets.get(code="T04")
    assert f"/plans/targets/{draft.pk}/edit/" in office.get(f"/plans/targets/?plan={plan_2018.pk}").content.decode()
    form = {"indicator": draft.indicator, "comparator": ">=", "value": "98", "unit": "%", "group": draft.group,
            "scope": draft.scope, "version": draft.version}  # fmt: skip
    r = office.post(f"/plans/targets/{draft.pk}/edit/", form)
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.value == Decimal("98")
    r = office.post(f"/plans/targets/{draft.pk}/edit/", form)  # built on version 1, the target is at 2 now
    assert r.status_code == 400 and 'id="target-error"' in r.content.decode()
    assert client_for(users["viewer"]).get(f"/plans/targets/{published.pk}/edit/").status_code == 403


def test_plan_file_does_not_change_a_published_plan_but_bootstrap_reconciles_it(plan_2017):
    data = plan_export(plan=plan_2017)
    data["targets"][3]["value"] = 99  # T04
    with pytest.raises(Conflict):
        plan_load(data=data)
    assert Target.objects.get(plan=plan_2017, code="T04").value == Decimal("97.5")
    _plan, changed = plan_load(data=data, published_in_place=True)  # what bootstrap --upgrade does
    assert changed and Target.objects.get(plan=plan_2017, code="T04").value == Decimal("99")
    # the same data again is no change, published or not
    assert plan_load(data=data) == (plan_2017, False)
