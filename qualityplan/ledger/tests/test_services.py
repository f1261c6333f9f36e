import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from qualityplan.core.exceptions import ApplicationError
from qualityplan.ledger import services
from qualityplan.ledger.choices import TaskStatus
from qualityplan.ledger.models import Evidence, ProgressUpdate, Task, TaskNotice
from qualityplan.notifications.models import Notification

D = dt.date


def test_reporter_breaks_down_a_measure_it_leads(make_task, users):
    task = make_task()
    assert task.unit.code == "QTS" and task.milestones.count() == 2 and task.parts.get().unit.code == "ENV"
    assert task.status == TaskStatus.NOT_STARTED


def test_cannot_break_down_measures_of_others(users, qts_measure, units):
    with pytest.raises(ApplicationError, match="不是措施"):
        services.task_create(
            user=users["dept2"], measure=qts_measure, title="x", owner_name="x", deadline=D(2017, 6, 1)
        )
    with pytest.raises(ApplicationError, match="本单位"):
        services.task_create(
            user=users["dept2"],
            unit=units["QTS"],
            measure=qts_measure,
            title="x",
            owner_name="x",
            deadline=D(2017, 6, 1),
        )
    task = services.task_create(
        user=users["office"], unit=units["QTS"], measure=qts_measure, title="x", owner_name="x", deadline=D(2017, 6, 1)
    )
    assert task.unit.code == "QTS"


def test_member_of_a_lead_group_breaks_down_its_measure(users, plan_2017):
    from qualityplan.plans.models import Measure

    # 三.(三).1 is led by 省质量强省工作领导小组成员单位, a group that includes 省生态环境保护厅 (ENV)
    measure = Measure.objects.get(plan=plan_2017, number="三.(三).1")
    task = services.task_create(
        user=users["dept2"], measure=measure, title="x", owner_name="陈", deadline=D(2017, 9, 1)
    )
    assert task.unit_id == users["dept2"].unit_id
    # cities cooperate on it (各市县政府): a city breaks it down into its own local task (issue 13)
    local = services.task_create(
        user=users["city"], measure=measure, title="x", owner_name="赵", deadline=D(2017, 9, 1)
    )
    assert local.unit_id == users["city"].unit_id


def test_progress_with_evidence_and_history(make_task, users):
    task = make_task()
    ms = task.milestones.first()
    f = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.progress_report(
        user=users["dept"],
        task=task,
        status=TaskStatus.ON_TRACK,
        narrative="已起草",
        milestone=ms,
        files=[f],
        today=D(2017, 3, 30),
    )
    services.progress_report(
        user=users["dept"], task=task, status=TaskStatus.DONE, narrative="已印发", today=D(2017, 6, 28)
    )
    task.refresh_from_db()
    ms.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.last_update_on == D(2017, 6, 28)
    assert ms.reached_on == D(2017, 3, 30)
    assert list(task.updates.values_list("status", flat=True)) == ["done", "on_track"]
    assert Evidence.objects.get().size == len(b"%PDF-1.4 test")


@override_settings(EVIDENCE_MAX_BYTES=10, EVIDENCE_ALLOWED_EXTENSIONS=["pdf"])
def test_evidence_type_and_size_limits_name_the_field(make_task, users):
    task = make_task()
    with pytest.raises(ApplicationError, match="^佐证材料：文件类型 .exe 不允许") as exc:
        services.progress_report(
            user=users["dept"], task=task, status="on_track", narrative="x", files=[SimpleUploadedFile("a.exe", b"x")]
        )
    assert exc.value.extra["field"] == "evidence"
    with pytest.raises(ApplicationError, match="超过大小上限"):
        services.progress_report(
            user=users["dept"],
            task=task,
            status="on_track",
            narrative="x",
            files=[SimpleUploadedFile("a.pdf", b"x" * 11)],
        )
    assert ProgressUpdate.objects.count() == 0


def test_cancel_needs_reason(make_task, users):
    task = make_task()
    with pytest.raises(ApplicationError, match="原因"):
        services.progress_report(user=users["dept"], task=task, status=TaskStatus.CANCELLED, narrative="不再需要")
    services.progress_report(
        user=users["dept"], task=task, status=TaskStatus.CANCELLED, narrative="不再需要", reason="并入其他任务"
    )
    assert Task.objects.get().cancel_reason == "并入其他任务"


def test_cooperating_unit_reports_its_part_only(make_task, users):
    task = make_task()
    part = task.parts.get()
    services.progress_report(user=users["dept2"], task=task, part=part, status="on_track", narrative="数据已提供")
    part.refresh_from_db()
    task.refresh_from_db()
    assert part.status == "on_track" and task.status == TaskStatus.NOT_STARTED
    with pytest.raises(ApplicationError):
        services.progress_report(user=users["dept2"], task=task, status="done", narrative="x")  # not the lead
    with pytest.raises(ApplicationError):
        services.progress_report(user=users["city"], task=task, part=part, status="done", narrative="x")


def test_deadline_change_starts_new_reminder_stage(make_task, users):
    task = make_task()
    task = services.task_update(user=users["dept"], task=task, data={"deadline": D(2017, 7, 31)})
    assert task.stage == 2
    with pytest.raises(ApplicationError):
        services.task_update(user=users["dept2"], task=task, data={"title": "y"})


def test_daily_job_flags_overdue_and_is_idempotent(make_task, users):
    t1 = make_task(deadline=D(2017, 1, 26))  # before Spring Festival
    t2 = make_task(deadline=D(2017, 2, 6), title="第二项")
    done = make_task(deadline=D(2017, 1, 20), title="已完成")
    services.progress_report(user=users["dept"], task=done, status="done", narrative="完成")
    r = services.ledger_daily_run(today=D(2017, 1, 31))  # holiday: no working day after Jan 26 yet
    # t2 (Feb 6) is within 3 working days of Jan 31: Feb 3, Feb 4 (make-up Saturday), Feb 6
    assert (r["flagged_overdue"], r["overdue_notices"], r["reminders"]) == (1, 0, 1)
    r = services.ledger_daily_run(today=D(2017, 2, 3))  # first working day after Jan 26
    assert (r["flagged_overdue"], r["overdue_notices"], r["reminders"]) == (0, 1, 0)
    assert Notification.objects.filter(kind__in=["task_overdue", "task_reminder"]).count() == 2 * 2  # 2 QTS users
    again = services.ledger_daily_run(today=D(2017, 2, 3))
    assert (again["flagged_overdue"], again["overdue_notices"], again["reminders"], again["messages"]) == (0, 0, 0, 0)
    t1.refresh_from_db()
    assert t1.overdue_since == D(2017, 1, 31)
    services.progress_report(user=users["dept"], task=t1, status="done", narrative="完成")
    t1.refresh_from_db()
    assert t1.overdue_since is None
    assert TaskNotice.objects.filter(task=t2).count() == 1
    assert TaskNotice.objects.filter(task=t1).get().kind == "overdue"
