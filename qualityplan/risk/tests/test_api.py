import datetime as dt

from qualityplan.risk.tests.test_detection import data  # noqa: F401  (fixture)

D = dt.date


def test_risk_api_flow(users, units, client_for, today):
    today(D(2017, 9, 4))
    office, county = client_for(users["office"]), client_for(users["county"])
    r = county.post("/api/v1/risk/risks/", {"source_type": "enterprise", "product_category": "瓶装水",
                                             "description": "企业自报批次菌落总数偏高"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    risk = r.json()
    assert risk["unit"] == "469002" and risk["stage"] == "intake"
    bad = county.post(f"/api/v1/risk/risks/{risk['id']}/reviews/", {"stage": "work", "probability": 5, "severity": 1,
                      "opinion": "x", "version": 1}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "probability" in bad.content.decode()
    r = county.post(f"/api/v1/risk/risks/{risk['id']}/reviews/", {"stage": "work", "probability": 4, "severity": 4,
                    "opinion": "x", "version": 1}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["level"] == "I"
    r = office.post(f"/api/v1/risk/risks/{risk['id']}/disposals/", {"kind": "recall", "owner": "469002"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 201 and r.json()["due_on"] == "2017-09-04"
    stale = county.post(f"/api/v1/risk/disposals/{r.json()['id']}/complete/", {"result": "已召回", "version": 9},
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 400
    assert client_for(users["city"]).get(f"/api/v1/risk/risks/{risk['id']}/").status_code == 404
    assert len(client_for(users["viewer"]).get("/api/v1/risk/risks/").json()["results"]) == 1


def test_signal_api(users, client_for, data):  # noqa: F811
    office = client_for(users["office"])
    assert office.get("/api/v1/risk/signals/?year=2017&period=2016Q1").status_code == 400
    rows = office.get("/api/v1/risk/signals/?year=2017&period=2017-07").json()
    key = next(r["key"] for r in rows if r["rule"] == "exact_binomial")
    assert client_for(users["county"]).post("/api/v1/risk/signals/", {"year": 2017, "key": key}).status_code == 403
    r = office.post("/api/v1/risk/signals/", {"year": 2017, "key": key})
    assert r.status_code == 201 and r.json()["source_type"] == "monitoring" and r.json()["region"] == "469002"
    assert office.post("/api/v1/risk/signals/", {"year": 2017, "key": key}).status_code == 400  # once
    assert office.post("/api/v1/risk/signals/", {"year": 2017, "key": key + "x"}).status_code == 400


def test_level_rules_are_data_edited_by_the_office(users, client_for):
    rows = client_for(users["viewer"]).get("/api/v1/risk/levels/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(r["level"], r["min_score"], r["disposal_workdays"]) for r in rows] == [
        ("I", 12, 0), ("II", 8, 3), ("III", 4, 10), ("IV", 1, 20),
    ]  # fmt: skip
    two = next(r for r in rows if r["level"] == "II")
    body = {"min_score": 9, "disposal_workdays": 5, "version": two["version"]}
    assert client_for(users["county"]).post(f"/api/v1/risk/levels/{two['id']}/edit/", body).status_code == 403
    office = client_for(users["office"])
    assert office.post(f"/api/v1/risk/levels/{two['id']}/edit/", {**body, "min_score": 12}).status_code == 400
    r = office.post(f"/api/v1/risk/levels/{two['id']}/edit/", body)
    assert r.status_code == 200 and (r.json()["min_score"], r.json()["disposal_workdays"]) == (9, 5)
    assert office.post(f"/api/v1/risk/levels/{two['id']}/edit/", body).status_code == 400  # stale version


def test_policy_before_validation_and_etag(users, units, client_for, today):
    today(D(2017, 9, 4))
    viewer, county = client_for(users["viewer"]), client_for(users["county"])
    # a reader gets 403 for an empty body (not 400 naming the missing fields)
    assert viewer.post("/api/v1/risk/risks/", {}, content_type="application/json").status_code == 403
    r = county.post("/api/v1/risk/risks/", {"source_type": "media", "product_category": "蔬菜", "description": "舆情"},
                    content_type="application/json")  # fmt: skip
    risk = r.json()
    detail = county.get(f"/api/v1/risk/risks/{risk['id']}/")
    assert detail["ETag"] == '"1"'
    body = {"stage": "work", "probability": 2, "severity": 3, "opinion": "核实"}
    url = f"/api/v1/risk/risks/{risk['id']}/reviews/"
    assert county.post(url, body, content_type="application/json", HTTP_IF_MATCH='"7"').status_code == 412
    r = county.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert r.status_code == 201 and r.json()["level"] == "III"  # 2 × 3 = 6: III (4–7)
    assert county.get(f"/api/v1/risk/risks/{risk['id']}/")["ETag"] == '"2"'
    # the same (now stale) If-Match again: refused before anything changes
    assert county.post(url, body, content_type="application/json", HTTP_IF_MATCH='"1"').status_code == 412
    assert county.get(url).json().__len__() == 1


def test_list_parameters_are_checked_not_cut(users, units, client_for):
    office = client_for(users["office"])
    assert office.get("/api/v1/risk/risks/?stage=closed&level=I&q=瓶装水").status_code == 200
    r = office.get("/api/v1/risk/risks/?q=" + "水" * 101)
    assert r.status_code == 400 and list(r.json()) == ["q"]
    r = office.get("/api/v1/risk/risks/?stage=nope")
    assert r.status_code == 400 and list(r.json()) == ["stage"]
    r = office.get("/api/v1/risk/risks/?level=V")
    assert r.status_code == 400 and list(r.json()) == ["level"]
