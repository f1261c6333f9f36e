import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from qualityplan.standards.cli import main

DATA = Path(__file__).parent / "data"


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, list(csv.DictReader(io.StringIO(out))), err


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def test_iaqi_bad_rows_fail_then_skip(tmp_path, capsys):
    f = write(tmp_path / "in.csv", ["item", "concentration", "fallback_concentration", "site"],
              [["CO_24H", "2.2", "", "a"], ["SO2_1H", "900", "150", "b"], ["PM25_24H", "-1", "", "c"],
               ["PM10_24H", "abc", "", "d"], ["XX", "1", "", "e"], ["PM25_24H", "", "", "f"]])  # fmt: skip
    code, rows, err = run(capsys, ["iaqi", f, "--standard", "HJ633-2012"])
    assert code == 1 and rows == []
    assert "row 4: concentration: negative value -1" in err
    assert "row 5: concentration: not a number 'abc'" in err
    assert "row 6: unknown item 'XX'" in err
    code, rows, err = run(capsys, ["iaqi", f, "--standard", "HJ633-2012", "--skip-bad"])
    assert code == 0 and "3 bad row(s) skipped" in err
    assert [(r["site"], r["iaqi"]) for r in rows] == [("a", "55"), ("b", "100"), ("f", "")]


def test_aqi_worked_examples_both_editions(capsys):
    f = str(DATA / "aqi_worked_examples.csv")
    code, rows, _ = run(capsys, ["aqi", f, "--standard", "HJ633-2012"])
    assert code == 0
    by = {r["case"]: r for r in rows}
    assert by["co_edge"]["iaqi_CO"] == "55"
    assert by["pm_tie"]["aqi"] == "100" and by["pm_tie"]["primary_pollutants"] == "PM10;PM2_5"
    assert by["o3_1h_primary_2012"]["aqi"] == "190" and by["o3_1h_primary_2012"]["category"] == "中度污染"
    assert by["missing_no2"]["aqi"] == "132"
    code, rows, _ = run(capsys, ["aqi", f, "--standard", "HJ633-2026"])
    by = {r["case"]: r for r in rows}
    assert "iaqi_O3_1h_max" not in by["co_edge"]
    assert by["pm_tie"]["aqi"] == "114" and by["pm_tie"]["primary_pollutants"] == "PM2_5"
    assert by["missing_no2"]["aqi"] == "137" and by["missing_no2"]["level"] == "3"


def hourly_rows(days=3):
    rows = []
    for station, city, base in (("1001A", "海口", 40.0), ("1002A", "海口", 60.0), ("2001A", "三亚", 20.0)):
        for d in range(days):
            for h in range(24):
                rows.append([city, station, f"2025-01-{d + 1:02d}", h, 8, 20, base + 30, base, 0.7, 60 + 4 * h])
    return rows


HOURLY_HEADER = ["city", "station", "date", "hour", "SO2", "NO2", "PM10", "PM2_5", "CO", "O3"]


