import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from qualityplan.hotline.models import Attachment, WorkOrder
from qualityplan.hotline.tests.conftest import PHONE, USCC, at, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(make_order, catalogue, hotline_user):
    return step(make_order(), hotline_user, "dispatch", at(2017, 9, 29, 11))  # Haikou leads, QTS cooperates


def test_pages_mask_the_caller_for_other_units(dispatched, client_for, users, hotline_user):
    url = f"/hotline/orders/{dispatched.pk}/"
    assert PHONE in client_for(users["city"]).get(url).content.decode()
    assert PHONE in client_for(hotline_user).get(url).content.decode()
    qts = client_for(users["dept"]).get(url).content.decode()  # 协办: sees the order, not the caller
    assert PHONE not in qts and "138****3210" in qts and "张三丰" not in qts
    assert client_for(users["dept2"]).get(url).status_code == 404
    listing = client_for(users["city"]).get("/hotline/").content.decode()
    assert dispatched.number in listing and "data-light" in listing


def test_exports_never_contain_the_caller(dispatched, client_for, users):
    for path in ("/hotline/export.xlsx", "/hotline/kpi/?from=2017-01-01&to=2017-12-31&format=xlsx"):
        resp = client_for(users["office"]).get(path)
        assert resp.status_code == 200
        wb = load_workbook(io.BytesIO(resp.content))
        text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
        assert PHONE not in text and "张三丰" not in text and "3210" not in text
    wb = load_workbook(io.BytesIO(client_for(users["office"]).get("/hotline/export.xlsx").content))
    assert dispatched.number in [r[0] for r in wb["工单"].iter_rows(values_only=True)]


def test_web_step_with_stale_version_is_refused_with_a_message(dispatched, client_for, users):
    c = client_for(users["city"])
    resp = c.post(f"/hotline/orders/{dispatched.pk}/do/sign/", {"version": dispatched.version - 1}, follow=True)
    assert "已被他人修改" in resp.content.decode()
    assert WorkOrder.objects.get(pk=dispatched.pk).status == "dispatched"
    c.post(f"/hotline/orders/{dispatched.pk}/do/sign/", {"version": dispatched.version})
    assert WorkOrder.objects.get(pk=dispatched.pk).status == "signed"


