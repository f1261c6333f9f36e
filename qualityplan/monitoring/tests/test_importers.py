import io

import pytest
from openpyxl import Workbook

from qualityplan.monitoring.choices import ImportStatus, ProductGroup, StationKind
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import (
    AirDaily,
    AirHourly,
    ImportBatch,
    NoiseMeasurement,
    SamplingRecord,
    SeaSample,
    Station,
    WaterSample,
)

pytestmark = pytest.mark.django_db

AIR_HEADER = "city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3\n"


def air_csv(days=2, stations=(("海口市", "HK01"), ("469002", "QH01")), pm10=40.0):
    lines = [AIR_HEADER]
    for city, st in stations:
        for d in range(1, days + 1):
            for h in range(24):
                lines.append(f"{city},{st},2017-01-{d:02d},{h},8,15,{pm10},20,0.6,60\n")
    return "".join(lines).encode()


def test_air_import_creates_hours_stations_and_daily_values(units):
    batch = import_file(kind="air", name="air.csv", data=air_csv())
    assert batch.status == ImportStatus.DONE, batch.errors
    assert batch.created_rows == 2 * 2 * 24
    assert AirHourly.objects.count() == 96
    st = Station.objects.get(code="QH01")
    assert st.unit.code == "469002" and st.kind == StationKind.AIR
    # station-days and city-days, with AQI from qualityplan.standards
    assert AirDaily.objects.filter(station__isnull=False).count() == 4
    city = AirDaily.objects.get(station__isnull=True, unit__code="460100", date="2017-01-01")
    assert city.valid and city.aqi is not None and city.pm10 == pytest.approx(40.0)
    assert city.standard == "HJ633-2012"


def test_same_file_twice_adds_nothing(units):
    first = import_file(kind="air", name="air.csv", data=air_csv())
    before = (AirHourly.objects.count(), AirDaily.objects.count(), Station.objects.count())
    second = import_file(kind="air", name="air-copy.csv", data=air_csv())
    assert second.status == ImportStatus.DUPLICATE
    assert f"#{first.pk}" in second.message
    assert (AirHourly.objects.count(), AirDaily.objects.count(), Station.objects.count()) == before


def test_overlapping_file_is_idempotent_by_natural_key(units):
    import_file(kind="air", name="a.csv", data=air_csv(days=1))
    batch = import_file(kind="air", name="b.csv", data=air_csv(days=2))
    assert batch.status == ImportStatus.DONE
    assert batch.created_rows == 48 and batch.skipped_rows == 48
    assert AirHourly.objects.count() == 96


