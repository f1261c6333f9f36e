"""`bootstrap --demo` again after people used the platform: it succeeds and every change they made survives (issue 21).

One module-scoped database holds the demo (loading it takes a while); the tests run in order against it:
load → people edit through the API and the services → `migrate` + `bootstrap --demo` again (what `make setup` /
`make run` do) → the edits are still there, nothing was deleted, and the differences are reported in one line each.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def _bootstrap(*args: str) -> str:
    out = io.StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    from qualityplan.indicators.models import Indicator, Submission
    from qualityplan.ledger.models import Task
    from qualityplan.orgs.models import Unit, User
    from qualityplan.plans.models import Measure, MeasureUnit, Target
    from qualityplan.supervision.models import SupervisionItem

    models = (Unit, User, Target, Measure, MeasureUnit, Indicator, Submission, Task, SupervisionItem)
    return {m.__name__: m.objects.count() for m in models}


def test_second_bootstrap_keeps_every_change():
    from qualityplan.indicators.models import Submission
    from qualityplan.indicators.services import submission_save
    from qualityplan.ledger.models import Task
    from qualityplan.ledger.services import task_update
    from qualityplan.orgs.models import Unit, User
    from qualityplan.plans.models import Measure, Target
    from qualityplan.supervision.models import SupervisionItem

    _bootstrap("--demo")
    office = User.objects.get(username="office")

    # 1. A target edited through the API (the case that broke the second `make run`). A published plan is fixed:
    # the office withdraws it, edits, and publishes it again.
    from qualityplan.plans.services import plan_publish, plan_withdraw

    target = Target.objects.get(plan__year=2017, code="T01")
    plan_withdraw(plan=target.plan, user=office)
    api = Client()
    api.force_login(office)
    body = {"baseline_year": 2016, "baseline_value": "41.5", "note": "办公室核定：按省政府批复调整"}
    headers = {}
    etag = api.get(f"/api/v1/targets/{target.pk}/").headers.get("ETag")
    if etag:
        headers["HTTP_IF_MATCH"] = etag
    response = api.patch(
        f"/api/v1/targets/{target.pk}/", data=json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    plan_publish(plan=target.plan, user=office)

    # 2. A measure's wording corrected, a unit renamed by the office (stored data, not the shipped register).
    measure = Measure.objects.filter(plan__year=2017).order_by("order").first()
    measure.title = "（办公室修订）" + measure.title
    measure.save()
    unit = Unit.objects.get(code="QTS")
    unit.leader_name = "张三"
    unit.short_name = "省质监局（修订）"
    unit.save()

    # 3. A ledger task, a unit's report and a supervision item edited through the services.
    task = Task.objects.filter(plan__year=2017).order_by("pk").first()
    task_update(user=office, task=task, data={"title": "修订后的任务名称", "owner_name": "李四"})
    submission = Submission.objects.filter(status="draft").order_by("pk").first()
    submission_save(submission=submission, user=office, values={}, comment="办公室补充说明")
    item = SupervisionItem.objects.order_by("pk").first()
    item.requirement = "办公室修改后的督办要求"
    item.save()

    before = _counts()

    # 4. What `make setup` / `make run` do again: migrate, bootstrap --demo.
    call_command("migrate", verbosity=0)
    out = _bootstrap("--demo")

    # Every edit survives; nothing was deleted or added twice.
    target.refresh_from_db()
    assert (target.baseline_year, target.baseline_value) == (2016, Decimal("41.5"))
    assert target.note == "办公室核定：按省政府批复调整"
    measure.refresh_from_db()
    assert measure.title.startswith("（办公室修订）")
    unit.refresh_from_db()
    assert (unit.short_name, unit.leader_name) == ("省质监局（修订）", "张三")
    task.refresh_from_db()
    assert (task.title, task.owner_name) == ("修订后的任务名称", "李四")
    submission.refresh_from_db()
    assert submission.comment == "办公室补充说明"
    item.refresh_from_db()
    assert item.requirement == "办公室修改后的督办要求"
    assert _counts() == before

    # The command says where the stored data differs from the shipped data, one line each.
    kept = [line for line in out.splitlines() if line.startswith("kept stored:")]
    assert any("target T01" in line and "baseline_value" in line for line in kept), out
    assert any(f"measure {measure.number}" in line for line in kept), out
    assert any("unit QTS" in line and "short_name" in line for line in kept), out
    assert "bootstrap --upgrade" in out

    # A third run is quiet about creations: convergent.
    third = _bootstrap("--demo")
    assert "created:" not in third
    assert _counts() == before


def test_upgrade_applies_shipped_values_and_refuses_removals():
    from qualityplan.core.reconcile import Mode, Reconciliation
    from qualityplan.orgs.models import Unit
    from qualityplan.orgs.services import units_load_register
    from qualityplan.plans.models import Target

    _bootstrap()
    unit = Unit.objects.get(code="QTS")
    shipped_short = unit.short_name
    unit.short_name = "改过的简称"
    unit.save()
    target = Target.objects.get(plan__year=2017, code="T01")
    shipped_value = target.value
    target.value = Decimal("1")
    target.save()

    # --upgrade brings the shipped values back and reports each change.
    out = _bootstrap("--upgrade")
    unit.refresh_from_db()
    target.refresh_from_db()
    assert unit.short_name == shipped_short
    assert target.value == shipped_value
    assert any(line.startswith("changed: unit QTS") for line in out.splitlines()), out
    assert any(line.startswith("changed: plan 2017 v1 target T01") for line in out.splitlines()), out

    # A removal (a shipped group member the register no longer has) is refused without --force.
    from qualityplan.orgs.models import UnitGroup

    group = UnitGroup.objects.filter(members__isnull=False).first()
    extra = Unit.objects.exclude(pk__in=group.members.values("pk")).first()
    group.members.add(extra)
    rec = Reconciliation(mode=Mode.UPGRADE)
    units_load_register(rec=rec)
    assert group.members.filter(pk=extra.pk).exists()
    assert any(group.code in line for line in rec.refused)
    rec = Reconciliation(mode=Mode.FORCE)
    units_load_register(rec=rec)
    assert not group.members.filter(pk=extra.pk).exists()
    assert any(group.code in line for line in rec.removed)


def test_plan_load_never_deletes_referenced_rows(tmp_path):
    """Loading a plan file that lacks a target users' indicators refer to: refused (even with force), never a crash."""
    from qualityplan.core.reconcile import Mode, Reconciliation
    from qualityplan.indicators.models import Indicator
    from qualityplan.indicators.services import indicators_sync
    from qualityplan.plans.services import plan_export, plan_load

    _bootstrap()
    from qualityplan.plans.models import Plan

    plan = Plan.objects.get(year=2017)
    indicators_sync(plan=plan)
    data = plan_export(plan=plan, include_text=True)
    dropped = data["targets"].pop(0)
    rec = Reconciliation(mode=Mode.FORCE)
    plan_load(data=data, rec=rec, published_in_place=True)  # as bootstrap --upgrade --force does
    assert plan.targets.filter(code=dropped["code"]).exists()
    assert Indicator.objects.filter(target__plan=plan, target__code=dropped["code"]).exists()
    assert any(dropped["code"] in line and "refer" in line for line in rec.refused), rec.lines()
