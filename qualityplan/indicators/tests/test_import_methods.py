"""The plan-import review page shows each target's measurement method (matched by wording and unit through
plans.method_hooks, filled by the indicators app) and the office confirms or changes it there; targets without a
method are listed; the choices are bound when the plan is created."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.indicators.definitions import DEFINITIONS
from qualityplan.indicators.methods import option_id
from qualityplan.indicators.models import Indicator
from qualityplan.indicators.services import indicators_sync
from qualityplan.plans.models import Plan, PlanImport
from qualityplan.plans.tests.test_plan_file import PLAN_FILE

pytestmark = pytest.mark.django_db
SEED_TEXT = PLAN_FILE.parent / "hainan-2017-action-plan.txt"


def test_review_page_confirms_and_changes_methods_and_the_plan_keeps_them(units, client_for, users):
    office = client_for(users["office"])
    office.post("/plans/import/", {"file": SimpleUploadedFile("hainan-2017.txt", SEED_TEXT.read_bytes())})
    draft = PlanImport.objects.get()
    targets = draft.parsed["targets"]
    # the reader words 9 targets differently from the catalogue: no method; e.g. index 28, "对生产企业覆盖频次" (T29 of the plan)
    assert targets[28]["indicator"] == "对生产企业覆盖频次" and targets[3]["indicator"] == "食品质量安全抽检合格率"
    html = office.get(f"/plans/import/{draft.pk}/").content.decode()
    assert 'id="method-table"' in html
    no_method = html[html.index('id="no-method"') : html.index("</p>", html.index('id="no-method"'))]
    assert "对生产企业覆盖频次" in no_method and "食品质量安全抽检合格率" not in no_method
    assert html.index('id="method-28"') < html.index('id="method-3"')  # targets without a method come first
    food = option_id({**DEFINITIONS["T04"], "sample_scope": "supervision_evaluation"})  # plain 抽检合格率: both
    row = html[html.index('id="method-3"') : html.index("</tr>", html.index('id="method-3"'))]
    assert f'value="{food}" selected' in row and "措辞和单位一致" in row

    # the office binds index 28 to a yearly reported number (how T29 is measured) and food to 监督抽检 only
    reported = option_id(DEFINITIONS["T29"])
    only = option_id({**DEFINITIONS["T04"], "sample_scope": "supervision"})
    assert office.post(f"/plans/import/{draft.pk}/methods/28/", {"option": reported}).status_code == 302
    office.post(f"/plans/import/{draft.pk}/methods/3/", {"option": only})
    bad = office.post(f"/plans/import/{draft.pk}/methods/5/", {"option": "nonsense"}, follow=True)
    assert "未知的计量方法" in bad.content.decode()
    assert (
        client_for(users["dept"]).post(f"/plans/import/{draft.pk}/methods/5/", {"option": reported}).status_code == 404
    )
    draft.refresh_from_db()
    assert draft.parsed["targets"][28]["measurement_method"] == reported
    assert "measurement_method" not in draft.parsed["targets"][5]
    html = office.get(f"/plans/import/{draft.pk}/").content.decode()
    row = html[html.index('id="method-28"') : html.index("</tr>", html.index('id="method-28"'))]
    assert "已确认" in row and f'value="{reported}" selected' in row

    # creating the plan binds every target: the office's choices confirmed, the rest by wording, none lost later
    assert office.post(f"/plans/import/{draft.pk}/commit/", {"year": "2018"}).status_code == 302
    plan = Plan.objects.get(year=2018)
    assert plan.status == "draft"
    by_order = {i.target.order: i for i in Indicator.objects.filter(plan=plan).select_related("target")}
    assert len(by_order) == len(targets)
    assert (by_order[28].method, by_order[28].period_type, by_order[28].value_type) == ("reported", "year", "number")
    assert by_order[28].method_match == "confirmed"
    assert (by_order[3].computation, by_order[3].product_group, by_order[3].sample_scope) == (
        "pass_rate", "food", "supervision")  # fmt: skip
    assert by_order[2].sample_scope == "supervision_evaluation" and by_order[2].method_match == "wording+unit"
    assert by_order[30].method_match == ""  # "企业的申报发证": no method, reported yearly by the office
    indicators_sync(plan=plan)
    assert Indicator.objects.get(pk=by_order[28].pk).method_match == "confirmed"
