import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.risk.models import Risk

D = dt.date


def test_pages_and_scope(users, complaint, client_for):
    office, county, city = client_for(users["office"]), client_for(users["county"]), client_for(users["city"])
    assert office.get("/risk/").status_code == 200
    r = county.get(f"/risk/{complaint.pk}/")
    assert r.status_code == 200 and complaint.number in r.content.decode()
    assert city.get(f"/risk/{complaint.pk}/").status_code == 404  # another city's risk
    assert office.get(f"/risk/{complaint.pk}/loop/").status_code == 200
    assert client_for(users["viewer"]).get("/risk/new/").status_code == 403


def test_create_form_400_names_field(users, client_for, today):
    today(D(2017, 9, 4))
    c = client_for(users["county"])
    r = c.post("/risk/new/", {"source_type": "complaint", "product_category": "", "description": "x",
                              "received_on": "2017-09-01"})  # fmt: skip
    assert r.status_code == 400 and "product_category" in r.context["form"].errors
    r = c.post("/risk/new/", {"source_type": "complaint", "product_category": "蔬菜", "description": "<b>x</b>",
                              "received_on": "2017-09-01", "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4")})  # fmt: skip
    risk = Risk.objects.get()
    assert r.status_code == 302 and risk.evidence.count() == 1
    page = c.get(f"/risk/{risk.pk}/").content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    doc = risk.evidence.get()
    url = f"/files/risk.riskevidence.file/{doc.pk}/"
    assert url in page  # linked through the one permission-checked download view, never a storage URL
    # private storage, random stored name (it may end in "…a.pdf" by chance: compare the whole base name)
    assert doc.file_name == "a.pdf" and doc.file.name.rsplit("/", 1)[-1] != "a.pdf"
    r = c.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4"
    assert client_for(users["city"]).get(url).status_code == 404  # another city's risk
    assert client_for(users["viewer"]).post(f"/risk/{risk.pk}/evidence/", {}).status_code == 403  # before the form


def test_import_page_lists_row_errors(users, client_for, today):
    today(D(2017, 9, 4))
    data = "信息来源,产品类别,风险描述,接收日期\n投诉举报,蔬菜,x,2017-9-1\n".encode()
    r = client_for(users["office"]).post("/risk/import/", {"file": SimpleUploadedFile("r.csv", data)})
    assert r.status_code == 400
    assert r.context["errors"] == [{"row": 2, "column": "接收日期", "message": "不是 YYYY-MM-DD 日期：“2017-9-1”"}]


def test_review_post_error_is_400(users, complaint, client_for):
    c = client_for(users["county"])
    r = c.post(f"/risk/{complaint.pk}/review/", {"stage": "work", "probability": "9", "severity": "2",
                                                 "opinion": "x", "version": complaint.version})  # fmt: skip
    assert r.status_code == 400
    r = c.post(f"/risk/{complaint.pk}/review/", {"stage": "work", "probability": "2", "severity": "2",
                                                 "opinion": "x", "version": complaint.version})  # fmt: skip
    assert r.status_code == 302
    complaint.refresh_from_db()
    assert complaint.level == "III"


def test_signals_page_validates_period(users, client_for):
    c = client_for(users["office"])
    assert c.get("/risk/signals/?year=2017&period=2017Q9").status_code == 400
    assert c.get("/risk/signals/?year=abc").status_code == 400
    assert c.get("/risk/signals/?year=2017&period=2017Q3").status_code == 200


def test_failing_sample_opens_a_risk_once(users, units, client_for, today):
    from qualityplan.monitoring.models import SamplingRecord

    today(D(2017, 9, 10))
    rec = SamplingRecord.objects.create(
        sample_no="S-9", enterprise="某公司", unit=units["469002"], product_category="蔬菜", product_group="agri",
        sampling_date=D(2017, 9, 5), result="不合格", failing_items="毒死蜱", sample_type="监督抽检",
    )  # fmt: skip
    assert client_for(users["county"]).post(f"/risk/samples/{rec.pk}/open/").status_code == 403
    office = client_for(users["office"])
    r = office.post(f"/risk/samples/{rec.pk}/open/")
    risk = Risk.objects.get()
    assert r.status_code == 302 and risk.source_ref == "S-9" and risk.region == units["469002"]
    assert list(risk.samples.all()) == [rec] and risk.received_on == D(2017, 9, 5)
    office.post(f"/risk/samples/{rec.pk}/open/")
    assert Risk.objects.count() == 1


def test_list_page_maps_open_risks_by_city_county(users, units, complaint, client_for):
    import json
    import re

    from qualityplan.risk import services

    # a second risk entered by 海口 (its own unit, no region) and graded 3 × 4 = 12 → I
    haikou = services.risk_create(user=users["city"], source_type="media", product_category="瓶装水", description="x")
    services.risk_review(user=users["city"], risk=haikou, stage="work", probability=3, severity=4, opinion="属实")
    page = client_for(users["office"]).get("/risk/").content.decode()
    data = json.loads(re.search(r'<script id="risk-map-data" type="application/json">(.*?)</script>', page).group(1))
    by = {row["name"]: (row["value"], row["levels"]) for row in data}
    assert by["琼海市"] == (1, {"-": 1}) and by["海口市"] == (1, {"I": 1}) and by["三亚市"] == (0, {})
    assert 'src="/static/qualityplan/risk_map.js"' in page and "<script>" not in page  # CSP: no inline script
    # 琼海's reporter sees only its own risk on the map
    county = client_for(users["county"]).get("/risk/").content.decode()
    data = json.loads(re.search(r'<script id="risk-map-data" type="application/json">(.*?)</script>', county).group(1))
    assert sum(row["value"] for row in data) == 1
