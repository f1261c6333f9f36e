"""Carry-over (结转): unfinished tasks and open supervision items go into the next year's plan, linked to origin."""

import datetime as dt

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.ledger.models import Task
from qualityplan.ledger.services import carry_over
from qualityplan.plans import interchange
from qualityplan.plans.services import plan_export, plan_load
from qualityplan.supervision.models import RectificationItem, SupervisionItem
from qualityplan.supervision.services import item_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2018(plan_2017):
    plan, _ = plan_load(data=interchange.shift_years(plan_export(plan=plan_2017), 1))
    return plan


def test_unfinished_tasks_and_open_items_are_carried_with_a_link(
    plan_2017, plan_2018, make_task, users, units, client_for
):
    open_task = make_task(deadline=dt.date(2017, 11, 30))
    done_task = make_task(title="已完成的任务")
    Task.objects.filter(pk=done_task.pk).update(status="done")
    item = item_create(user=users["office"], title="督办：质量提升方案", source="leader_instruction",
                       requirement="按期印发", lead_unit=units["QTS"], cooperating_units=[units["ENV"]],
                       task=open_task, year=2017)  # fmt: skip
    RectificationItem.objects.create(item=item, title="整改一", unit=units["QTS"])
    RectificationItem.objects.create(item=item, title="已销号的整改", unit=units["QTS"], status="closed")

    with pytest.raises(ApplicationError):
        carry_over(user=users["dept"], source=plan_2017, target=plan_2018)
    result = carry_over(user=users["office"], source=plan_2017, target=plan_2018)

    [task] = result["tasks"]
    assert task.plan == plan_2018 and task.carried_from == open_task and task.title == open_task.title
    assert task.measure.number == open_task.measure.number and task.measure.plan == plan_2018
    assert task.deadline == dt.date(2018, 11, 30)
    assert [p.unit.code for p in task.parts.all()] == ["ENV"]
    assert not Task.objects.filter(plan=plan_2018, carried_from=done_task).exists()
    [new_item] = result["items"]
    assert new_item.year == 2018 and new_item.number.startswith("琼质督〔2018〕")
    assert new_item.carried_from == item and new_item.task == task
    assert list(new_item.rectifications.values_list("title", flat=True)) == ["整改一"]
    assert item.events.filter(action="carry_over").exists() and new_item.events.filter(action="carry_over").exists()
    assert ChangeLog.objects.filter(object_id=str(task.pk), action="create", user=users["office"]).exists()
    # the origin is left as it was (its history stays there)
    open_task.refresh_from_db()
    assert open_task.plan == plan_2017 and open_task.status == "not_started"

    again = carry_over(user=users["office"], source=plan_2017, target=plan_2018)
    assert again["tasks"] == [] and again["items"] == [] and len(again["skipped"]) == 2
    assert SupervisionItem.objects.filter(year=2018).count() == 1
    html = client_for(users["office"]).get(f"/supervision/items/{new_item.pk}/").content.decode()
    assert 'id="item-carry"' in html and item.number in html


def test_only_into_the_following_year(plan_2017, users):
    with pytest.raises(ApplicationError) as exc:
        carry_over(user=users["office"], source=plan_2017, target=plan_2017)
    assert exc.value.extra["field"] == "target"


def test_carry_over_page_lists_confirms_and_links(plan_2017, plan_2018, make_task, users, client_for):
    task = make_task(deadline=dt.date(2017, 11, 30))
    office = client_for(users["office"])
    page = office.get(f"/ledger/carry-over/?plan={plan_2017.pk}")
    assert page.status_code == 200 and f'name="task" value="{task.pk}"' in page.content.decode()
    assert Task.objects.filter(plan=plan_2018).count() == 0  # GET only lists
    done = office.post(f"/ledger/carry-over/?plan={plan_2017.pk}", {"task": [str(task.pk)]})
    assert done.status_code == 302
    new = Task.objects.get(plan=plan_2018)
    assert new.carried_from == task
    assert f'href="/ledger/tasks/{task.pk}/"' in office.get(f"/ledger/tasks/{new.pk}/").content.decode()
    assert f'href="/ledger/tasks/{new.pk}/"' in office.get(f"/ledger/tasks/{task.pk}/").content.decode()
    assert client_for(users["dept"]).get(f"/ledger/carry-over/?plan={plan_2017.pk}").status_code == 403
