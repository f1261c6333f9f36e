"""Files as offices send them (issue 12): column wordings, catalogue, strict values; every bad file writes nothing."""

import io

import pytest
from openpyxl import Workbook

from qualityplan.monitoring.choices import ImportStatus, ProductGroup
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import (
    AirHourly,
    ImportBatch,
    NoiseMeasurement,
    SamplingRecord,
    Station,
    WaterSample,
)

from .test_importers import AIR_HEADER, air_csv

pytestmark = pytest.mark.django_db

SAMPLING_HEADER = "抽样编号,标称生产企业名称,被抽样单位所在市县,分类,样品名称,抽样日期,检验结果,不合格项目,抽检类型\n"


def _sampling(*rows: str, header: str = SAMPLING_HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()


def _nothing_written():
    return not (AirHourly.objects.exists() or SamplingRecord.objects.exists() or WaterSample.objects.exists())


# ------------------------------------------------------------------------------------------- column wordings


@pytest.mark.parametrize("station_header", ["section", "断面名称", "断面"])
def test_water_file_with_section_column_imports(units, station_header):
    data = f"市县,{station_header},采样日期,pH值,溶解氧,氨氮\n海口市,龙塘,2017-02-01,7.5,7.0,0.3\n".encode()
    batch = import_file(kind="water", name="water.csv", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert WaterSample.objects.get().station.code == "龙塘"


@pytest.mark.parametrize("station_header", ["point", "点位", "测点编码"])
def test_noise_file_with_point_column_imports(units, station_header):
    data = f"市县,{station_header},功能区,监测日期,时段,等效声级\n海口市,N1,1,2017-05-01,昼间,52\n".encode()
    batch = import_file(kind="noise", name="noise.csv", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert NoiseMeasurement.objects.get().leq == 52


@pytest.mark.parametrize("sample_header", ["record_id", "抽样编号", "抽样单编号", "样品编号"])
def test_sampling_file_with_record_id_wordings_imports(units, sample_header):
    header = SAMPLING_HEADER.replace("抽样编号", sample_header)
    batch = import_file(kind="sampling", name="s.csv",
                        data=_sampling("S1,甲公司,海口市,糕点,月饼,2017-03-02,合格,,监督抽检", header=header))  # fmt: skip
    assert batch.status == ImportStatus.DONE, batch.errors


def test_full_width_headers_are_normalised(units):
    data = "市县,站点代码,日期,小时,ＰＭ２．５\n海口市,HK01,2017-01-01,0,20\n".encode()
    batch = import_file(kind="air", name="fw.csv", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert AirHourly.objects.get().pm25 == 20


# ------------------------------------------------------------------------------------------- catalogue


def test_hierarchical_categories_resolve_to_agricultural_products(units):
    rows = [f"S{i},甲公司,海口市,{c},样品,2017-03-02,合格,,监督抽检"
            for i, c in enumerate(["农产品/蔬菜", "农产品/水果", "农产品/畜禽", "农产品/蔬菜/叶菜类", "农产品／水果"])]  # fmt: skip
    batch = import_file(kind="sampling", name="agri.csv", data=_sampling(*rows))
    assert batch.status == ImportStatus.DONE, batch.errors
    assert set(SamplingRecord.objects.values_list("product_group", flat=True)) == {ProductGroup.AGRI}


def test_aquatic_products_are_agricultural_never_industrial(units):
    batch = import_file(kind="sampling", name="a.csv",
                        data=_sampling("S1,甲公司,海口市,农产品/水产品,罗非鱼,2017-03-02,合格,,监督抽检"))  # fmt: skip
    assert batch.status == ImportStatus.DONE, batch.errors
    assert SamplingRecord.objects.get().product_group == ProductGroup.AGRI


def test_unknown_category_is_a_row_error_with_the_closest_entries(units):
    batch = import_file(kind="sampling", name="u.csv",
                        data=_sampling("S1,甲公司,海口市,水产,罗非鱼,2017-03-02,合格,,监督抽检",
                                       "S2,乙公司,海口市,某某产品,X,2017-03-02,合格,,监督抽检"))  # fmt: skip
    assert batch.status == ImportStatus.FAILED
    errors = {e["row"]: e for e in batch.errors}
    assert errors[2]["field"] == "product_category" and "水产品" in errors[2]["message"]
    assert errors[3]["field"] == "product_category" and "not in the product catalogue" in errors[3]["message"]
    assert _nothing_written()


def test_office_adds_a_catalogue_entry(users, client_for):
    from qualityplan.monitoring.models import ProductCategory

    c = client_for(users["office"])
    r = c.post("/monitoring/catalogue/", {"path": "工业产品/锂电池", "group": "industrial", "synonyms_text": "锂离子电池",
                                          "source": "", "active": "on"})  # fmt: skip
    assert r.status_code == 302
    assert ProductCategory.objects.get(path="工业产品/锂电池").synonyms == ["锂离子电池"]
    batch = import_file(kind="sampling", name="b.csv",
                        data=_sampling("S1,甲公司,海口市,锂离子电池,X,2017-03-02,合格,,监督抽检"))  # fmt: skip
    assert batch.status == ImportStatus.DONE, batch.errors
    assert client_for(users["city"]).post("/monitoring/catalogue/", {"path": "x", "group": "food"}).status_code == 403


# ------------------------------------------------------------------------------------------- bad files


BAD_FILES = {
    "duplicated header": ("air", AIR_HEADER.replace("NO2", "SO2") + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n",
                          (1, "SO2", "duplicated column")),
    "misspelled optional column": ("air", AIR_HEADER.replace("station,", "station,staton_name,").rstrip("\n")
                                   + "\n海口市,HK01,X,2017-01-01,0,8,15,40,20,0.6,60\n", (1, "staton_name", "unknown column")),
    "extra cell": ("air", AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60,99\n", (2, "row", "11 cells")),
    "missing cell": ("air", AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6\n", (2, "row", "9 cells")),
    "Infinity": ("air", AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,Infinity\n", (2, "O3", "not a finite number")),
    "1e308": ("air", AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,1e308\n", (2, "O3", "plausible range")),
    "year 1899": ("air", AIR_HEADER + "海口市,HK01,1899-01-01,0,8,15,40,20,0.6,60\n", (2, "date", "outside")),
    "year 2999": ("air", AIR_HEADER + "海口市,HK01,2999-01-01,0,8,15,40,20,0.6,60\n", (2, "date", "outside")),
    "look-alike station code": ("air", AIR_HEADER + "海口市,HK0\u0406,2017-01-01,0,8,15,40,20,0.6,60\n",
                                (2, "station", "look-alike")),
    "header only": ("air", AIR_HEADER, (2, "row", "no data rows")),
    "pH 15": ("water", "city,station,date,pH\n海口市,W1,2017-01-01,15\n", (2, "pH", "plausible range")),
    "noise 300 dB": ("noise", "city,station,zone,date,period,leq_dBA\n海口市,N1,1,2017-05-01,day,300\n",
                     (2, "leq_dBA", "plausible range")),
    "look-alike sample number": ("sampling", SAMPLING_HEADER + "S\u04251,甲公司,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n",
                                 (2, "sample_no", "look-alike")),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_row_and_column_and_writes_nothing(units, case):
    kind, text, (row, field, words) = BAD_FILES[case]
    batch = import_file(kind=kind, name="bad.csv", data=text.encode())
    assert batch.status == ImportStatus.FAILED
    assert any(e["row"] == row and e["field"] == field and words in e["message"] for e in batch.errors), batch.errors
    assert _nothing_written() and not Station.objects.exists()


def test_full_width_station_code_is_the_same_station(units):
    data = AIR_HEADER + "海口市,ＨＫ０１,2017-01-01,0,8,15,40,20,0.6,60\n海口市,HK01,2017-01-01,1,8,15,40,20,0.6,60\n"
    batch = import_file(kind="air", name="fw.csv", data=data.encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    assert list(Station.objects.values_list("code", flat=True)) == ["HK01"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_formula_without_cached_value_is_refused(units):
    data = _xlsx(
        [["city", "station", "date", "hour", "PM10", "PM2_5"], ["海口市", "HK01", "2017-01-01", 0, "=10*4", 20]]
    )  # fmt: skip  (openpyxl saves no cached value)
    batch = import_file(kind="air", name="f.xlsx", data=data)
    assert batch.status == ImportStatus.FAILED
    assert batch.errors[0]["row"] == 2 and "formula" in batch.errors[0]["message"]
    assert _nothing_written()


def test_xlsx_trailing_blank_cells_are_not_a_width_error(units):
    data = _xlsx([["city", "station", "date", "hour", "PM10"], ["海口市", "HK01", "2017-01-01", 0, 40, None, None]])
    batch = import_file(kind="air", name="ok.xlsx", data=data)
    assert batch.status == ImportStatus.DONE, batch.errors


# ------------------------------------------------------------------------------------------- templates


@pytest.mark.parametrize("kind", ["air", "water", "sea", "noise", "sampling", "station", "registry"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trips(users, client_for, kind, fmt):
    r = client_for(users["viewer"]).get(f"/monitoring/imports/templates/{kind}.{fmt}")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    batch = import_file(kind=kind, name=f"template.{fmt}", data=r.content)
    assert batch.status == ImportStatus.DONE, batch.errors
    assert batch.total_rows == 1


def test_template_command_writes_csv(capsys):
    from django.core.management import call_command

    call_command("import", "template", "noise")
    out = capsys.readouterr().out
    assert out.splitlines()[0].split(",")[:3] == ["市县", "站点代码", "站点名称"]
    assert "昼间" in out.splitlines()[1]


def test_unknown_template_is_404(users, client_for):
    assert client_for(users["viewer"]).get("/monitoring/imports/templates/nope.csv").status_code == 404


def test_air_file_missing_pollutants_names_the_columns(units):
    batch = import_file(kind="air", name="x.csv", data="city,station,date,hour\n海口市,HK01,2017-01-01,0\n".encode())
    assert batch.status == ImportStatus.FAILED and batch.errors[0]["field"] == "SO2…O3"


def test_overlapping_air_file_still_idempotent(units):
    import_file(kind="air", name="a.csv", data=air_csv(days=1))
    assert import_file(kind="air", name="b.csv", data=air_csv(days=2)).created_rows == 48
    assert ImportBatch.objects.filter(status=ImportStatus.DONE).count() == 2
