"""Plan services at their edges: reloading a stored plan row by row (added, removed, changed responsibilities) under
each reconciliation mode, invalid target edits, lifecycle refusals, and a delete that would take people's work with it.

A small 2030 plan written here; every expected report line and count is worked out from it by hand.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.reconcile import Mode, Reconciliation
from qualityplan.plans.models import Deadline, Measure, MeasureUnit, Plan, Section, Target
from qualityplan.plans.services import plan_delete, plan_load, plan_policy, plan_publish, plan_withdraw, target_update

pytestmark = pytest.mark.django_db

PLAN = {
    "title": "海南省质量提升2030年行动计划",
    "year": 2030,
    "issuer": "省质量强省办",
    "date": "2030-02-01",
    "sections": [{"number": "一", "title": "总体要求"}, {"number": "二", "title": "主要任务"}],
    "measures": [
        {"number": "1", "title": "提升产品质量", "lead_units": ["省质监局"], "cooperating_units": ["各市县政府"]},
        {"number": "2", "title": "提升服务质量", "lead_units": ["省旅游委"]},
    ],
    "targets": [
        {
            "code": "T01",
            "text": "产品质量合格率达到95%以上",
            "indicator": "产品质量合格率",
            "comparator": ">=",
            "value": 95,
            "unit": "%",
            "where": "1",
        },
    ],  # fmt: skip
    "deadlines": [{"date": "2030-06-30", "what": "报送上半年工作总结", "where": "一"}],
}


def _changed_plan() -> dict:
    """Section 二, measure 2, target T01 and the June deadline dropped; 三, 3, T02 and a December deadline added;
    measure 1 now cooperates with 海口市 instead of 各市县政府."""
    data = copy.deepcopy(PLAN)
    data["sections"] = [{"number": "一", "title": "总体要求"}, {"number": "三", "title": "保障措施"}]
    data["measures"] = [
        {"number": "1", "title": "提升产品质量", "lead_units": ["省质监局"], "cooperating_units": ["海口市"]},
        {"number": "3", "title": "提升工程质量", "lead_units": ["省住房城乡建设厅"]},
    ]
    data["targets"] = [
        {"code": "T02", "text": "工程质量一次验收合格率100%", "indicator": "工程质量一次验收合格率",
         "comparator": "=", "value": 100, "unit": "%", "where": "3"},
    ]  # fmt: skip
    data["deadlines"] = [{"date": "2030-12-31", "what": "报送年度工作总结", "where": "三"}]
    return data


@pytest.fixture
def plan_2030(units):
    plan, created = plan_load(data=PLAN, source_name="2030.json")
    assert created
    return plan


def _rows(plan: Plan) -> dict:
    return {
        "sections": sorted(Section.objects.filter(plan=plan).values_list("number", flat=True)),
        "measures": sorted(Measure.objects.filter(plan=plan).values_list("number", flat=True)),
        "targets": sorted(Target.objects.filter(plan=plan).values_list("code", flat=True)),
        "deadlines": sorted(Deadline.objects.filter(plan=plan).values_list("date", flat=True)),
    }


def test_force_reload_adds_and_removes_rows_and_replaces_responsibilities(plan_2030):
    rec = Reconciliation(mode=Mode.FORCE)
    plan, changed = plan_load(data=_changed_plan(), source_name="2030-v2.json", rec=rec)
    assert plan == plan_2030 and changed
    assert dict(rec.created) == {"plan sections": 1, "plan measures": 1, "plan targets": 1, "plan deadlines": 1}
    label = "plan 2030 v1"
    assert sorted(rec.removed) == sorted(
        [f"{label} section 二", f"{label} measure 2", f"{label} target T01", f"{label} deadline 2030-06-30"]
    )
    assert rec.changed == [f"{label} measure 1: responsible units → 省质监局, 海口市"]
    assert _rows(plan) == {
        "sections": ["一", "三"],
        "measures": ["1", "3"],
        "targets": ["T02"],
        "deadlines": [dt.date(2030, 12, 31)],
    }
    written = MeasureUnit.objects.filter(measure__plan=plan, measure__number="1").order_by("role", "position")
    assert [(r.role, r.written, r.unit.code) for r in written] == [("cooperating", "海口市", "460100"),
                                                                   ("lead", "省质监局", "QTS")]  # fmt: skip
    assert Target.objects.get(plan=plan, code="T02").measure.number == "3"
    plan.refresh_from_db()
    assert plan.source_name == "2030-v2.json"


def test_additive_reload_keeps_stored_rows_and_reports(plan_2030):
    rec = Reconciliation(mode=Mode.ADD)
    _plan, changed = plan_load(data=_changed_plan(), source_name="2030-v2.json", rec=rec)
    assert changed  # four rows were added
    label = "plan 2030 v1"
    assert rec.kept == [f"{label} measure 1: responsible units differ from the shipped plan; stored kept"]
    assert len(rec.refused) == 4 and rec.removed == [] and rec.changed == []
    assert _rows(plan_2030) == {
        "sections": ["一", "三", "二"],  # 一 U+4E00 < 三 U+4E09 < 二 U+4E8C
        "measures": ["1", "2", "3"],
        "targets": ["T01", "T02"],
        "deadlines": [dt.date(2030, 6, 30), dt.date(2030, 12, 31)],
    }
    assert sorted(MeasureUnit.objects.filter(measure__plan=plan_2030, measure__number="1").values_list(
        "written", flat=True)) == ["各市县政府", "省质监局"]  # fmt: skip
    plan_2030.refresh_from_db()
    assert plan_2030.source_name == "2030.json"  # an additive run changes nothing stored


def test_invalid_target_value_names_the_field(plan_2030, users):
    target = Target.objects.get(plan=plan_2030, code="T01")
    with pytest.raises(ApplicationError, match=r"^value: ") as exc:
        target_update(user=users["office"], target=target, data={"value": "九十五"}, expected_version=target.version)
    assert exc.value.extra == {"field": "value"}
    with pytest.raises(ApplicationError, match=r"^comparator: ") as exc:
        target_update(user=users["office"], target=target, data={"comparator": "≈"})
    assert exc.value.extra == {"field": "comparator"}
    target.refresh_from_db()
    assert target.value == Decimal("95") and target.comparator == ">="


def test_unknown_lifecycle_action(plan_2030, users):
    assert plan_policy(user=users["office"], plan=plan_2030, action="archive") == "未知操作：archive"
    assert plan_policy(user=None, plan=plan_2030, action="publish") == "只有领导小组办公室可以管理计划。"
    assert plan_policy(user=users["office"], plan=plan_2030, action="publish") is None


def test_an_empty_plan_is_not_published(units, users):
    plan, _ = plan_load(
        data={"title": "海南省质量提升2031年行动计划", "sections": [{"number": "一", "title": "总体要求"}]}
    )
    assert plan.year == 2031  # from the title
    with pytest.raises(ApplicationError, match="计划没有目标和措施，不能发布。"):
        plan_publish(plan=plan, user=users["office"])
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_plan_with_tasks_is_not_deleted(plan_2030, users):
    """A withdrawn plan that units worked on: deleting it would cascade into their tasks, progress and evidence."""
    from qualityplan.ledger import services as ledger
    from qualityplan.ledger.models import ProgressUpdate, Task

    plan_publish(plan=plan_2030, user=users["office"])
    measure = Measure.objects.get(plan=plan_2030, number="1")  # led by 省质监局 (QTS), the dept user's unit
    task = ledger.task_create(user=users["dept"], measure=measure, title="制定方案", owner_name="李",
                              deadline=dt.date(2030, 6, 30))  # fmt: skip
    ledger.progress_report(user=users["dept"], task=task, status="on_track", narrative="起草中")
    plan_withdraw(plan=plan_2030, user=users["office"])

    with pytest.raises(ApplicationError, match=r"计划仍被其他记录引用（.*工作任务.*），不能删除；可以撤回。") as exc:
        plan_delete(plan=plan_2030, user=users["office"])
    assert exc.value.extra == {"action": "delete"}
    assert Plan.objects.filter(pk=plan_2030.pk).exists()
    assert Task.objects.filter(pk=task.pk).exists() and ProgressUpdate.objects.filter(task=task).count() == 1

    Task.objects.filter(pk=task.pk).delete()  # once the work is gone the plan can go
    plan_delete(plan=plan_2030, user=users["office"])
    assert not Plan.objects.filter(pk=plan_2030.pk).exists()


def test_indicator_definitions_go_with_the_plan_but_reported_values_refuse_the_delete(plan_2030, users, units):
    from qualityplan.indicators.models import Indicator, ReportedValue, Submission

    target = Target.objects.get(plan=plan_2030, code="T01")
    indicator = Indicator.objects.create(plan=plan_2030, target=target, code="T01", name="产品质量合格率",
                                         method="reported")  # fmt: skip
    submission = Submission.objects.create(unit=units["QTS"], year=2030, period="2030", period_type="year",
                                           period_start=dt.date(2030, 1, 1), period_end=dt.date(2030, 12, 31),
                                           due_date=dt.date(2031, 1, 10))  # fmt: skip
    value = ReportedValue.objects.create(submission=submission, indicator=indicator, value=Decimal("96.5"))
    with pytest.raises(ApplicationError, match="计划仍被其他记录引用（填报数值），不能删除；可以撤回。"):
        plan_delete(plan=plan_2030, user=users["office"])
    assert Indicator.objects.filter(pk=indicator.pk).exists()

    value.delete()  # the definition alone is derived from the target: it goes with the plan
    plan_delete(plan=plan_2030, user=users["office"])
    assert not Plan.objects.filter(pk=plan_2030.pk).exists() and not Indicator.objects.filter(pk=indicator.pk).exists()
    assert Submission.objects.filter(pk=submission.pk).exists()  # the unit's submission itself stays
