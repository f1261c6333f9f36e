"""Ledger services: every refusal names its field, summaries are accepted only once submitted, and carry-over edge
cases (a measure the next plan lacks, a task carried in an earlier run, 29 February).

The ``make_task`` fixture (conftest): a task of 省质监局 (QTS) with a part for ENV and two milestones (起草, 印发).
Expected messages are the services' Chinese texts; dates and counts are worked out by hand.
"""

import datetime as dt
from contextlib import contextmanager

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.ledger import services
from qualityplan.ledger.choices import SummaryKind, SummaryStatus
from qualityplan.ledger.models import Milestone, ProgressUpdate, Summary, Task, TaskPart
from qualityplan.notifications.models import Notification
from qualityplan.orgs.roles import Role
from qualityplan.plans import interchange
from qualityplan.plans.models import Measure
from qualityplan.plans.services import plan_export, plan_load
from qualityplan.supervision.services import item_create

pytestmark = pytest.mark.django_db


@contextmanager
def _refused(match: str, field: str | None = None):
    """An ApplicationError matching ``match`` whose details name ``field``."""
    with pytest.raises(ApplicationError, match=match) as exc:
        yield exc
    if field is not None:
        assert exc.value.extra.get("field") == field, exc.value.extra


# --- tasks, parts, milestones ----------------------------------------------------------------------------------------


def test_an_office_user_without_a_unit_must_name_the_lead_unit(make_user, qts_measure):
    admin = make_user("t_admin", Role.OFFICE, None)
    with _refused("请指定牵头单位。", "unit"):
        services.task_create(user=admin, measure=qts_measure, title="x", owner_name="李", deadline=dt.date(2017, 6, 30))
    assert not Task.objects.exists()


def test_parts_and_milestones_only_by_the_lead_unit(make_task, users, units):
    task = make_task()
    with _refused("无权修改此任务。"):
        services.task_part_add(user=users["city"], task=task, unit=units["460100"], description="配合")
    with _refused("配合单位不能是牵头单位本身。", "unit"):
        services.task_part_add(user=users["dept"], task=task, unit=units["QTS"], description="自己配合自己")
    assert list(task.parts.values_list("unit__code", flat=True)) == ["ENV"]
    with _refused("无权修改此任务。"):
        services.milestone_add(user=users["city"], task=task, title="验收")
    milestone = services.milestone_add(user=users["dept"], task=task, title="验收", due_date=dt.date(2017, 6, 15))
    assert milestone.order == 2  # after 起草 (0) and 印发 (1)
    assert list(task.milestones.order_by("order").values_list("title", flat=True)) == ["起草", "印发", "验收"]


def test_progress_refusals_name_the_field(make_task, users):
    task, other = make_task(), make_task(title="另一个任务")
    report = {"user": users["dept"], "task": task, "status": "on_track", "narrative": "进展"}
    with _refused("未知状态：paused", "status"):
        services.progress_report(**{**report, "status": "paused"})
    with _refused("请填写进展情况。", "narrative"):
        services.progress_report(**{**report, "narrative": " \n "})
    with _refused("分工不属于该任务。", "part"):
        services.progress_report(**report, part=TaskPart.objects.get(task=other))
    with _refused("里程碑不属于该任务。", "milestone"):
        services.progress_report(**report, milestone=Milestone.objects.filter(task=other).first())
    assert not ProgressUpdate.objects.exists()


# --- summaries --------------------------------------------------------------------------------------------------------


@pytest.fixture
def half_year(plan_2017, users):
    services.summaries_create_expected(plan=plan_2017)
    return Summary.objects.get(plan=plan_2017, unit=users["city"].unit, kind=SummaryKind.HALF_YEAR)


def test_summary_submit_refusals(half_year, users):
    with _refused("请填写总结内容或上传文件。", "text"):
        services.summary_submit(user=users["city"], summary=half_year, text="   ")
    services.summary_submit(user=users["city"], summary=half_year, text="上半年总结")
    with _refused("该总结已报送，退回后才能重新报送。"):
        services.summary_submit(user=users["city"], summary=half_year, text="再报一次")


def test_summary_return_refusals(half_year, users):
    with _refused("只能退回已报送的总结。"):
        services.summary_return(user=users["office"], summary=half_year, reason="缺少数据")
    services.summary_submit(user=users["city"], summary=half_year, text="上半年总结")
    with _refused("退回须说明原因。", "reason"):
        services.summary_return(user=users["office"], summary=half_year, reason="  ")
    half_year.refresh_from_db()
    assert half_year.status == SummaryStatus.SUBMITTED and half_year.return_count == 0


def test_summary_accept(half_year, users):
    with _refused("只能采纳已报送的总结。"):
        services.summary_accept(user=users["office"], summary=half_year)
    services.summary_submit(user=users["city"], summary=half_year, text="上半年总结")
    with _refused("只有领导小组办公室可以执行此操作。"):
        services.summary_accept(user=users["city"], summary=half_year)
    services.summary_accept(user=users["office"], summary=half_year)
    half_year.refresh_from_db()
    assert half_year.status == SummaryStatus.ACCEPTED
    note = Notification.objects.get(recipient=users["city"], title="上半年工作总结已采纳")
    assert note.url == f"/ledger/summaries/{half_year.pk}/" and note.kind == "summary"
    with _refused("只能采纳已报送的总结。"):  # accepted once
        services.summary_accept(user=users["office"], summary=half_year)


# --- carry-over ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def plan_2018(plan_2017):
    plan, _ = plan_load(data=interchange.shift_years(plan_export(plan=plan_2017), 1))
    return plan


def test_next_year_dates():
    assert services._next_year(None, 2018) is None
    assert services._next_year(dt.date(2017, 11, 30), 2018) == dt.date(2018, 11, 30)
    assert services._next_year(dt.date(2016, 3, 1), 2018) == dt.date(2018, 3, 1)  # two years on
    assert services._next_year(dt.date(2018, 1, 15), 2018) == dt.date(2019, 1, 15)  # already in the year: one on
    assert services._next_year(dt.date(2016, 2, 29), 2017) == dt.date(2017, 2, 28)  # 2017 is no leap year


def test_a_task_whose_measure_the_next_plan_lacks_is_skipped(plan_2017, plan_2018, make_task, users, qts_measure):
    task = make_task()
    Measure.objects.filter(plan=plan_2018, number=qts_measure.number).delete()
    result = services.carry_over(user=users["office"], source=plan_2017, target=plan_2018)
    assert result["tasks"] == []
    assert result["skipped"] == [(task, f"下一年度计划没有措施 {qts_measure.number}")]


def test_an_item_carried_after_its_task_links_the_carried_task(plan_2017, plan_2018, make_task, users, units):
    task = make_task()
    item = item_create(user=users["office"], title="督办：质量提升方案", source="leader_instruction",
                       requirement="按期印发", lead_unit=units["QTS"], task=task, year=2017)  # fmt: skip
    first = services.carry_over(user=users["office"], source=plan_2017, target=plan_2018, item_ids=[])
    [carried] = first["tasks"]
    assert first["items"] == []
    second = services.carry_over(user=users["office"], source=plan_2017, target=plan_2018)
    assert second["tasks"] == [] and second["skipped"] == [(task, "已结转")]
    [new_item] = second["items"]
    assert new_item.carried_from == item and new_item.task == carried and new_item.year == 2018
