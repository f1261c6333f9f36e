import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qualityplan.core.exceptions import ApplicationError
from qualityplan.indicators import selectors, services
from qualityplan.indicators.choices import SubmissionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_q1(indicators_2017, users):
    return services.submission_get_or_create(unit=users["county"].unit, period="2017Q1")


def test_county_form_has_its_indicators(county_q1):
    assert sorted(county_q1.values.values_list("indicator__code", flat=True)) == ["T25", "T26"]
    assert county_q1.due_date == dt.date(2017, 4, 10)


def test_validation_names_the_field(county_q1, users):
    with pytest.raises(ApplicationError) as exc:
        services.submission_save(submission=county_q1, user=users["county"],
                                 values={"T25": {"numerator": "120", "denominator": "100"}, "T26": {"numerator": "x"}})  # fmt: skip
    errors = exc.value.extra["errors"]
    assert set(errors) == {"T25.numerator", "T26.numerator"}
    assert "分子不能大于分母" in errors["T25.numerator"]


def test_rate_must_be_within_0_100(indicators_2017, users):
    sub = services.submission_get_or_create(unit=users["dept"].unit.__class__.objects.get(code="AGRI"), period="2017Q1")
    office = users["office"]
    with pytest.raises(ApplicationError) as exc:
        services.submission_save(submission=sub, user=office, values={"T01": {"value": "101"}})
    assert list(exc.value.extra["errors"]) == ["T01.value"]


def test_submit_requires_every_field(county_q1, users):
    services.submission_save(
        submission=county_q1, user=users["county"], values={"T25": {"numerator": "80", "denominator": "100"}}
    )
    with pytest.raises(ApplicationError) as exc:
        services.submission_submit(submission=county_q1, user=users["county"])
    assert set(exc.value.extra["errors"]) == {"T26.numerator", "T26.denominator"}


def test_submit_review_return_lock_reopen(county_q1, users):
    county, office = users["county"], users["office"]
    services.submission_save(submission=county_q1, user=county,
                             values={"T25": {"numerator": "80", "denominator": "100"}, "T26": {"numerator": "9", "denominator": "10"}})  # fmt: skip
    services.submission_submit(submission=county_q1, user=county)
    assert county_q1.status == SubmissionStatus.SUBMITTED
    with pytest.raises(ApplicationError):  # locked while under review
        services.submission_save(submission=county_q1, user=county, values={"T25": {"numerator": "81"}})
    with pytest.raises(ApplicationError):  # only the office reviews
        services.submission_approve(submission=county_q1, user=county)
    with pytest.raises(ApplicationError) as exc:
        services.submission_return(submission=county_q1, user=office, reason=" ")
    assert exc.value.extra == {"field": "reason"}
    services.submission_return(submission=county_q1, user=office, reason="分母与统计年鉴不符")
    assert county_q1.status == SubmissionStatus.RETURNED and county_q1.return_reason == "分母与统计年鉴不符"
    services.submission_save(submission=county_q1, user=county, values={"T25": {"denominator": "110"}})
    services.submission_submit(submission=county_q1, user=county)
    services.submission_approve(submission=county_q1, user=office)
    assert county_q1.status == SubmissionStatus.APPROVED
    with pytest.raises(ApplicationError):
        services.submission_save(submission=county_q1, user=office, values={"T25": {"numerator": "1"}})
    services.submission_reopen(submission=county_q1, user=office, reason="复核")
    assert county_q1.status == SubmissionStatus.RETURNED


def test_other_unit_cannot_submit(county_q1, users):
    with pytest.raises(ApplicationError):
        services.submission_submit(submission=county_q1, user=users["city"])


def test_evidence_type_and_size(county_q1, users, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(ApplicationError) as exc:
        services.submission_save(submission=county_q1, user=users["county"], values={},
                                 evidence=SimpleUploadedFile("x.exe", b"1"))  # fmt: skip
    assert exc.value.extra["field"] == "evidence" and ".exe" in exc.value.message
    with pytest.raises(ApplicationError) as exc:
        services.submission_save(submission=county_q1, user=users["county"], values={},
                                 evidence=SimpleUploadedFile("x.pdf", b"01234567890"))  # fmt: skip
    assert "MB" in exc.value.message
    services.submission_save(
        submission=county_q1, user=users["county"], values={}, evidence=SimpleUploadedFile("x.pdf", b"%PDF-1.4")
    )
    assert county_q1.evidence.name.endswith(".pdf")


def test_completeness_and_timeliness(indicators_2017, users, plan_2017):
    county = users["county"].unit
    q1 = services.submission_get_or_create(unit=county, period="2017Q1")
    vals = {"T25": {"numerator": "8", "denominator": "10"}, "T26": {"numerator": "9", "denominator": "10"}}
    services.submission_save(submission=q1, user=users["county"], values=vals)
    services.submission_submit(submission=q1, user=users["county"])
    q1.first_submitted_at = timezone.make_aware(dt.datetime(2017, 4, 8, 9))
    q1.save()
    q2 = services.submission_get_or_create(unit=county, period="2017Q2")
    services.submission_save(submission=q2, user=users["county"], values=vals)
    services.submission_submit(submission=q2, user=users["county"])
    q2.first_submitted_at = timezone.make_aware(dt.datetime(2017, 7, 20, 9))  # due 07-10: late
    q2.save()
    services.submission_return(submission=q2, user=users["office"], reason="请补充证明材料")
    rows = {r["unit"].code: r for r in selectors.completeness(year=2017, as_of=dt.date(2017, 10, 31), plan=plan_2017)}
    r = rows["469002"]
    assert (r["expected"], r["submitted"], r["on_time"], r["late"], r["returned"], r["missing"]) == (3, 2, 1, 1, 1, 1)
    assert r["completeness"] == pytest.approx(66.7) and r["timeliness"] == pytest.approx(33.3)
    assert rows["460100"]["missing"] == 3 and rows["AGRI"]["expected"] == 3


def test_reported_values_feed_the_evaluation(indicators_2017, users):
    county = users["county"].unit
    q1 = services.submission_get_or_create(unit=county, period="2017Q1")
    services.submission_save(submission=q1, user=users["county"],
                             values={"T25": {"numerator": "70", "denominator": "100"}, "T26": {"numerator": "99", "denominator": "100"}})  # fmt: skip
    services.submission_submit(submission=q1, user=users["county"])
    services.evaluation_run(year=2017, as_of=dt.date(2017, 4, 30))
    from qualityplan.indicators.models import Evaluation

    e = Evaluation.objects.get(target__code="T25", unit=county, period="2017")
    assert e.value == pytest.approx(70.0) and e.status == "at_risk" and "含待审核数据" in e.explanation
    e26 = Evaluation.objects.get(target__code="T26", unit__isnull=True, period="2017")
    assert e26.status == "on_track"
