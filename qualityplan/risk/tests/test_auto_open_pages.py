"""The threshold's edit page and API: office only (checked before the input), audited, optimistic locking."""

from decimal import Decimal

from qualityplan.core.models import ChangeLog
from qualityplan.risk.models import AutoOpenRule

URL = "/risk/signals/auto-open/"
API = "/api/v1/risk/auto-open/"


def _form(**kw):
    return {"enabled": "on", "open_pchart": "on", "min_z": "4.50", "min_failed": "5", "version": "1", **kw}


def test_only_the_office_edits_on_the_page(users, client_for):
    for who in ("county", "city", "viewer", "inspector", "dept"):
        c = client_for(users[who])
        assert c.get(URL).status_code == 403
        assert c.post(URL, {"min_z": "not a number"}).status_code == 403  # refused before the form is read
    assert AutoOpenRule.objects.get().version == 1
    office = client_for(users["office"])
    page = office.get(URL)
    assert page.status_code == 200 and "自动立案阈值" in page.content.decode()
    r = office.post(URL, _form())
    assert r.status_code == 302
    rule = AutoOpenRule.objects.get()
    assert (rule.enabled, rule.open_pchart, rule.open_run, rule.open_cluster, rule.min_z, rule.min_failed,
            rule.version) == (True, True, False, False, Decimal("4.50"), 5, 2)  # fmt: skip
    log = ChangeLog.objects.filter(content_type__model="autoopenrule", action="update").get()
    assert log.user_name == "t_office" and log.after["enabled"] is True
    signals = client_for(users["viewer"]).get("/risk/signals/?year=2017").content.decode()
    assert "自动立案：已开启（p 控制图 z ≥ 4.50，不合格 ≥ 5 批；每日自动登记）" in signals
    assert URL not in signals  # the link to the edit page is the office's


def test_invalid_input_is_400_on_its_field(users, client_for):
    office = client_for(users["office"])
    r = office.post(URL, _form(min_z="abc"))
    assert r.status_code == 400 and "min_z" in r.context["form"].errors
    r = office.post(URL, _form(open_pchart=""))  # on, but no kind of signal ticked
    assert r.status_code == 400 and "open_pchart" in r.context["form"].errors
    assert AutoOpenRule.objects.get().version == 1


def test_stale_save_keeps_the_input_and_says_so(users, client_for):
    office = client_for(users["office"])
    assert office.post(URL, _form(min_z="5.00")).status_code == 302  # someone else saved version 1 → 2
    r = office.post(URL, _form(min_z="3.75", min_failed="8"))  # built on version 1
    assert r.status_code == 409
    body = r.content.decode()
    assert "该记录在您编辑期间已被他人修改（您编辑的是第 1 版，当前为第 2 版）。" in body
    assert "您的输入已保留" in body and 'value="3.75"' in body and 'value="8"' in body
    assert AutoOpenRule.objects.get().min_z == Decimal("5.00")
    r = office.post(URL, r.context["form"].data)  # a deliberate second save, now on version 2
    assert r.status_code == 302 and AutoOpenRule.objects.get().min_z == Decimal("3.75")


def test_api(users, client_for):
    viewer, county, office = client_for(users["viewer"]), client_for(users["county"]), client_for(users["office"])
    r = viewer.get(API)
    assert r.status_code == 200 and r["ETag"] == '"1"'
    assert r.json() == {"enabled": False, "open_pchart": True, "open_run": False, "open_cluster": False,
                        "min_z": "3.00", "min_failed": 3, "version": 1}  # fmt: skip
    body = {"enabled": True, "open_pchart": True, "open_run": True, "open_cluster": False, "min_z": "3.5",
            "min_failed": 4}  # fmt: skip
    assert county.post(API, {"min_z": "x"}, content_type="application/json").status_code == 403
    assert viewer.post(API, body, content_type="application/json").status_code == 403
    bad = office.post(API, {**body, "min_failed": 0}, content_type="application/json")
    assert bad.status_code == 400 and "min_failed" in bad.json()
    assert office.post(API, body, content_type="application/json", HTTP_IF_MATCH='"7"').status_code == 412
    r = office.post(API, body, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert r.status_code == 200 and r["ETag"] == '"2"' and r.json()["min_z"] == "3.50" and r.json()["open_run"]
    stale = office.post(API, {**body, "version": 1}, content_type="application/json")
    assert stale.status_code == 400 and stale.json()["extra"]["field"] == "version"
    assert ChangeLog.objects.filter(content_type__model="autoopenrule", action="update").get().user_name == "t_office"
