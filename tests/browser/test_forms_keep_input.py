"""Issue 13: a progress note keeps the task's status; a failed submit keeps what was typed and chosen."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def qts_task(transactional_db, users, plan_2017):
    import datetime as dt

    from qualityplan.ledger import services
    from qualityplan.ledger.choices import TaskStatus
    from qualityplan.plans.models import Measure

    measure = Measure.objects.filter(
        plan=plan_2017, responsibilities__role="lead", responsibilities__unit__code="QTS"
    ).first()
    task = services.task_create(
        user=users["dept"],
        measure=measure,
        title="制定质量提升方案",
        owner_name="李质监",
        deadline=dt.date(2017, 9, 30),
    )
    services.progress_report(user=users["dept"], task=task, status=TaskStatus.ON_TRACK, narrative="方案起草中")
    task.refresh_from_db()
    assert task.status == TaskStatus.ON_TRACK
    return task


def test_progress_note_keeps_the_status(page, users, qts_task):
    from qualityplan.ledger.choices import TaskStatus

    login(page, users["dept"].username)
    page.goto(f"/ledger/tasks/{qts_task.pk}/")
    status = page.locator("#progress-status")
    assert status.input_value() == TaskStatus.ON_TRACK  # 正常推进 preselected, not 未开始
    page.fill("textarea[name=narrative]", "召开专题会议，方案进入征求意见阶段")
    with page.expect_navigation():
        page.click("form.form button.primary")
    qts_task.refresh_from_db()
    assert qts_task.status == TaskStatus.ON_TRACK
    assert qts_task.updates.order_by("-id").first().narrative == "召开专题会议，方案进入征求意见阶段"
    assert page.locator("#progress-status").input_value() == TaskStatus.ON_TRACK


@override_settings(EVIDENCE_ALLOWED_EXTENSIONS=["pdf"])
def test_failed_submit_keeps_every_field(page, users, qts_task):
    from qualityplan.ledger.choices import TaskStatus

    login(page, users["dept"].username)
    page.goto(f"/ledger/tasks/{qts_task.pk}/")
    page.select_option("#progress-status", TaskStatus.DELAYED)
    page.fill("textarea[name=narrative]", "征求意见反馈较慢，进度滞后两周")
    page.fill("input[name=reason]", "部分单位未按时反馈")
    page.set_input_files("input[name=files]", files=[{"name": "说明.exe", "mimeType": "application/octet-stream",
                                                         "buffer": b"MZ"}])  # fmt: skip
    with page.expect_navigation():
        page.click("form.form button.primary")
    errors = page.locator("form.form .errorlist").inner_text()
    assert errors.startswith("佐证材料：") and ".exe" in errors, errors  # the field by its label, in Chinese
    assert "evidence" not in errors
    assert page.locator("#progress-status").input_value() == TaskStatus.DELAYED
    assert page.locator("textarea[name=narrative]").input_value() == "征求意见反馈较慢，进度滞后两周"
    assert page.locator("input[name=reason]").input_value() == "部分单位未按时反馈"
    screenshot(page, "progress-failed-submit")
    qts_task.refresh_from_db()
    assert qts_task.status == TaskStatus.ON_TRACK and qts_task.updates.count() == 1  # nothing written
