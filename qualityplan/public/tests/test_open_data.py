"""Open data: the DCAT-style catalogue validates against docs/open-data-catalog.schema.json; each data set downloads as
CSV (UTF-8 with BOM) and JSON with the same rows, at stable URLs, with ETag / Last-Modified and 304s."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from qualityplan.public import services

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "open-data-catalog.schema.json").read_text())


@pytest.fixture
def published(plan_2017, office, units):
    from qualityplan.indicators.models import RegistryItem

    RegistryItem.objects.create(
        kind="brand_product", name="=椰树牌椰汁", holder="椰树集团有限公司", unit=units["QTS"],
        region=units["460100"], date="2017-06-01", certificate_no="HNMP-2017-001", note="内部备注：不公开",
    )  # fmt: skip
    return {
        "plan": services.publication_publish(user=office, kind="plan", key="2017"),
        "registry": services.publication_publish(user=office, kind="registry", key="brand_product"),
    }


def _csv_rows(body: bytes) -> list[dict]:
    assert body[:3] == b"\xef\xbb\xbf"  # UTF-8 BOM for Excel
    return list(csv.DictReader(io.StringIO(body[3:].decode("utf-8"))))


def _as_csv(value) -> str:
    return "" if value is None else str(value)


def test_catalog_validates_against_the_documented_schema(published, anon):
    r = anon.get("/open-data/catalog.json")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    catalog = r.json()
    jsonschema.validate(catalog, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert {d["identifier"] for d in catalog["dataset"]} == {"plan-2017", "registry-brand_product"}
    plan = next(d for d in catalog["dataset"] if d["identifier"] == "plan-2017")
    assert [x["downloadURL"] for x in plan["distribution"]] == [
        "http://testserver/open-data/plan-2017.csv",
        "http://testserver/open-data/plan-2017.json",
    ]
    assert {"name": "unit", "title": "计量单位", "type": "string", "unit": ""} in plan["fields"]


def test_schema_rejects_a_dataset_without_fields(published, anon):
    catalog = anon.get("/open-data/catalog.json").json()
    del catalog["dataset"][0]["fields"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(catalog, SCHEMA)


@pytest.mark.parametrize("dataset", ["plan-2017", "registry-brand_product"])
def test_csv_and_json_have_the_same_rows(published, anon, dataset):
    as_csv = _csv_rows(anon.get(f"/open-data/{dataset}.csv").content)
    as_json = anon.get(f"/open-data/{dataset}.json").json()["rows"]
    assert len(as_csv) == len(as_json) > 0
    for c, j in zip(as_csv, as_json, strict=True):
        assert list(c) == list(j)
        assert {k: v.removeprefix("'") for k, v in c.items()} == {k: _as_csv(v) for k, v in j.items()}


def test_values_typed_from_the_plan_and_registry(published, anon):
    rows = {r["code"]: r for r in _csv_rows(anon.get("/open-data/plan-2017.csv").content)}
    # 2017 plan: "主要工业产品质量抽检合格率达到92.5%", "农业标准化生产普及率达到50%"
    assert (rows["T03"]["indicator"], rows["T03"]["value"], rows["T03"]["unit"]) == (
        "主要工业产品质量抽检合格率",
        "92.5",
        "%",
    )
    assert (rows["T01"]["value"], rows["T01"]["unit"]) == ("50", "%")
    reg = _csv_rows(anon.get("/open-data/registry-brand_product.csv").content)
    assert reg == [
        {
            "name": "'=椰树牌椰汁",
            "holder": "椰树集团有限公司",
            "region": "海口市",
            "date": "2017-06-01",
            "certificate_no": "HNMP-2017-001",
        }
    ]  # fmt: skip  (formula neutralised; no note)


def test_etag_last_modified_and_304(published, anon):
    r = anon.get("/open-data/plan-2017.csv")
    assert r.status_code == 200
    assert r["ETag"].startswith('"') and r["Last-Modified"].endswith("GMT")
    assert "filename*=UTF-8" in r["Content-Disposition"]
    again = anon.get("/open-data/plan-2017.csv", HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert anon.get("/open-data/plan-2017.csv", HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert (
        anon.get("/open-data/catalog.json", HTTP_IF_NONE_MATCH=anon.get("/open-data/catalog.json")["ETag"]).status_code
        == 304
    )


def test_stable_url_survives_a_refresh(published, office, anon):
    before = anon.get("/open-data/plan-2017.json").json()["rows"]
    services.publication_publish(user=office, kind="plan", key="2017")
    assert anon.get("/open-data/plan-2017.json").json()["rows"] == before


def test_unknown_datasets_are_404(published, anon):
    for url in ("/open-data/plan-2018.csv", "/open-data/nope-1.json", "/open-data/plan-2017.xml"):
        assert anon.get(url).status_code == 404


def test_dictionary_lists_fields(published, anon):
    body = anon.get("/open-data/dictionary/").content.decode()
    assert "certificate_no" in body and "证书/文号" in body


def test_rate_limit(published, anon, settings):
    settings.PUBLIC_RATE = (3, 60)
    codes = [anon.get("/open-data/plan-2017.csv").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
