"""A stale summary form: a clear Chinese message, the user's input kept, what changed meanwhile shown."""

from __future__ import annotations

import pytest

from qualityplan.ledger import services
from qualityplan.ledger.models import Summary
from qualityplan.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_stale_summary_submit_keeps_input_and_shows_changes(users, make_user, client_for, plan_2017):
    services.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["dept"].unit).order_by("due_date").first()
    loaded_version = summary.version
    colleague = client_for(make_user("t_qts2", Role.DEPT_REPORTER, "QTS"))
    url = f"/ledger/summaries/{summary.pk}/"
    r = colleague.post(
        url, {"action": "submit", "text": "同事的总结", "next_year_plan": "计划", "version": loaded_version}
    )
    assert r.status_code == 302
    office = client_for(users["office"])
    summary.refresh_from_db()
    r = office.post(url, {"action": "return", "reason": "请补充数据", "version": summary.version})
    assert r.status_code == 302
    # the first reporter still has the form of the version it loaded
    me = client_for(users["dept"])
    r = me.post(url, {"action": "submit", "text": "我的总结", "next_year_plan": "我的计划", "version": loaded_version})
    assert r.status_code == 200
    page = r.content.decode()
    assert "该记录在您编辑期间已被他人修改" in page
    assert "我的总结" in page  # the input is kept
    assert "同事的总结" in page and "t_qts2" in page and "t_office" in page  # what changed meanwhile
    summary.refresh_from_db()
    assert summary.text == "同事的总结"  # the first value survives
    # the re-rendered form carries the current version: a deliberate second submit goes through
    r = me.post(url, {"action": "submit", "text": "我的总结", "next_year_plan": "我的计划", "version": summary.version})
    assert r.status_code == 302
    summary.refresh_from_db()
    assert summary.text == "我的总结"
