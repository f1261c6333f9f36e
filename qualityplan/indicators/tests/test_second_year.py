"""The second year: a 2018 plan (the 2017 plan moved by one year) coexists with 2017 and is measured the same way."""

import datetime as dt

import pytest

from qualityplan.core.exceptions import ApplicationError
from qualityplan.indicators.models import EvaluationRun, RegistryItem
from qualityplan.indicators.services import evaluation_run
from qualityplan.monitoring.models import AirDaily, SamplingRecord, Station, WaterSample
from qualityplan.plans import interchange
from qualityplan.plans.services import plan_export, plan_load, plan_publish

pytestmark = pytest.mark.django_db


def _shift(d: dt.date, years: int = 1) -> dt.date:
    return d.replace(year=d.year + years)


@pytest.fixture
def records_2017(units, sampling_rows):
    """Food samples (sampling_rows), daily air for two cities in 2016 and 2017 (the same pattern both years, so
    that the PM10 change against the year before is the same for 2017 and for 2018), river samples, registry items."""
    rows = []
    for year in (2016, 2017):
        for code, pm10 in (("460100", 42.0), ("460200", 36.0)):
            for d in range(365):
                rows.append(AirDaily(unit=units[code], date=dt.date(year, 1, 1) + dt.timedelta(days=d),
                                     aqi=130 if d % 29 == 0 else 60, valid=True, pm10=pm10 - (d % 3),
                                     standard="HJ633-2012", source="daily"))  # fmt: skip
    AirDaily.objects.bulk_create(rows)
    stations = [Station.objects.create(code=f"W{i}", name=f"W{i}", kind="surface", unit=units["460100"],
                                       water_body="river") for i in range(10)]  # fmt: skip
    WaterSample.objects.bulk_create(
        WaterSample(station=st, date=dt.date(2017, 3, 1), items={"DO": 7.0}, water_class=4 if i < 1 else 2)
        for i, st in enumerate(stations)
    )
    for i in range(12):
        RegistryItem.objects.create(kind="brand_product", name=f"P{i}", unit=units["QTS"], date=dt.date(2017, 4, 1))


def _copy_2017_records_to_2018():
    """The 2017 records imported again as 2018 records (every date one year later)."""
    air = [AirDaily(unit_id=a.unit_id, date=_shift(a.date), aqi=a.aqi, valid=a.valid, pm10=a.pm10,
                    standard=a.standard, source=a.source) for a in AirDaily.objects.filter(date__year=2017)]  # fmt: skip
    AirDaily.objects.bulk_create(air)
    samples = []
    for s in SamplingRecord.objects.filter(sampling_date__year=2017):
        s.pk, s.id = None, None
        s.sample_no, s.sampling_date = f"2018-{s.sample_no}", _shift(s.sampling_date)
        samples.append(s)
    SamplingRecord.objects.bulk_create(samples)
    WaterSample.objects.bulk_create(
        WaterSample(station_id=w.station_id, date=_shift(w.date), items=w.items, water_class=w.water_class)
        for w in WaterSample.objects.filter(date__year=2017)
    )
    for r in list(RegistryItem.objects.filter(date__year=2017)):
        RegistryItem.objects.create(kind=r.kind, name=f"{r.name}-2018", unit_id=r.unit_id, date=_shift(r.date))


def _by_label(results: dict, year: int) -> dict:
    """Results with the year taken out of the period labels and as-of dates, to compare two years."""
    return {
        period.replace(str(year), "YYYY"): {
            code: {**row, "as_of": row.get("as_of", "").replace(str(year), "YYYY")} for code, row in rows.items()
        }
        for period, rows in results.items()
    }


def test_a_2018_draft_leaves_2017_alone_and_published_2018_measures_the_same(plan_2017, records_2017, users):
    before = evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    results_2017 = EvaluationRun.objects.get(pk=before["run"]).results
    assert results_2017["2017"]["T04"]["status"] == "missed"  # 189/200 food samples pass (sampling_rows)

    plan_2018, _ = plan_load(data=interchange.shift_years(plan_export(plan=plan_2017), 1))
    assert plan_2018.status == "draft"
    again = evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    assert EvaluationRun.objects.get(pk=again["run"]).results == results_2017  # the draft changes nothing
    with pytest.raises(ApplicationError):
        evaluation_run(year=2018)  # a draft is not evaluated

    plan_publish(plan=plan_2018, user=users["office"])
    _copy_2017_records_to_2018()
    run_2018 = evaluation_run(year=2018, as_of=dt.date(2018, 12, 31))
    results_2018 = EvaluationRun.objects.get(pk=run_2018["run"]).results
    assert _by_label(results_2018, 2018) == _by_label(results_2017, 2017)
    assert run_2018["targets"] == before["targets"]
    # and 2017 is still what it was
    assert EvaluationRun.objects.filter(year=2017).latest("pk").results == results_2017
