"""Pages and API within each role's scope; self-scoring and verification through HTTP; query counts."""

import pytest

from qualityplan.assessment.choices import RoundStatus
from qualityplan.assessment.models import ItemScore

pytestmark = pytest.mark.django_db


def go(client, url, **data):
    return client.post(url, data) if data else client.get(url)


def test_pages_render_for_every_role(round_2017, users, client_for):
    rnd = round_2017
    haikou = rnd.assessments.get(unit__code="460100")
    for role in ("office", "city", "inspector", "viewer", "dept"):
        c = client_for(users[role])
        assert c.get("/assessment/").status_code == 200
        assert c.get(f"/assessment/rounds/{rnd.pk}/").status_code == 200
        assert c.get(f"/assessment/schemes/{rnd.scheme_id}/").status_code == 200
    assert client_for(users["city"]).get(f"/assessment/rounds/{rnd.pk}/units/{haikou.unit_id}/").status_code == 200
    other = rnd.assessments.get(unit__code="469002")
    assert client_for(users["city"]).get(f"/assessment/rounds/{rnd.pk}/units/{other.unit_id}/").status_code == 404
    assert client_for(users["viewer"]).get(f"/assessment/rounds/{rnd.pk}/units/{other.unit_id}/").status_code == 200
    page = client_for(users["city"]).get(f"/assessment/rounds/{rnd.pk}/").content.decode()
    assert "海口市" in page and "琼海市" not in page


def test_self_scoring_then_verification_over_http(round_2017, users, client_for):
    rnd = round_2017
    office, city = client_for(users["office"]), client_for(users["city"])
    assert (
        office.post(f"/assessment/rounds/{rnd.pk}/transition/", {"to": RoundStatus.SELF_ASSESSMENT}).status_code == 302
    )
    item = ItemScore.objects.get(assessment__round=rnd, assessment__unit__code="460100", code="2.1.2")
    r = city.post(f"/assessment/items/{item.pk}/self/", {"points": "3", "note": "预算已列支"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.self_points == 3
    assert city.post(f"/assessment/items/{item.pk}/verify/", {"points": "1", "reason": "x"}).status_code == 302
    item.refresh_from_db()
    assert item.verified_points is None  # the city cannot verify
    office.post(f"/assessment/rounds/{rnd.pk}/transition/", {"to": RoundStatus.VERIFICATION})
    office.post(f"/assessment/items/{item.pk}/verify/", {"points": "2", "reason": "预算未单列"})
    item.refresh_from_db()
    assert item.verified_points == 2 and item.points == 2
    assert city.get(f"/assessment/rounds/{rnd.pk}/units/{item.assessment.unit_id}/sheet.docx").status_code == 200
    assert city.get(f"/assessment/rounds/{rnd.pk}/results.xlsx").status_code == 200
    assert city.get(f"/assessment/rounds/{rnd.pk}/report.docx").status_code == 404  # draft report: office only
    assert office.get(f"/assessment/rounds/{rnd.pk}/report.docx").status_code == 200
    unit_id = item.assessment.unit_id
    assert city.get(f"/assessment/summaries/{unit_id}/2017/annual.docx").status_code == 200
    other = rnd.assessments.get(unit__code="469002").unit_id
    assert city.get(f"/assessment/summaries/{other}/2017/annual.docx").status_code == 404
    # the read-only roles open every unit's summary draft linked from the unit pages they can see (issue 13)
    for role in ("viewer", "inspector"):
        assert client_for(users[role]).get(f"/assessment/summaries/{other}/2017/annual.docx").status_code == 200


def test_scheme_page_refuses_invalid_text_naming_the_item(scheme, users, client_for):
    c = client_for(users["office"])
    bad = scheme.text.replace("target: T21", "target: T77")
    r = c.post(f"/assessment/schemes/{scheme.pk}/", {"text": bad, "action": "save"})
    assert r.status_code == 200
    assert "1.2.3" in r.content.decode() and "T77" in r.content.decode()


def test_api_scope_and_actions(round_2017, users, client_for, django_assert_max_num_queries):
    rnd = round_2017
    office, city = client_for(users["office"]), client_for(users["city"])
    with django_assert_max_num_queries(8):
        data = office.get(f"/api/v1/assessment/results/?round={rnd.pk}").json()
    assert data["count"] == 20 if isinstance(data, dict) else len(data) == 20
    data = city.get(f"/api/v1/assessment/results/?round={rnd.pk}").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["unit"] for r in rows] == ["460100"]
    with django_assert_max_num_queries(8):
        office.get(f"/api/v1/assessment/items/?round={rnd.pk}")
    r = office.post(
        f"/api/v1/assessment/rounds/{rnd.pk}/transition/", {"to": "closed"}, content_type="application/json"
    )
    assert r.status_code == 400 and "不能从" in r.json()["message" if "message" in r.json() else "detail"]
    office.post(
        f"/api/v1/assessment/rounds/{rnd.pk}/transition/", {"to": "self_assessment"}, content_type="application/json"
    )
    item = ItemScore.objects.get(assessment__round=rnd, assessment__unit__code="460100", code="2.1.1")
    r = city.post(
        f"/api/v1/assessment/items/{item.pk}/self-score/",
        {"points": "4", "note": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["self_points"] == "4.00"
    ua = rnd.assessments.get(unit__code="460100")
    detail = city.get(f"/api/v1/assessment/results/{ua.pk}/").json()
    from decimal import Decimal

    assert sum(Decimal(line["points"]) for line in detail["explanation"]) == Decimal(detail["score"])
    r = office.post(
        "/api/v1/assessment/schemes/validate/",
        {"text": "code: x\nyear: 2017\ntitle: t\nitems: []\ntotal: 5\n"},
        content_type="application/json",
    )
    assert r.status_code == 400
