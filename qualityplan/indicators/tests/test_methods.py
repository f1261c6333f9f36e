"""Targets are bound to measurement methods by wording and unit, not by their 2017 code."""

import pytest

from qualityplan.indicators.definitions import DEFINITIONS
from qualityplan.indicators.methods import METHODS, method_key, method_match
from qualityplan.indicators.services import indicators_sync
from qualityplan.plans import interchange
from qualityplan.plans.services import plan_export, plan_load

pytestmark = pytest.mark.django_db


def test_every_2017_target_matches_its_own_catalogue_entry(plan_2017):
    for target in plan_2017.targets.all():
        definition, how = method_match(target)
        assert definition is DEFINITIONS[target.code] and how == "wording+unit", target.code
        assert method_key(definition) in METHODS


def test_renumbered_targets_keep_their_methods_and_unknown_ones_are_reported(plan_2017):
    data = interchange.shift_years(plan_export(plan=plan_2017), 1)
    by_code = {t["code"]: t for t in data["targets"]}
    # the 2018 plan numbers its targets differently: a new first target moves every code by one
    for i, t in enumerate(data["targets"]):
        t["code"] = f"T{i + 2:02d}"
    data["targets"].insert(0, {"text": "新建智慧质量平台1个", "indicator": "新建智慧质量平台", "comparator": ">=",
                               "value": 1, "unit": "个", "where": "二.(一)", "code": "T01"})  # fmt: skip
    by_code["T15"]["unit"] = "％以上"  # the air good-day ratio written with another unit: matched, to be confirmed
    plan_2018, _ = plan_load(data=data)
    result = indicators_sync(plan=plan_2018)
    assert result["unmatched"] == ["T01"]
    assert result["to_confirm"] == ["T16"]  # 2017's T15, now numbered T16
    air = plan_2018.indicators.get(code="T16")
    assert air.method == "computed" and air.computation == "air_good_day_ratio"
    food = plan_2018.indicators.get(code="T05")  # 2017's T04 (食品抽检合格率)
    assert food.computation == "pass_rate" and food.product_group == "food"
    assert plan_2018.indicators.get(code="T01").method == "reported"


def test_map_offers_the_chosen_plans_indicators_by_method(plan_2017, users):
    from qualityplan.indicators.views import map_indicator_codes
    from qualityplan.plans.services import plan_publish

    indicators_sync(plan=plan_2017)
    # the 2017 map as it was curated: air, PM10, food / industrial / agricultural pass rates, surface water,
    # drinking water, noise day and night, then the two ratios the cities and counties report
    assert map_indicator_codes(2017) == ["T15", "T16", "T04", "T03", "T02", "T18", "T21", "T27", "T28", "T25", "T26"]
    data = interchange.shift_years(plan_export(plan=plan_2017), 1)
    for i, t in enumerate(data["targets"]):
        t["code"] = f"T{i + 2:02d}"  # renumbered: every code one higher
    plan_2018, _ = plan_load(data=data)
    plan_publish(plan=plan_2018, user=users["office"])
    indicators_sync(plan=plan_2018)
    assert map_indicator_codes(2018) == ["T16", "T17", "T05", "T04", "T03", "T19", "T22", "T28", "T29", "T26", "T27"]


def test_office_matches_confirms_and_changes_methods_on_the_page(plan_2017, users, client_for):
    from qualityplan.core.models import ChangeLog
    from qualityplan.indicators.methods import method_options

    data = interchange.shift_years(plan_export(plan=plan_2017), 1)
    data["targets"].append({"text": "新建智慧质量平台1个", "indicator": "新建智慧质量平台", "comparator": ">=",
                            "value": 1, "unit": "个", "where": "二.(一)", "code": "T47"})  # fmt: skip
    plan_2018, _ = plan_load(data=data)
    office = client_for(users["office"])
    assert "尚未匹配" in office.get(f"/indicators/methods/?plan={plan_2018.pk}").content.decode()
    assert office.post(f"/indicators/methods/?plan={plan_2018.pk}", {"match": "1"}).status_code == 302
    html = office.get(f"/indicators/methods/?plan={plan_2018.pk}").content.decode()
    assert html.index('data-code="T47"') < html.index('data-code="T01"')  # the unmatched target comes first
    assert "未找到计量方法" in html
    pass_food = next(o for o, label, d in method_options() if d.get("group") == "food")
    ind = plan_2018.indicators.get(code="T47")
    office.post(f"/indicators/methods/?plan={plan_2018.pk}", {"indicator": ind.pk, "option": pass_food})
    ind.refresh_from_db()
    assert ind.method_match == "confirmed" and ind.computation == "pass_rate" and ind.product_group == "food"
    assert ChangeLog.objects.filter(object_id=str(ind.pk), action="update", user=users["office"]).exists()
    indicators_sync(plan=plan_2018)  # a later sync keeps the office's choice
    ind.refresh_from_db()
    assert ind.computation == "pass_rate" and ind.method_match == "confirmed"
    bad = office.post(f"/indicators/methods/?plan={plan_2018.pk}", {"indicator": ind.pk, "option": "nonsense"})
    assert bad.status_code == 302
    assert client_for(users["city"]).get(f"/indicators/methods/?plan={plan_2018.pk}").status_code == 403
