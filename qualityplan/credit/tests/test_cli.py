import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qualityplan.core.models import ChangeLog
from qualityplan.credit.models import CreditEvent, Enterprise
from qualityplan.credit.tests.conftest import USCC_A, USCC_B

HEADER = (
    "uscc,enterprise,city,event,date,published,decision_no,penalties,fine_yuan,lower_amount,restrict_years,domain,note"
)
ROWS = [
    f"{USCC_A},海南甲食品有限公司,海口市,行政处罚,2024-02-29,,琼市监罚〔2024〕1号,罚款;没收,50000,否,,食品,",
    f"{USCC_A},海南甲食品有限公司,海口市,列入严重违法失信名单,2024-03-15,,,,,,,,",
    f"{USCC_B},海南乙公司,琼海市,行政处罚,2024-01-15,2024-01-20,琼海市监罚〔2024〕2号,通报批评,,,,其他,",
    f"{USCC_B},海南乙公司,琼海市,列入经营异常名录,2024-02-01,,,,,,,,未报送年报",
    f"{USCC_B},海南乙公司,琼海市,移出经营异常名录,2024-03-01,,,,,,,,已补报",
]


def write(tmp_path, lines, name="credit.csv"):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def status(day, uscc=None):
    out = io.StringIO()
    args = ["status", "--as-of", day, "--format", "json"] + (["--uscc", uscc] if uscc else [])
    call_command("credit", *args, stdout=out)
    return json.loads(out.getvalue())


def test_load_and_status(tmp_path, units):
    out = io.StringIO()
    call_command("credit", "load", str(write(tmp_path, [HEADER, *ROWS])), stdout=out)
    assert "5 rows loaded" in out.getvalue()
    assert ChangeLog.objects.filter(object_id="*", content_type__model="creditevent").exists()
    (a,) = status("2024-04-19", USCC_B)
    assert a == {
        "uscc": USCC_B,
        "name": "海南乙公司",
        "class": "B",
        "blacklisted": False,
        "blacklist_until": None,
        "early_removal_from": None,
        "abnormal": False,
        "reasons": ["行政处罚在公示期内"],
        # published 2024-01-20: 3 months -> last day 2024-04-19; not repairable
        "penalties": [{"decision_no": "琼海市监罚〔2024〕2号", "publicity_until": "2024-04-19", "repair_from": None}],
    }
    assert status("2024-04-20", USCC_B)[0]["penalties"] == []
    assert status("2024-02-15", USCC_B)[0]["abnormal"] is True
    (b,) = status("2025-03-15", USCC_A)
    assert (b["class"], b["blacklist_until"], b["early_removal_from"]) == ("D", "2027-03-14", "2025-03-15")
    assert b["penalties"] == [
        {"decision_no": "琼市监罚〔2024〕1号", "publicity_until": "2027-02-27", "repair_from": "2025-02-28"}
    ]
    assert len(status("2024-04-19")) == 2
    table = io.StringIO()
    call_command("credit", "status", "--as-of", "2024-04-19", "--format", "table", stdout=table)
    lines = table.getvalue().splitlines()
    assert lines[0].split("\t") == [
        "uscc", "name", "class", "blacklisted", "blacklist_until", "early_removal_from", "abnormal"
    ]  # fmt: skip


def test_chinese_headers_and_xlsx(tmp_path, units):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "统一社会信用代码",
            "企业名称",
            "市县",
            "事件",
            "日期",
            "决定书文号",
            "处罚种类",
            "罚款金额",
            "较低数额",
            "领域",
        ]
    )
    ws.append([USCC_A, "海南甲食品有限公司", "海口市", "行政处罚", "2024-02-29", "X-1", "罚款", 3000, "是", "食品"])
    p = tmp_path / "credit.xlsx"
    wb.save(p)
    call_command("credit", "load", str(p), stdout=io.StringIO())
    ev = CreditEvent.objects.get()
    assert (ev.months, str(ev.last_day)) == (3, "2024-05-28")


def test_load_is_all_or_nothing_with_row_errors(tmp_path, units):
    bad = [
        HEADER,
        ROWS[0],
        f"{USCC_B},海南乙公司,琼海市,行政处罚,2024-13-01,,X,通报批评,,,,其他,",
        f"{USCC_B},海南乙公司,三沙岛,罚没,2024-01-01,,,,,,,,",
        f"{USCC_B},海南乙公司,琼海市,行政处罚,2024-01-01,,Y,罚款,abc,也许,,其他,",
        f"{USCC_B},海南乙公司,琼海市,移出严重违法失信名单,2024-01-01,,,,,,,,",
    ]
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("credit", "load", str(write(tmp_path, bad)), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "credit.csv:3: date:" in text
    assert "credit.csv:4: city:" in text and "credit.csv:4: event:" in text
    assert "credit.csv:5: fine_yuan:" in text and "credit.csv:5: lower_amount:" in text
    assert CreditEvent.objects.count() == 0 and Enterprise.objects.count() == 0
    # rows that parse but break a rule are reported too, and nothing stays
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "credit", "load", str(write(tmp_path, [HEADER, ROWS[0], bad[-1]])), stdout=io.StringIO(), stderr=err
        )
    assert "credit.csv:3: event:" in err.getvalue()
    assert CreditEvent.objects.count() == 0 and Enterprise.objects.count() == 0


def test_missing_column_and_bad_date(tmp_path, units):
    with pytest.raises(CommandError):
        call_command("credit", "load", str(write(tmp_path, ["uscc,enterprise", f"{USCC_A},x"])), stderr=io.StringIO())
    with pytest.raises(CommandError, match="--as-of"):
        call_command("credit", "status", "--as-of", "2024-02-30")


def test_honours_from_the_registry(units):
    import datetime as dt

    from qualityplan.credit import services
    from qualityplan.indicators.models import RegistryItem

    ent = services.enterprise_get_or_create(uscc=USCC_A, name="海南甲食品有限公司", on=dt.date(2020, 1, 1))
    RegistryItem.objects.create(
        kind="brand_product",
        name="甲牌椰子汁",
        holder="海南甲食品有限公司",
        unit=units["QTS"],
        date=dt.date(2017, 9, 1),
    )
    RegistryItem.objects.create(
        kind="brand_product", name="别家产品", holder="别家公司", unit=units["QTS"], date=dt.date(2017, 9, 1)
    )
    out = io.StringIO()
    call_command("credit", "honours", stdout=out)
    call_command("credit", "honours", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["honours: 1 new", "honours: 0 new"]
    ev = CreditEvent.objects.get()
    assert (ev.enterprise, ev.kind, ev.starts_on) == (ent, "honour", None)
    assert status("2017-09-01", USCC_A)[0]["class"] == "A"
