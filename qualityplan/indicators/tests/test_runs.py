"""Evaluation runs are records: as-of, who, input versions, results; re-evaluation confirms and shows differences."""

import datetime as dt

import pytest

from qualityplan.core.models import ChangeLog
from qualityplan.indicators.models import Evaluation, EvaluationRun
from qualityplan.indicators.selectors import evaluation_run_diff, evaluation_run_previous
from qualityplan.indicators.services import evaluation_run
from qualityplan.indicators.tasks import evaluation_nightly_runs
from qualityplan.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_each_run_is_kept_with_its_as_of_actor_inputs_and_results(plan_2017, sampling_rows, users):
    first = evaluation_run(year=2017, as_of=dt.date(2017, 6, 30), user=users["office"], trigger="web")
    second = evaluation_run(year=2017, as_of=dt.date(2017, 12, 31))
    assert EvaluationRun.objects.filter(year=2017).count() == 2
    run1, run2 = EvaluationRun.objects.get(pk=first["run"]), EvaluationRun.objects.get(pk=second["run"])
    assert run1.as_of == dt.date(2017, 6, 30) and run1.started_by == users["office"] and run1.trigger == "web"
    assert run2.started_by is None and run2.trigger == "cli"
    # the sampling fixture: 205 records of 2017 (200 official + 5 risk monitoring)
    assert run1.inputs["sampling"]["rows"] == 205 and run1.inputs["plan"]["id"] == plan_2017.pk
    assert run2.results["2017"]["T04"]["status"] == "missed"
    assert run2.results["2017"]["T04"]["value"] == pytest.approx(189 / 200 * 100)
    assert sum(run2.totals.values()) == 46
    # the latest run is what the pages read
    assert set(Evaluation.objects.filter(year=2017).values_list("as_of", flat=True)) <= {
        dt.date(2017, 3, 31), dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31)}  # fmt: skip
    assert evaluation_run_previous(run2) == run1
    assert ChangeLog.objects.filter(object_id="*", after__run=run1.pk, user=users["office"]).exists()


def test_diff_names_what_changed():
    before = EvaluationRun(results={"2017": {"T01": {"status": "on_track", "value": 1.0, "units": {"460100": "met"}},
                                             "T02": {"status": "met", "value": 2.0, "units": {}}}})  # fmt: skip
    after = EvaluationRun(results={"2017": {"T01": {"status": "met", "value": 1.5, "units": {"460100": "missed"}},
                                            "T02": {"status": "met", "value": 2.0, "units": {}}}})  # fmt: skip
    assert evaluation_run_diff(after, before) == [
        {"period": "2017", "target": "T01", "status_before": "on_track", "status_after": "met",
         "value_before": 1.0, "value_after": 1.5, "units_changed": ["460100"]}
    ]  # fmt: skip
    assert evaluation_run_diff(after, None) == []


def test_as_of_outside_the_year_is_refused(plan_2017):
    from qualityplan.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        evaluation_run(year=2017, as_of=dt.date(2018, 1, 5))
    assert exc.value.extra["field"] == "as_of"


def test_reevaluate_asks_for_the_date_confirms_and_shows_the_difference(plan_2017, sampling_rows, users, client_for):
    c = client_for(users["office"])
    evaluation_run(year=2017, as_of=dt.date(2017, 6, 30))
    page = c.get("/indicators/evaluate/?year=2017")
    assert page.status_code == 200 and 'name="as_of"' in page.content.decode()
    # a first POST only asks for confirmation: nothing is run
    ask = c.post("/indicators/evaluate/?year=2017", {"as_of": "2017-12-31"})
    assert ask.status_code == 200 and 'name="confirm"' in ask.content.decode()
    assert EvaluationRun.objects.count() == 1
    bad = c.post("/indicators/evaluate/?year=2017", {"as_of": "31.12.2017", "confirm": "1"})
    assert bad.status_code == 400 and EvaluationRun.objects.count() == 1
    outside = c.post("/indicators/evaluate/?year=2017", {"as_of": "2018-01-02", "confirm": "1"})
    assert outside.status_code == 400 and EvaluationRun.objects.count() == 1
    done = c.post("/indicators/evaluate/?year=2017", {"as_of": "2017-12-31", "confirm": "1"})
    assert done.status_code == 302 and EvaluationRun.objects.count() == 2
    detail = c.get(done["Location"])
    html = detail.content.decode()
    assert detail.status_code == 200 and 'id="run-diff"' in html and "T04" in html
    assert c.get("/indicators/runs/?year=2017").status_code == 200
    assert client_for(users["city"]).get("/indicators/evaluate/?year=2017").status_code == 403


def test_nightly_job_runs_each_published_plan_of_the_current_year(plan_2017, settings):
    settings.QUALITYPLAN_TODAY = "2017-11-30"
    assert len(evaluation_nightly_runs()) == 1
    assert EvaluationRun.objects.get().trigger == "nightly"
    settings.QUALITYPLAN_TODAY = "2019-03-01"  # no plan for 2019: nothing to run
    assert evaluation_nightly_runs() == []
    assert Plan.objects.count() == 1