def test_air_daily_and_good_days_pipeline(tmp_path, capsys):
    f = write(tmp_path / "hourly.csv", HOURLY_HEADER, hourly_rows())
    out = tmp_path / "daily.csv"
    assert main(["air-daily", f, "--standard", "HJ633-2026", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["scope", "entity", "date", "SO2", "NO2", "PM10", "PM2_5", "CO", "O3_8h", "O3_1h_max",
                             "aqi", "level", "category", "primary_pollutants", "valid"]  # fmt: skip
    assert len(rows) == 9 + 6
    st = {(r["entity"], r["date"]): r for r in rows if r["scope"] == "station"}
    assert st[("1002A", "2025-01-01")]["PM2_5"] == "60" and st[("1002A", "2025-01-01")]["aqi"] == "100"
    city = {(r["entity"], r["date"]): r for r in rows if r["scope"] == "city"}
    assert city[("海口", "2025-01-02")]["PM2_5"] == "50"
    assert city[("海口", "2025-01-02")]["CO"] == "0.7"
    assert st[("2001A", "2025-01-03")]["O3_8h"] == "138"  # mean of hours 16..23 = 60 + 4*19.5
    assert st[("2001A", "2025-01-03")]["O3_1h_max"] == "152"
    code, gd, _ = run(capsys, ["good-days", str(out), "--period", "month"])
    assert code == 0
    g = {(r["scope"], r["entity"]): r for r in gd}
    assert g[("station", "1002A")] == {"scope": "station", "entity": "1002A", "period": "2025-01", "valid_days": "3",
                                       "good_days": "3", "ratio_percent": "100.0"}  # fmt: skip
    code, gd, _ = run(capsys, ["good-days", str(out), "--period", "year"])
    assert {r["period"] for r in gd} == {"2025"}


def test_air_daily_bad_rows(tmp_path, capsys):
    rows = hourly_rows(1)
    rows.append(rows[0][:])  # duplicate hour
    rows.append(["海口", "1001A", "2025-13-01", 0, 1, 1, 1, 1, 1, 1])
    rows.append(["海口", "1001A", "2025-01-05", 24, 1, 1, 1, 1, 1, 1])
    f = write(tmp_path / "h.csv", HOURLY_HEADER, rows)
    code, _, err = run(capsys, ["air-daily", f, "--standard", "HJ633-2012"])
    assert code == 1
    assert "row 74: duplicate station/date/hour of row 2" in err
    assert "row 75: date" in err and "row 76: hour" in err
    code, out, err = run(capsys, ["air-daily", f, "--standard", "HJ633-2012", "--skip-bad"])
    assert code == 0 and len(out) == 3 + 2


def test_water_sea_noise_commands(tmp_path, capsys):
    f = write(tmp_path / "w.csv", ["section", "water_body", "pH", "DO", "COD", "NH3N", "TP", "TN", "FC"],
              [["s1", "river", "7", "6", "18", "0.4", "0.08", "3", "50000"],
               ["s2", "lake", "7", "1.5", "32", "2.5", "0.12", "3", ""],
               ["s3", "sea", "7", "6", "18", "0.4", "0.08", "", ""]])  # fmt: skip
    code, rows, err = run(capsys, ["water", f, "--skip-bad"])
    assert "row 4: unknown water_body 'sea'" in err
    assert [(r["section"], r["class"], r["class_label"]) for r in rows] == [("s1", "3", "III"), ("s2", "6", "劣V")]
    assert rows[1]["exceed_iii"] == "NH3N:1.50;DO;TP:1.40;COD:0.60"
    code, rows, _ = run(capsys, ["water", f, "--skip-bad", "--method", "all_items"])
    assert rows[0]["class"] == "6"
    f = write(tmp_path / "s.csv", ["pH", "DO", "COD", "DIN", "PO4", "Petroleum"],
              [["8.1", "6.5", "1.5", "0.1", "0.01", "0.01"], ["8.1", "2", "1.5", "0.1", "0.01", "0.01"]])  # fmt: skip
    code, rows, _ = run(capsys, ["sea", f])
    assert [(r["class"], r["class_label"]) for r in rows] == [("1", "一类"), ("5", "劣四类")]
    f = write(tmp_path / "n.csv", ["point", "zone", "period", "leq_dBA"],
              [["p1", "4a", "night", "56.2"], ["p2", "1", "day", "55"], ["p3", "9", "day", "50"]])  # fmt: skip
    code, rows, err = run(capsys, ["noise", f])
    assert code == 1 and "row 4: unknown zone '9'" in err
    code, rows, _ = run(capsys, ["noise", f, "--skip-bad"])
    assert [(r["limit"], r["compliant"], r["exceed_db"]) for r in rows] == [("55", "0", "1.2"), ("55", "1", "0.0")]


def test_uscc_command_args_and_xlsx(tmp_path, capsys):
    code, rows, _ = run(capsys, ["uscc", "91350100M000100Y43", "91350100M000100Y4Z"])
    assert code == 0 and [r["valid"] for r in rows] == ["1", "0"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "name"])
    ws.append(["91350100M000100Y43", "x"])
    ws.append(["9135010", "y"])
    path = tmp_path / "codes.xlsx"
    wb.save(path)
    code, rows, _ = run(capsys, ["uscc", "--file", str(path)])
    assert [(r["code"], r["valid"], r["reason"]) for r in rows] == [
        ("91350100M000100Y43", "1", ""),
        ("9135010", "0", "wrong length 7 (expected 18)"),
    ]


def test_xlsx_input_for_aqi(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SO2", "NO2", "PM10", "PM2_5", "CO", "O3_8h"])
    ws.append([10, 20, 30, 20, 2.2, 50])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    code, rows, _ = run(capsys, ["aqi", str(path), "--standard", "HJ633-2026"])
    assert code == 0 and rows[0]["aqi"] == "55"


def test_usage_errors(tmp_path, capsys):
    assert main(["aqi", str(tmp_path / "nope.csv"), "--standard", "HJ633-2026"]) == 2
    f = write(tmp_path / "x.csv", ["SO2"], [["1"]])
    assert main(["aqi", f, "--standard", "HJ633-2026"]) == 2
    assert "missing column(s)" in capsys.readouterr().err
    assert main(["aqi", f, "--standard", "HJ633-2018"]) == 2


def test_console_script_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("qualityplan")
    if not exe.exists():
        pytest.skip("console script not installed")
    f = DATA / "aqi_worked_examples.csv"
    res = subprocess.run([str(exe), "standards", "aqi", str(f), "--standard", "HJ633-2026"],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["iaqi_CO"] == "55"
    assert np.isfinite(float(rows[0]["aqi"]))