def test_malformed_file_changes_nothing_and_reports_every_bad_row(units):
    data = (
        (
            AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n"
            "海口市,HK01,2017-13-01,1,8,15,40,20,0.6,60\n"  # row 3: bad date
            "火星市,HK02,2017-01-01,2,8,15,40,20,0.6,60\n"  # row 4: unknown city
            "海口市,HK01,2017-01-01,25,8,15,40,20,0.6,60\n"  # row 5: bad hour
            "海口市,HK01,2017-01-01,3,8,abc,-4,20,0.6,60\n"  # row 6: NO2 not a number, PM10 negative
            "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n"  # row 7: duplicate of row 2
        ).encode()
    )
    batch = import_file(kind="air", name="bad.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    found = {(e["row"], e["field"]) for e in batch.errors}
    assert {(3, "date"), (4, "city"), (5, "hour"), (6, "NO2"), (6, "PM10"), (7, "hour")} <= found
    assert all(e["file"] == "bad.csv" for e in batch.errors)
    assert AirHourly.objects.count() == 0 and Station.objects.count() == 0 and AirDaily.objects.count() == 0


def test_duplicate_rows_name_both_rows_and_blank_lines_keep_row_numbers(units):
    data = (
        (
            AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n"  # row 2
            "\n"  # row 3: blank, skipped
            "海口市,HK01,2017-01-01,1,8,15,40,20,0.6,60\n"  # row 4
            "海口市,HK01,2017/01/01,0,8,15,40,20,0.6,60\n"  # row 5: same hour as row 2 (other date spelling)
            "海口市,HK01,2017-01-01,1,8,15,,20,0.6,60\n"  # row 6: same hour as row 4
            "海口市,HK01,2017-01-01,x,8,15,40,20,0.6,60\n"  # row 7: bad hour
        ).encode()
    )
    batch = import_file(kind="air", name="dup.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    dups = [(e["row"], e["message"]) for e in batch.errors if e["field"] == "hour" and "duplicate" in e["message"]]
    assert dups == [(5, "duplicate of row 2 in this file"), (6, "duplicate of row 4 in this file")]
    assert (7, "hour") in {(e["row"], e["field"]) for e in batch.errors}
    assert AirHourly.objects.count() == 0


def test_overlapping_file_recomputes_daily_values_from_all_hours(units):
    import_file(kind="air", name="a.csv", data=air_csv(days=1, stations=(("海口市", "HK01"),), pm10=40.0))
    batch = import_file(
        kind="air", name="b.csv", data=air_csv(days=2, stations=(("海口市", "HK01"), ("海口市", "HK02")), pm10=60.0)
    )
    assert batch.status == ImportStatus.DONE and batch.created_rows == 72 and batch.skipped_rows == 24
    day1 = AirDaily.objects.get(station__isnull=True, unit__code="460100", date="2017-01-01")
    assert day1.pm10 == pytest.approx(50.0)  # HK01 kept its 40, HK02 brought 60
    assert AirDaily.objects.filter(station__isnull=False).count() == 4
    assert AirDaily.objects.filter(station__isnull=True).count() == 2


def test_missing_columns_are_reported(units):
    batch = import_file(kind="sampling", name="s.csv", data="enterprise,city\nX,海口市\n".encode())
    assert batch.status == ImportStatus.FAILED
    assert {e["field"] for e in batch.errors} >= {"sample_no", "result", "sample_type"}


def test_station_of_another_unit_is_a_row_error(units):
    import_file(kind="air", name="a.csv", data=air_csv(days=1, stations=(("海口市", "HK01"),)))
    batch = import_file(kind="air", name="b.csv", data=air_csv(days=1, stations=(("三亚市", "HK01"),)))
    assert batch.status == ImportStatus.FAILED
    assert batch.errors[0]["field"] == "city" and "海口市" in batch.errors[0]["message"]


SAMPLING = (
    "抽样编号,标称生产企业名称,统一社会信用代码,被抽样单位所在市县,产品类别,样品名称,抽样日期,检验结果,不合格项目,抽检类型,公告号\n"
    "S1,海南甲食品有限公司,91460000MA5T000000,海口市,糕点,月饼,2017-03-02,合格,,监督抽检,2017年第1期\n"
    "S2,海南乙食品有限公司,,三亚市,饮料,椰汁,2017-03-05,不合格,菌落总数,监督抽检,2017年第1期\n"
    "S3,海南丙药业,,儋州市,化学药品,片剂,2017-04-01,合格,,风险监测,\n"
    "S4,洋浦某化工,,洋浦经济开发区,塑料管材产品,PE管,2017-05-01,合格,,评价性抽检,\n"
)


def test_sampling_import_with_samr_columns(units):
    batch = import_file(kind="sampling", name="samr.csv", data=SAMPLING.encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    assert SamplingRecord.objects.count() == 4
    s1, s3, s4 = (SamplingRecord.objects.get(sample_no=n) for n in ("S1", "S3", "S4"))
    assert s1.product_group == ProductGroup.FOOD and s1.uscc_valid is False  # check character wrong
    assert s3.product_group == ProductGroup.DRUG and s3.sample_type == "风险监测"
    assert s4.unit.code == "YANGPU" and s4.product_group == ProductGroup.INDUSTRIAL
    assert "GB 32100" in batch.message


def test_sampling_fail_needs_failing_items(units):
    data = SAMPLING.replace("不合格,菌落总数", "不合格,").encode()
    batch = import_file(kind="sampling", name="samr.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    assert batch.errors == [
        {"file": "samr.csv", "row": 3, "field": "failing_items", "message": batch.errors[0]["message"]}
    ]


def test_xlsx_import(units):
    wb = Workbook()
    ws = wb.active
    ws.append(["city", "station", "station_name", "date", "kind", "water_body", "pH", "DO", "CODMn", "NH3N", "TP"])
    ws.append(["海口市", "W1", "南渡江龙塘", "2017-02-01", "surface", "river", 7.5, 7.0, 3.0, 0.3, 0.1])
    ws.append(["海口市", "W1", "南渡江龙塘", "2017-03-01", "surface", "river", 7.5, 4.0, 3.0, 1.2, 0.1])
    ws.append(["海口市", "D1", "永庄水库", "2017-03-01", "drinking", "lake", 7.2, 7.5, 2.0, 0.2, 0.02])
    buf = io.BytesIO()
    wb.save(buf)
    batch = import_file(kind="water", name="water.xlsx", data=buf.getvalue())
    assert batch.status == ImportStatus.DONE, batch.errors
    a, b = WaterSample.objects.filter(station__code="W1").order_by("date")
    assert a.water_class == 2  # DO 7.0 class II? -> at most II (NH3N 0.3 class II)
    assert b.water_class == 4 and "NH3N" in b.exceed_iii
    assert Station.objects.get(code="D1").kind == StationKind.DRINKING


def test_sea_and_noise_import(units):
    sea = "city,station,date,pH,DO,COD,DIN,PO4,Petroleum\n海口市,SEA1,2017-05-01,8.1,6.5,1.0,0.1,0.01,0.01\n"
    assert import_file(kind="sea", name="sea.csv", data=sea.encode()).status == ImportStatus.DONE
    assert SeaSample.objects.get().sea_class == 1
    noise = "city,station,zone,date,period,leq_dBA\n海口市,N1,1,2017-05-01,day,55\n海口市,N1,1,2017-05-01,夜间,46.5\n"
    batch = import_file(kind="noise", name="noise.csv", data=noise.encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    day, night = NoiseMeasurement.objects.order_by("period")
    assert (day.period, day.compliant, day.limit) == ("day", True, 55)
    assert (night.compliant, night.limit) == (False, 45)


def test_unsupported_file_type(units):
    batch = import_file(kind="air", name="air.pdf", data=b"%PDF")
    assert batch.status == ImportStatus.FAILED and batch.errors[0]["field"] == "file"
    assert ImportBatch.objects.filter(status=ImportStatus.DONE).count() == 0


@pytest.mark.parametrize(
    "text",
    [
        AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n海口市,HK01,2017-01-01,1, 8 ,,40,20,0.6,60\n",
        AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60",  # no final line end
        (AIR_HEADER + "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n").replace("\n", "\r\n"),
        AIR_HEADER + '"海口市",HK01,2017-01-01,0,8,15,40,20,0.6,60\n',  # quoted: csv.reader
        AIR_HEADER + "海口市,HK01,2017-01-01,0,8\n\n,,,,,,,,,\n海口市,HK01,2017-01-01,1,8,15,40,20,0.6,60,extra\n",
        AIR_HEADER,
    ],
)
def test_plain_csv_fast_path_reads_what_csv_reader_reads(text, monkeypatch):
    """Plain splitting, csv.reader, and either of them in chunks of 1 or 2 rows: the same columns and row numbers."""
    from qualityplan.monitoring import tables
    from qualityplan.monitoring.ingest.columns import DICTIONARY

    def seen(rows=None):
        try:
            t = tables.read_table(text.encode(), "a.csv", DICTIONARY["air"], rows=rows)
        except tables.ImportFailed as exc:  # wrong row width, header only: the same errors either way
            return [str(e) for e in exc.errors]
        return t.header, {k: tuple(v) for k, v in t.columns.items()}, [t.row_number(i) for i in range(t.n)]

    fast = seen()
    assert fast == seen(rows=1) == seen(rows=2)
    scan = tables._csv_scan
    monkeypatch.setattr(tables, "_csv_scan", lambda fh, name: (scan(fh, name)[0], False))
    assert fast == seen() == seen(rows=1) == seen(rows=2)


def test_air_rows_with_blank_values_are_stored_as_null(units):
    # 97 rows: SQLite writes them 50 per statement plus a remainder; PostgreSQL COPYs the blank cells as text
    data = air_csv(days=2) + "海口市,HK01,2017-01-03,0,8,,40,20,0.6,60\n".encode()
    batch = import_file(kind="air", name="blank.csv", data=data)
    assert batch.status == ImportStatus.DONE and batch.created_rows == 97
    row = AirHourly.objects.get(station__code="HK01", date="2017-01-03", hour=0)
    assert row.no2 is None and row.so2 == 8 and row.batch_id == batch.pk


def test_air_insert_keeps_existing_rows_even_when_called_as_fresh(units):
    """A concurrent import may write the same keys after the 'fresh' check: the insert falls back, keeps them."""
    import numpy as np

    from qualityplan.monitoring.ingest.progress import Progress
    from qualityplan.monitoring.ingest.writers import air_insert

    first = import_file(kind="air", name="a.csv", data=air_csv(days=1))
    rows = list(AirHourly.objects.order_by("id").values_list("station_id", "date", "hour", "pm10"))
    st = np.array([r[0] for r in rows], dtype=np.int64)
    date64 = np.array([r[1].isoformat() for r in rows], dtype="datetime64[D]")
    hours = np.array([r[2] for r in rows], dtype=np.int64)
    values = {"PM10": np.full(len(rows), 99.0)}
    created = air_insert(st, date64, hours, values, first, Progress(None), fresh=True)
    assert created == 0
    assert AirHourly.objects.count() == len(rows) and not AirHourly.objects.filter(pm10=99.0).exists()


def test_air_station_codes_are_stripped_and_checked_per_row(units):
    long_code = "X" * 41
    data = (
        (
            AIR_HEADER + "海口市, HK01 ,2017-01-01,0,8,15,40,20,0.6,60\n"  # row 2: same station as row 3 once stripped
            "海口市,HK01,2017-01-01,0,8,15,40,20,0.6,60\n"  # row 3: duplicate of row 2
            "海口市, ,2017-01-01,1,8,15,40,20,0.6,60\n"  # row 4: blank station
            f"海口市,{long_code},2017-01-01,2,8,15,40,20,0.6,60\n"  # row 5: too long
            "海口市,,2017-01-01,3,8,15,40,20,0.6,60\n"  # row 6: blank station
        ).encode()
    )
    batch = import_file(kind="air", name="st.csv", data=data)
    assert batch.status == ImportStatus.FAILED
    station_errors = [(e["row"], e["message"]) for e in batch.errors if e["field"] == "station"]
    assert station_errors == [(4, "value is required"), (6, "value is required"), (5, "longer than 40 characters")]
    assert (3, "duplicate of row 2 in this file") in {(e["row"], e["message"]) for e in batch.errors}
    ok = import_file(
        kind="air", name="ok.csv", data=(AIR_HEADER + "海口市, HK01 ,2017-01-01,0,8,15,40,20,0.6,60\n").encode()
    )
    assert ok.status == ImportStatus.DONE and Station.objects.filter(code="HK01").exists()
