import datetime as dt

import pytest

from qualityplan.credit.models import CreditEvent
from qualityplan.credit.tests.conftest import USCC_A

D = dt.date


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.CREDIT_PUBLIC_RATE = (1000, 60)


def test_entry_status_and_public(client, client_for, users, today):
    c = client_for(users["dept"])
    body = {
        "uscc": USCC_A,
        "enterprise": "海南示例食品有限公司",
        "kind": "penalty",
        "date": "2024-02-29",
        "decision_no": "A-1",
        "penalties": ["罚款"],
        "fine_yuan": "50000",
        "lower_amount": False,
        "domain": "食品",
    }
    r = c.post("/api/v1/credit/events/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert (r.json()["last_day"], r.json()["repair_from"]) == ("2027-02-27", "2025-02-28")
    r = c.get("/api/v1/credit/status/", {"as_of": "2027-02-27", "uscc": USCC_A})
    assert r.json()["class"] == "C" and r.json()["penalties"][0]["publicity_until"] == "2027-02-27"
    assert c.get("/api/v1/credit/status/", {"as_of": "2027-02-30", "uscc": USCC_A}).status_code == 400
    today(D(2027, 2, 27))
    assert client.get("/api/v1/credit/public/", {"q": USCC_A}).json()["results"][0]["items"][0]["decision_no"] == "A-1"
    today(D(2027, 2, 28))
    assert client.get("/api/v1/credit/public/", {"q": USCC_A}).json()["results"][0]["items"] == []
    assert client.get("/api/v1/credit/events/").status_code in (401, 403)


def test_api_errors_are_400_or_403(client_for, users):
    c = client_for(users["dept"])
    r = c.post(
        "/api/v1/credit/events/",
        {"enterprise": "X", "kind": "penalty", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["extra"]["field"] == "penalties"
    r = c.post(
        "/api/v1/credit/events/",
        {"enterprise": "X", "kind": "nope", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "kind" in r.json()
    v = client_for(users["viewer"])
    r = v.post(
        "/api/v1/credit/events/",
        {"enterprise": "X", "kind": "abnormal_in", "date": "2024-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert CreditEvent.objects.count() == 0


def test_enterprise_search_longer_than_100_characters_is_a_400_naming_q(client_for, users):
    c = client_for(users["office"])
    assert c.get("/api/v1/credit/enterprises/?q=" + "海" * 100).status_code == 200
    r = c.get("/api/v1/credit/enterprises/?q=" + "海" * 101)
    assert r.status_code == 400 and list(r.json()) == ["q"]
