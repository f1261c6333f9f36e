"""Who may import what (monitoring.policies), through the web view, the API and the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from qualityplan.monitoring import policies
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest.runner import import_file
from qualityplan.monitoring.models import AirHourly, ImportBatch, SamplingRecord

from .test_importers import air_csv

pytestmark = pytest.mark.django_db

SAMPLING = (
    "抽样编号,标称生产企业名称,被抽样单位所在市县,分类,样品名称,抽样日期,检验结果,不合格项目,抽检类型\n"
    "S1,甲公司,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n"
    "S2,乙公司,海口市,工业产品/电线电缆,BV,2017-03-02,合格,,监督抽检\n"
)


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        ("office", "air", True),
        ("office", "registry", True),
        ("city", "air", True),
        ("city", "sampling", True),
        ("dept2", "air", True),  # ENV owns air
        ("dept2", "sampling", False),
        ("dept", "sampling", True),  # QTS owns (industrial) sampling
        ("dept", "air", False),
        ("viewer", "air", False),
        ("inspector", "sampling", False),
    ],
)
def test_can_import_per_role(users, role, kind, allowed):
    assert policies.can_import(users[role], kind) is allowed


def test_cli_without_as_acts_as_the_system():
    assert policies.can_import(None, "sampling") and policies.import_row_scope(None, "air") == policies.UNRESTRICTED


def test_city_reporter_row_of_another_unit_is_a_row_error_naming_it(users):
    batch = import_file(kind="air", name="a.csv", data=air_csv(days=1), user=users["city"])
    assert batch.status == ImportStatus.FAILED
    foreign = [e for e in batch.errors if e["field"] == "city"]
    assert foreign and all("琼海市" in e["message"] and "海口市" in e["message"] for e in foreign)
    assert foreign[0]["row"] == 26  # rows 2–25 are Haikou's
    assert not AirHourly.objects.exists()


def test_city_reporter_imports_its_own_rows(users):
    data = air_csv(days=1, stations=(("海口市", "HK01"),))
    assert import_file(kind="air", name="a.csv", data=data, user=users["city"]).status == ImportStatus.DONE


def test_department_imports_only_its_product_groups(users):
    batch = import_file(kind="sampling", name="s.csv", data=SAMPLING.encode(), user=users["dept"])  # QTS
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "product_category")]  # the food row
    assert "food" in batch.errors[0]["message"]
    ok = SAMPLING.replace("S1,甲公司,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n", "")
    assert import_file(kind="sampling", name="s2.csv", data=ok.encode(), user=users["dept"]).status == "done"


def test_web_upload_refuses_a_kind_the_department_does_not_own(users, client_for):
    c = client_for(users["dept2"])  # ENV
    r = c.post("/monitoring/imports/", {"kind": "sampling", "file": SimpleUploadedFile("s.csv", SAMPLING.encode())})
    assert r.status_code == 403 and not ImportBatch.objects.exists()
    page = c.get("/monitoring/imports/").content.decode()
    assert 'value="air"' in page and 'value="sampling"' not in page


@pytest.mark.parametrize("role", ["viewer", "inspector"])
def test_viewer_and_inspector_never_import(users, client_for, role):
    c = client_for(users[role])
    r = c.post("/monitoring/imports/", {"kind": "air", "file": SimpleUploadedFile("a.csv", air_csv(days=1))})
    assert r.status_code == 403
    api = c.post("/api/v1/monitoring/imports/", {"kind": "air", "file": SimpleUploadedFile("a.csv", air_csv(days=1))})
    assert api.status_code == 403 and not ImportBatch.objects.exists()


def test_api_applies_the_row_scope(users, client_for, django_capture_on_commit_callbacks):
    c = client_for(users["county"])  # Qionghai
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/api/v1/monitoring/imports/", {"kind": "air", "file": SimpleUploadedFile("a.csv", air_csv(days=1))})
    assert r.status_code == 202
    batch = c.get(f"/api/v1/monitoring/imports/{r.json()['id']}/").json()
    assert batch["status"] == "failed" and batch["errors"][0]["field"] == "city" and batch["errors"][0]["row"] == 2


def test_cli_as_user_applies_their_rights(users, tmp_path):
    f = tmp_path / "a.csv"
    f.write_bytes(air_csv(days=1))
    with pytest.raises(CommandError, match="error"):
        call_command("import", "air", str(f), "--as", users["city"].username)
    with pytest.raises(CommandError, match="not allowed"):
        call_command("import", "sampling", str(f), "--as", users["dept2"].username)
    call_command("import", "air", str(f))  # the system: everything
    assert AirHourly.objects.count() == 48
    batch = ImportBatch.objects.get(status="done")
    assert batch.user is None


def test_cli_as_unknown_user(tmp_path):
    with pytest.raises(CommandError, match="no such active user"):
        call_command("import", "air", str(tmp_path / "x.csv"), "--as", "nobody")


def test_registry_rows_of_a_department_are_its_own(users):
    data = "类别,名称,所属单位,认定日期\n海南省名牌产品,椰子汁,省质监局,2017-06-30\n海南省著名商标,某商标,省工商局,2017-06-30\n"
    batch = import_file(kind="registry", name="r.csv", data=data.encode(), user=users["dept"])
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["field"]) for e in batch.errors] == [(3, "unit")]


def test_sampling_rows_by_office_are_unrestricted(users):
    assert import_file(kind="sampling", name="s.csv", data=SAMPLING.encode(), user=users["office"]).status == "done"
    assert SamplingRecord.objects.count() == 2
