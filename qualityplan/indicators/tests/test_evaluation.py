import datetime as dt
import json

import pytest
from django.core.management import call_command

from qualityplan.indicators.choices import Status
from qualityplan.indicators.models import ComputedValue, Evaluation, Indicator, RegistryItem
from qualityplan.indicators.services import evaluation_run
from qualityplan.monitoring.models import AirDaily, Station

pytestmark = pytest.mark.django_db


def test_sync_creates_one_indicator_per_target(plan_2017, indicators_2017):
    assert Indicator.objects.count() == plan_2017.targets.count() == 46
    t15 = indicators_2017["T15"]
    assert t15.method == "computed" and t15.scope == "each_unit"
    assert t15.responsible_units.filter(code="YANGPU").exists()
    assert indicators_2017["T37"].method == "counted" and indicators_2017["T37"].registry_kind == "brand_product"
    assert indicators_2017["T04"].product_group == "food"


def test_every_target_gets_a_province_status(plan_2017):
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    rows = Evaluation.objects.filter(year=2017, period="2017", unit__isnull=True)
    assert rows.count() == 46
    assert set(rows.values_list("status", flat=True)) == {Status.NO_DATA}


def test_pass_rate_excludes_risk_monitoring_and_says_so(plan_2017, sampling_rows):
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    prov = Evaluation.objects.get(target__code="T04", unit__isnull=True, period="2017")
    assert prov.value == pytest.approx(189 / 200 * 100)
    assert prov.status == Status.MISSED
    assert "不含风险监测 5 批次" in prov.explanation
    hk = Evaluation.objects.get(target__code="T04", unit__code="460100", period="2017")
    assert hk.status == Status.MET and hk.value == pytest.approx(99.0)
    cv = hk.computed
    assert cv.provenance["records"] == "sampling" and cv.provenance["count"] == 100
    assert "风险监测" not in cv.provenance["filter"]["sample_type__in"]
    assert cv.ci_low < 99 < cv.ci_high


def test_rate_written_as_wei_is_met_at_or_above(plan_2017, units):
    """T18 "比例为92.5%": comparator '=' kept, read as ≥ 92.5 and the explanation says so."""
    from qualityplan.monitoring.models import WaterSample

    sts = [Station.objects.create(code=f"W{i}", name=f"W{i}", kind="surface", unit=units["460100"], water_body="river")
           for i in range(40)]  # fmt: skip
    samples = []
    for i, st in enumerate(sts):
        bad = i < 2  # 38/40 = 95 % ≥ 92.5
        samples.append(WaterSample(station=st, date=dt.date(2017, 3, 1), items={"DO": 7.0, "NH3N": 1.8 if bad else 0.2},
                                   water_class=5 if bad else 2))  # fmt: skip
    WaterSample.objects.bulk_create(samples)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    e = Evaluation.objects.get(target__code="T18", unit__isnull=True, period="2017")
    assert e.comparator == "=" and e.reading == ">="
    assert e.value == pytest.approx(95.0) and e.status == Status.MET
    assert "按不低于92.5%判定" in e.explanation


def _air(units, year, codes, aqi_fn, pm10):
    rows = []
    days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
    for code in codes:
        for d in range(days):
            day = dt.date(year, 1, 1) + dt.timedelta(days=d)
            rows.append(AirDaily(unit=units[code], date=day, aqi=aqi_fn(code, d), valid=True, pm10=pm10[code],
                                 standard="HJ633-2012", source="daily"))  # fmt: skip
    AirDaily.objects.bulk_create(rows)


def test_each_unit_target_summarised_n_of_20(plan_2017, units):
    local = [u.code for u in units.values() if u.is_local_government]
    assert len(local) == 20
    pm = dict.fromkeys(local, 40.0)
    _air(units, 2017, local, lambda c, d: 120 if (c == "460100" and d < 30) else 50, pm)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    prov = Evaluation.objects.get(target__code="T15", unit__isnull=True, period="2017")
    assert prov.units_met == 19 and prov.units_total == 20
    assert prov.status == Status.MISSED and prov.explanation.startswith("19/20 个市县达到")
    hk = Evaluation.objects.get(target__code="T15", unit__code="460100", period="2017")
    assert hk.status == Status.MISSED and "优良天数 335/365" in hk.explanation


