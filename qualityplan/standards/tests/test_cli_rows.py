"""Issue 22: every row-wise ``qualityplan standards`` command answers every input data row, in order.

Each input file has a header, valid rows, an all-empty row (``,,`` or ``""``), a row of spaces and a
row with whitespace-padded values.  Expected values come from the standards' tables:
HJ 633-2012 table 1 (CO 24 h 2–4 mg/m³ ↔ IAQI 50–100 → 2.2 gives 55; PM2.5 24 h 35 µg/m³ = IAQI 50),
GB 3838-2002 table 1 (DO ≥ 7.5 and COD ≤ 15 are class I), GB 3097-1997 (sea class 1), GB 3096-2008
table 1 (zone 1 day limit 55 dB(A)).
"""

import csv
import io

import openpyxl

from qualityplan.standards.cli import main

VALID = "91350100M000100Y43"  # valid GB 32100 code (test_cli.py)


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, list(csv.DictReader(io.StringIO(out))), err


def write_text(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_uscc_file_keeps_empty_blank_and_padded_rows(tmp_path, capsys):
    # the example: header, "", a row of spaces, one valid code; plus a padded code and an empty line
    f = write_text(tmp_path / "c.csv", f'code\n""\n   \n{VALID}\n  {VALID}  \n\n9135010\n')
    code, rows, err = run(capsys, ["uscc", "--file", f])
    assert code == 0, err
    assert [(r["code"], r["valid"], r["reason"]) for r in rows] == [
        ("", "0", "empty"),
        ("", "0", "empty"),
        (VALID, "1", ""),
        (VALID, "1", ""),
        ("", "0", "empty"),
        ("9135010", "0", "wrong length 7 (expected 18)"),
    ]


def test_uscc_args_and_xlsx_blank(tmp_path, capsys):
    code, rows, _ = run(capsys, ["uscc", "", "  ", f" {VALID} "])
    assert [(r["valid"], r["reason"]) for r in rows] == [("0", "empty"), ("0", "empty"), ("1", "")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["code", "name"])
    ws.append([VALID, "a"])
    ws.append([None, None])
    ws.append(["   ", "c"])
    ws.append([f" {VALID}", "d"])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    code, rows, _ = run(capsys, ["uscc", "--file", str(path)])
    assert [(r["valid"], r["reason"]) for r in rows] == [("1", ""), ("0", "empty"), ("0", "empty"), ("1", "")]


def test_iaqi_rows(tmp_path, capsys):
    f = write_text(tmp_path / "i.csv", "item,concentration,site\nCO_24H,2.2,a\n,,\n  ,  ,  \n PM25_24H , 35 , d \n")
    code, rows, err = run(capsys, ["iaqi", f, "--standard", "HJ633-2012"])
    assert code == 0, err
    assert [(r["site"], r["iaqi"]) for r in rows] == [("a", "55"), ("", ""), ("", ""), ("d", "50")]


def test_iaqi_blank_item_in_a_row_with_data_is_bad_and_skip_bad_counts(tmp_path, capsys):
    f = write_text(tmp_path / "i.csv", "item,concentration,site\nCO_24H,2.2,a\n  ,40,b\n,,\n")
    code, rows, err = run(capsys, ["iaqi", f, "--standard", "HJ633-2012"])
    assert code == 1 and rows == [] and "row 3: item: empty" in err
    code, rows, err = run(capsys, ["iaqi", f, "--standard", "HJ633-2012", "--skip-bad"])
    assert code == 0 and "1 bad row(s) skipped" in err
    assert [(r["site"], r["iaqi"]) for r in rows] == [("a", "55"), ("", "")]


def test_aqi_rows(tmp_path, capsys):
    f = write_text(
        tmp_path / "a.csv",
        "SO2,NO2,PM10,PM2_5,CO,O3_8h\n10,20,30,20,2.2,50\n,,,,,\n , , , , , \n 10 , 20 ,30,20, 2.2 ,50\n",
    )
    code, rows, err = run(capsys, ["aqi", f, "--standard", "HJ633-2026"])
    assert code == 0, err
    assert [r["aqi"] for r in rows] == ["55", "", "", "55"]


def test_water_rows(tmp_path, capsys):
    f = write_text(
        tmp_path / "w.csv",
        "section,water_body,DO,COD\ns1,river,8,14\n,,,\n  ,  ,  ,  \n s4 , river , 8 , 14 \n",
    )
    code, rows, err = run(capsys, ["water", f])
    assert code == 0, err
    assert [(r["section"], r["class"]) for r in rows] == [("s1", "1"), ("", ""), ("", ""), ("s4", "1")]


def test_sea_rows(tmp_path, capsys):
    f = write_text(
        tmp_path / "s.csv",
        "pH,DO,COD,DIN,PO4,Petroleum\n8.1,6.5,1.5,0.1,0.01,0.01\n,,,,,\n , , , , , \n 8.1 ,6.5,1.5,0.1,0.01, 0.01 \n",
    )
    code, rows, err = run(capsys, ["sea", f])
    assert code == 0, err
    assert [r["class"] for r in rows] == ["1", "", "", "1"]


def test_noise_rows(tmp_path, capsys):
    f = write_text(tmp_path / "n.csv", "point,zone,period,leq_dBA\np1,1,day,55\n,,,\n , , , \n p4 , 1 , day , 56 \n")
    code, rows, err = run(capsys, ["noise", f])
    assert code == 0, err
    assert [(r["point"], r["limit"], r["compliant"]) for r in rows] == [
        ("p1", "55", "1"),
        ("", "", ""),
        ("", "", ""),
        ("p4", "55", "0"),
    ]


def test_aggregating_commands_report_blank_rows_instead_of_dropping_them(tmp_path, capsys):
    head = "city,station,date,hour,SO2,NO2,PM10,PM2_5,CO,O3\n"
    f = write_text(tmp_path / "h.csv", head + "海口,1001A,2025-01-01,0,1,1,1,1,1,1\n,,,,,,,,,\n")
    code, _, err = run(capsys, ["air-daily", f, "--standard", "HJ633-2012"])
    assert code == 1 and "row 3: empty row" in err
    code, out, err = run(capsys, ["air-daily", f, "--standard", "HJ633-2012", "--skip-bad"])
    assert code == 0 and "1 bad row(s) skipped" in err
    f = write_text(tmp_path / "g.csv", "scope,entity,date,aqi\ncity,海口,2025-01-01,40\n , , , \n")
    code, _, err = run(capsys, ["good-days", f, "--period", "year"])
    assert code == 1 and "row 3: empty row" in err
    code, out, err = run(capsys, ["good-days", f, "--period", "year", "--skip-bad"])
    assert code == 0 and "1 bad row(s) skipped" in err
    assert [(r["valid_days"], r["good_days"]) for r in out] == [("1", "1")]
