"""Issue 12 in the evaluations: province concentration by cities, sample scope, recompute after corrections."""

import datetime as dt

import pytest

from qualityplan.indicators.models import Evaluation
from qualityplan.indicators.services import evaluation_run
from qualityplan.monitoring import services as monitoring_services
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import AirDaily, PassRateScope, SamplingRecord

pytestmark = pytest.mark.django_db


def _air_days(units, code, year, n_days, pm10):
    AirDaily.objects.bulk_create(
        AirDaily(
            unit=units[code],
            date=dt.date(year, 1, 1) + dt.timedelta(days=d),
            aqi=40,
            valid=True,
            pm10=pm10,
            standard="HJ633-2012",
            source="daily",
        )  # fmt: skip
        for d in range(n_days)
    )


def test_province_pm10_is_the_mean_of_the_city_annual_values(plan_2017, units):
    # 2016: both cities all year, 50 and 40 -> province 45.  2017: Haikou 365 days at 48, Sanya 330 days at 28:
    # mean of the cities (48 + 28) / 2 = 38, not the pooled city-days (48·365 + 28·330) / 695 = 38.50.
    _air_days(units, "460100", 2016, 366, 50.0)
    _air_days(units, "460200", 2016, 366, 40.0)
    _air_days(units, "460100", 2017, 365, 48.0)
    _air_days(units, "460200", 2017, 330, 28.0)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    e = Evaluation.objects.get(target__code="T16", unit__isnull=True, period="2017")
    assert e.value == pytest.approx((38 - 45) / 45 * 100)
    assert "各市县年均值的算术平均" in e.computed.basis


def _samples(units):
    rows = []
    for i in range(100):  # 监督抽检: 99/100 pass
        rows.append(("S", i, "合格" if i else "不合格", "监督抽检"))
    for i in range(50):  # 评价性抽检: 40/50 pass
        rows.append(("E", i, "合格" if i >= 10 else "不合格", "评价性抽检"))
    SamplingRecord.objects.bulk_create(
        SamplingRecord(
            sample_no=f"{p}{i}",
            enterprise="E",
            unit=units["460100"],
            product_category="糕点",
            product_group="food",
            sampling_date=dt.date(2017, 3, 1),
            result=r,
            failing_items="X" if r == "不合格" else "",
            sample_type=t,
        )  # fmt: skip
        for p, i, r, t in rows
    )


def test_plain_wording_counts_supervision_and_evaluation_with_the_other_scope_beside_it(plan_2017, units):
    # T04 reads 食品质量安全抽检合格率: a plain 抽检合格率 counts 监督抽检 + 评价性抽检 (99 + 40) / (100 + 50)
    _samples(units)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    assert hk.indicator.sample_scope == "supervision_evaluation"
    assert hk.value == pytest.approx(139 / 150 * 100)
    other = hk.computed.provenance["other_scope"]
    assert (other["qualified"], other["sampled"]) == (99, 100) and other["rate"] == pytest.approx(99.0)
    assert "监督抽检 + 评价性抽检" in hk.computed.basis and "99.0%" in hk.computed.basis


def test_wording_that_names_supervision_counts_supervision_only(plan_2017, units):
    plan_2017.targets.filter(code="T04").update(indicator="食品质量安全监督抽检合格率")
    _samples(units)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    assert hk.indicator.sample_scope == "supervision"
    assert hk.value == pytest.approx(99.0)
    other = hk.computed.provenance["other_scope"]
    assert (other["qualified"], other["sampled"]) == (139, 150)
    assert "仅监督抽检" in hk.computed.basis and "92.7%" in hk.computed.basis


def test_office_group_row_overrides_the_wording(plan_2017, units):
    _samples(units)
    PassRateScope.objects.create(product_group="food", scope="supervision")
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    assert hk.value == pytest.approx(99.0)
    assert hk.computed.provenance["other_scope"]["rate"] == pytest.approx(139 / 150 * 100)


def test_office_sets_the_scope_of_one_indicator(plan_2017, units, users):
    from qualityplan.indicators.methods import method_options
    from qualityplan.indicators.services import indicator_method_set, indicators_sync

    _samples(units)
    PassRateScope.objects.create(product_group="food", scope="supervision_evaluation")
    indicators_sync(plan=plan_2017)
    food = plan_2017.indicators.get(code="T04")
    only = next(o for o, _l, d in method_options() if d.get("group") == "food" and d["sample_scope"] == "supervision")
    indicator_method_set(user=users["office"], indicator=food, option=only)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    assert hk.value == pytest.approx(99.0)  # the indicator's own setting wins over the group's row


def test_withdrawing_a_sampling_batch_recomputes_the_evaluation(plan_2017, users, django_capture_on_commit_callbacks):
    header = "抽样编号,标称生产企业名称,被抽样单位所在市县,分类,样品名称,抽样日期,检验结果,不合格项目,抽检类型\n"
    good = header + "".join(f"G{i},甲,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n" for i in range(9))
    bad = header + "B1,乙,海口市,糕点,月饼,2017-03-05,不合格,菌落总数,监督抽检\n"
    import_file(kind="sampling", name="good.csv", data=good.encode(), user=users["office"])
    wrong = import_file(kind="sampling", name="bad.csv", data=bad.encode(), user=users["office"])
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    before = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017").value
    assert before == pytest.approx(90.0)  # 9/10
    with django_capture_on_commit_callbacks(execute=True):
        monitoring_services.import_batch_withdraw(user=users["office"], batch=wrong, reason="sample mix-up")
    after = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017").value
    assert after == pytest.approx(100.0)  # 9/9


def test_drill_down_lists_the_samples_of_the_scope(plan_2017, units, users, client_for):
    from qualityplan.indicators.views import drill_url

    _samples(units)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    r = client_for(users["viewer"]).get(drill_url(hk.computed))
    assert r.status_code == 200 and r.context["count"] == 150  # 监督抽检 + 评价性抽检, no 风险监测
    bad = client_for(users["viewer"]).get("/monitoring/records/sampling/?official=nonsense")
    assert bad.status_code == 400