def test_attachments_only_through_the_checked_view(dispatched, client_for, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = client_for(users["city"])
    bad = SimpleUploadedFile("x.exe", b"MZ")
    c.post(f"/hotline/orders/{dispatched.pk}/attachments/", {"version": dispatched.version, "file": bad})
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("检验报告.pdf", b"%PDF-1.4 test")
    c.post(f"/hotline/orders/{dispatched.pk}/attachments/", {"version": dispatched.version, "file": good})
    att = Attachment.objects.get()
    assert c.get(f"/hotline/attachments/{att.pk}/").status_code == 200
    assert client_for(users["dept2"]).get(f"/hotline/attachments/{att.pk}/").status_code == 404


def test_api_list_masks_and_transition_needs_version(dispatched, client_for, users):
    data = client_for(users["dept"]).get("/api/v1/hotline/orders/").json()
    row = data["results"][0] if "results" in data else data[0]
    assert row["caller_phone"] == "138****3210" and row["caller_masked"] is True
    c = client_for(users["city"])
    url = f"/api/v1/hotline/orders/{dispatched.pk}/transition/"
    assert c.post(url, {"action": "sign"}, content_type="application/json").status_code == 400
    stale = c.post(url, {"action": "sign", "version": 0}, content_type="application/json")
    assert stale.status_code == 400 and stale.json()["extra"]["field"] == "version"
    ok = c.post(url, {"action": "sign", "version": dispatched.version}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "signed" and ok.json()["caller_phone"] == PHONE


def test_push_is_all_or_nothing(client_for, hotline_user, users, units):
    c = client_for(hotline_user)
    good = {"number": "P1", "received_at": "2017-10-09T10:00", "category": "投诉", "subject": "产品质量",
            "region": "460100", "title": "t", "content": "c", "caller_phone": PHONE, "enterprise_uscc": USCC}  # fmt: skip
    bad = {**good, "number": "P2", "enterprise_uscc": "123"}
    resp = c.post("/api/v1/hotline/push/", [good, bad], content_type="application/json")
    assert resp.status_code == 400 and "enterprise_uscc" in str(resp.json())
    assert not WorkOrder.objects.exists()
    resp = c.post("/api/v1/hotline/push/", [good, {**good, "number": "P2"}], content_type="application/json")
    assert resp.status_code == 201 and WorkOrder.objects.count() == 2
    assert (
        client_for(users["dept"]).post("/api/v1/hotline/push/", good, content_type="application/json").status_code
        == 403
    )


CSV_HEAD = "工单编号,受理时间,诉求类别,诉求对象,区域,标题,诉求内容,联系电话,企业统一社会信用代码\n"


def test_import_reports_every_bad_row_and_writes_nothing(client_for, hotline_user, units):
    rows = (
        "A1,2017-10-09 10:00,投诉,产品质量,海口市,标题,内容,13800000001,\n"
        "A2,2017-10-09 11:00,聊天,产品质量,海口市,标题,内容,13800000002,\n"
        "A3,not-a-date,咨询,食品安全,460100,标题,内容,,91460100MA5RC0001X\n"
        "A1,2017-10-09 12:00,咨询,食品安全,460100,标题,内容,,\n"
    )
    upload = SimpleUploadedFile("orders.csv", (CSV_HEAD + rows).encode())
    resp = client_for(hotline_user).post("/hotline/import/", {"file": upload})
    html = resp.content.decode()
    assert not WorkOrder.objects.exists()
    for needle in ("category", "received_at", "enterprise_uscc", "number"):
        assert needle in html
    ok = SimpleUploadedFile("orders.csv", (CSV_HEAD + rows.splitlines()[0] + "\n").encode())
    client_for(hotline_user).post("/hotline/import/", {"file": ok})
    assert WorkOrder.objects.get().number == "A1"


def test_cli_load_and_kpi(tmp_path, users, units, capsys):
    from django.core.management import call_command

    path = tmp_path / "orders.csv"
    path.write_text(CSV_HEAD + "B1,2017-10-09 10:00,投诉,产品质量,海口市,标题,内容,13800000001,\n", encoding="utf-8")
    call_command("hotline", "load", str(path))
    assert WorkOrder.objects.filter(number="B1").exists()
    call_command("hotline", "kpi", "--from", "2017-01-01", "--to", "2017-12-31", "--format", "json")
    assert '"rows": []' in capsys.readouterr().out  # registered, not yet dispatched


def test_xlsx_import_and_kpi_page_and_api(client_for, hotline_user, users, units):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["number", "received_at", "category", "subject", "region", "title", "content"])
    ws.append(["X1", "2017-10-09 10:00", "complaint", "product", "460100", "标题", "内容"])
    buf = io.BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("orders.xlsx", buf.getvalue())
    client_for(hotline_user).post("/hotline/import/", {"file": upload})
    assert WorkOrder.objects.get().number == "X1"
    page = client_for(users["office"]).get("/hotline/kpi/?from=2017-01-01&to=2017-12-31&by=region")
    assert page.status_code == 200 and "12345" in page.content.decode()
    bad = client_for(users["office"]).get("/api/v1/hotline/kpi/?from=2017-13-01&to=2017-12-31")
    assert bad.status_code == 400
    ok = client_for(users["office"]).get("/api/v1/hotline/kpi/?from=2017-01-01&to=2017-12-31")
    assert ok.status_code == 200 and ok.json()["rows"] == []  # registered, not dispatched


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    client_for, hotline_user, users, units, settings, tmp_path
):
    from django.core.management import CommandError, call_command

    settings.HOTLINE_IMPORT_MAX_BYTES = 1024 * 1024
    row = "A{},2017-10-09 10:00,投诉,产品质量,海口市,标题,内容,13800000001,\n"
    body = (CSV_HEAD + "".join(row.format(i) for i in range(20_000))).encode()
    assert len(body) > 1024 * 1024  # 20,000 rows of about 70 bytes
    resp = client_for(hotline_user).post("/hotline/import/", {"file": SimpleUploadedFile("orders.csv", body)})
    assert resp.status_code == 200
    assert "文件超过 1 MB，请按月份分批导入" in resp.content.decode()
    path = tmp_path / "orders.csv"
    path.write_bytes(body)
    with pytest.raises(CommandError, match="请按月份分批导入"):
        call_command("hotline", "load", str(path))
    assert not WorkOrder.objects.exists()