def test_relative_target_against_previous_year(plan_2017, units):
    pm_prev = {"460100": 50.0, "460200": 40.0}
    pm_cur = {"460100": 48.0, "460200": 38.0}  # province 45 -> 43: −4.4 % ≥ 3 % reduction
    _air(units, 2016, pm_prev, lambda c, d: 40, pm_prev)
    _air(units, 2017, pm_cur, lambda c, d: 40, pm_cur)
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    e = Evaluation.objects.get(target__code="T16", unit__isnull=True, period="2017")
    assert e.value == pytest.approx((43 - 45) / 45 * 100)
    assert e.status == Status.MET and e.reading == "reduce_by"
    hk = Evaluation.objects.get(target__code="T16", unit__code="460100", period="2017")
    assert hk.status == Status.MET  # −4 %
    sy = Evaluation.objects.get(target__code="T16", unit__code="460200", period="2017")
    assert sy.status == Status.MET  # −5 %


def test_open_year_projection_for_counts(plan_2017, units):
    for i in range(10):
        RegistryItem.objects.create(kind="brand_product", name=f"P{i}", unit=units["QTS"], date=dt.date(2017, 3, 1))
    for i in range(70):
        RegistryItem.objects.create(kind="trademark", name=f"M{i}", unit=units["SAIC"], date=dt.date(2017, 3, 1))
    evaluation_run(year=2017, as_of=dt.date(2017, 6, 30))
    brand = Evaluation.objects.get(target__code="T37", unit__isnull=True, period="2017")
    assert brand.status == Status.AT_RISK  # 10 by mid-year -> ~20 by year-end < 28
    assert brand.projection["needed"] == 18 and "预计全年" in brand.explanation
    tm = Evaluation.objects.get(target__code="T38", unit__isnull=True, period="2017")
    assert tm.status == Status.ON_TRACK  # 70 by mid-year -> ~141 ≥ 80
    q1 = Evaluation.objects.get(target__code="T37", unit__isnull=True, period="2017Q1")
    assert q1.as_of == dt.date(2017, 3, 31)


@pytest.mark.parametrize(("bad_days", "reachable"), [(5, True), (10, False)])
def test_open_year_rate_projection(plan_2017, units, bad_days, reachable):
    _air(units, 2017, ["460100"], lambda c, d: 150 if d < bad_days else 50, {"460100": 40.0})
    AirDaily.objects.filter(date__gt=dt.date(2017, 2, 28)).delete()
    evaluation_run(year=2017, as_of=dt.date(2017, 2, 28))
    hk = Evaluation.objects.get(target__code="T15", unit__code="460100", period="2017")
    assert hk.status == Status.AT_RISK
    assert hk.projection["reachable"] is reachable and hk.projection["required_rate"] > 98
    assert ("剩余期间需达到" if reachable else "无法达到") in hk.explanation


def test_monthly_trend_values_stored(plan_2017, sampling_rows):
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    months = ComputedValue.objects.filter(indicator__code="T04", unit__isnull=True, period__startswith="2017-")
    assert months.count() == 10  # samples in Jan..Oct


def test_evaluate_command_json_and_table(plan_2017, sampling_rows, capsys):
    call_command("evaluate", "--year", "2017", "--as-of", "2017-12-31", "--unit", "海口市", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    t04 = next(r for r in rows if r["target"] == "T04" and r["period"] == "2017")
    assert t04["unit_code"] == "460100" and t04["status"] == "met" and t04["comparator"] == ">="
    call_command("evaluate", "--year", "2017", "--format", "table", "--unit", "province", "--no-run")
    out = capsys.readouterr().out
    assert "T46" in out and "no_data" in out and "explanation" in out.splitlines()[0]


def test_evaluate_is_repeatable(plan_2017, sampling_rows):
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    n = Evaluation.objects.count()
    evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    assert Evaluation.objects.count() == n
