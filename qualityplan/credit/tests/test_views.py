import datetime as dt

import pytest
from django.urls import reverse

from qualityplan.credit import services
from qualityplan.credit.models import CreditEvent
from qualityplan.credit.tests.conftest import USCC_A

D = dt.date


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.CREDIT_PUBLIC_RATE = (1000, 60)


def test_public_query_shows_penalty_on_last_day_not_after(client, penalty, today):
    penalty(kinds=("通报批评",), date=D(2024, 1, 15), decision_no="琼质监罚〔2024〕7号")  # last day 2024-04-14
    url = reverse("credit:public")
    today(D(2024, 4, 14))
    r = client.get(url, {"q": "示例食品"})
    assert r.status_code == 200 and "琼质监罚〔2024〕7号" in r.content.decode()
    today(D(2024, 4, 15))
    r = client.get(url, {"q": USCC_A})
    assert r.status_code == 200 and "琼质监罚〔2024〕7号" not in r.content.decode()
    assert "海南示例食品有限公司" in r.content.decode()


def test_public_ignores_as_of_unless_office(client, client_for, users, penalty, today):
    penalty(kinds=("通报批评",), date=D(2024, 1, 15), decision_no="X-1")
    today(D(2024, 6, 1))
    url = reverse("credit:public")
    assert "X-1" not in client.get(url, {"q": "示例食品", "as_of": "2024-02-01"}).content.decode()
    assert "X-1" in client_for(users["office"]).get(url, {"q": "示例食品", "as_of": "2024-02-01"}).content.decode()


def test_public_never_shows_repaired_or_warning_only(client, users, penalty, repair_docs, today):
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15), decision_no="R-1")
    penalty(kinds=("警告",), date=D(2024, 1, 15), decision_no="W-1")
    today(D(2024, 8, 1))
    app = services.repair_apply(
        user=users["dept"],
        event=ev,
        applicant="法人",
        received_on=D(2024, 7, 20),
        reason="已履行",
        documents=repair_docs(),
    )
    url = reverse("credit:public")
    body = client.get(url, {"q": "示例食品"}).content.decode()
    assert "R-1" in body and "W-1" not in body
    services.repair_decide(
        user=users["dept"], application=app, grant=True, decided_on=D(2024, 8, 1), note="", version=1
    )
    assert "R-1" not in client.get(url, {"q": "示例食品"}).content.decode()


def test_public_query_validation_and_rate_limit(client, settings, enterprise):
    url = reverse("credit:public")
    assert client.get(url, {"q": "x"}).status_code == 400
    settings.CREDIT_PUBLIC_RATE = (2, 60)
    from django.core.cache import cache

    cache.clear()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    r = client.get(url)
    assert r.status_code == 429 and r["Retry-After"] == "60"


def test_blacklist_csv(client, users, enterprise, today):
    services.event_create(user=users["dept"], enterprise=enterprise, kind="blacklist_in", date=D(2022, 9, 1))
    today(D(2025, 8, 31))
    body = client.get(reverse("credit:public-blacklist")).content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0] == "uscc,enterprise,city,listed_on,listed_until,early_removal_from,decision_no"
    assert lines[1] == f"{USCC_A},海南示例食品有限公司,海口市,2022-09-01,2025-08-31,2023-09-01,"
    today(D(2025, 9, 1))
    assert len(client.get(reverse("credit:public-blacklist")).content.decode("utf-8-sig").strip().splitlines()) == 1


def test_documents_only_through_the_checked_view(client, client_for, users, penalty, repair_docs, today):
    today(D(2024, 8, 1))
    ev = penalty(kinds=("罚款",), date=D(2024, 1, 15))
    app = services.repair_apply(
        user=users["dept"],
        event=ev,
        applicant="法人",
        received_on=D(2024, 7, 20),
        reason="已履行",
        documents=repair_docs(),
    )
    doc = app.documents.first()
    url = reverse("credit:document", args=[doc.pk])
    assert client.get(url).status_code == 302  # sign in first
    assert client_for(users["dept2"]).get(url).status_code == 404
    r = client_for(users["dept"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client_for(users["viewer"]).get(url).status_code == 200


def test_pages_render(client_for, users, penalty, today):
    today(D(2024, 3, 1))
    ev = penalty()
    c = client_for(users["dept"])
    assert c.get(reverse("credit:enterprises"), {"q": "示例"}).status_code == 200
    body = c.get(reverse("credit:enterprise", args=[ev.enterprise_id])).content.decode()
    assert ev.decision_no in body and "2024-07-15" in body
    assert c.get(reverse("credit:repairs")).status_code == 200
    assert c.get(reverse("credit:repair-apply", args=[ev.pk])).status_code == 200
    assert client_for(users["dept2"]).get(reverse("credit:repair-apply", args=[ev.pk])).status_code == 403


def test_event_form_errors_are_400_naming_the_field(client_for, users, units):
    c = client_for(users["dept"])
    url = reverse("credit:event-create")
    r = c.post(url, {"enterprise": "某公司", "kind": "penalty", "date": "2024-13-01", "domain": "其他"})
    assert r.status_code == 400
    r = c.post(
        url, {"enterprise": "某公司", "kind": "penalty", "date": "2024-01-01", "domain": "其他", "penalties": ["罚款"]}
    )
    assert r.status_code == 400 and "罚款须填写金额" in r.content.decode()
    assert CreditEvent.objects.count() == 0
    r = c.post(
        url,
        {
            "uscc": USCC_A,
            "enterprise": "某公司",
            "kind": "penalty",
            "date": "2024-01-01",
            "domain": "其他",
            "penalties": ["通报批评"],
            "decision_no": "F-1",
        },
    )
    assert r.status_code == 302 and CreditEvent.objects.get().unit == units["QTS"]
    assert (
        client_for(users["viewer"])
        .post(url, {"enterprise": "某", "kind": "abnormal_in", "date": "2024-01-01", "domain": "其他"})
        .status_code
        == 403
    )
