"""Faults (never left running, reaper, SIGKILL) and corrections (withdraw, replace) of import batches."""

import datetime as dt
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qualityplan.core import clock
from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.models import ChangeLog
from qualityplan.monitoring import services
from qualityplan.monitoring.choices import ImportStatus
from qualityplan.monitoring.ingest import runner
from qualityplan.monitoring.ingest.runner import import_file, import_run
from qualityplan.monitoring.models import AirDaily, AirHourly, ImportBatch, ImportProgress, SamplingRecord

from .test_importers import AIR_HEADER, air_csv

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


# ------------------------------------------------------------------------------------------- never left running


def test_any_exception_marks_the_batch_failed_with_the_message(units, monkeypatch):
    def boom(table, batch, progress):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(runner.KINDS, "air", runner.KindSpec(boom, runner.KINDS["air"].columns))
    batch = import_file(kind="air", name="a.csv", data=air_csv(days=1))
    assert batch.status == ImportStatus.FAILED and "RuntimeError: disk on fire" in batch.message
    assert batch.finished_at is not None and not ImportProgress.objects.exists()


def test_header_only_air_file_fails_instead_of_running(units):
    batch = import_file(kind="air", name="h.csv", data=AIR_HEADER.encode())
    assert batch.status == ImportStatus.FAILED and not ImportProgress.objects.exists()


def _running(units, worker: str, beat_minutes_ago: float) -> ImportBatch:
    batch = ImportBatch.objects.create(kind="air", file_name="x.csv", sha256="0" * 64, status=ImportStatus.RUNNING,
                                       started_at=clock.now(), unit=units["460100"])  # fmt: skip
    ImportProgress.objects.create(batch_id=batch.pk, processed=10, total=100, stage="write", worker=worker,
                                  heartbeat_at=clock.now() - dt.timedelta(minutes=beat_minutes_ago))  # fmt: skip
    return batch


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_reaper_marks_dead_batches_failed_and_spares_live_ones(units, settings):
    settings.IMPORT_HEARTBEAT_TIMEOUT = 10
    host = socket.gethostname()
    stale_remote = _running(units, "other-node:4242", beat_minutes_ago=11)
    fresh_remote = _running(units, "other-node:4243", beat_minutes_ago=1)
    dead_local = _running(units, f"{host}:{_dead_pid()}", beat_minutes_ago=0)
    alive_local = _running(units, f"{host}:{os.getpid()}", beat_minutes_ago=60)  # SQLite: beats pause in a write
    reaped = services.import_batches_reap()
    assert sorted(reaped) == sorted([stale_remote.pk, dead_local.pk])
    for b, status in ((stale_remote, "failed"), (fresh_remote, "running"), (dead_local, "failed"),
                      (alive_local, "running")):  # fmt: skip
        b.refresh_from_db()
        assert b.status == status
    assert "worker process ended" in dead_local.message and "no heartbeat" in stale_remote.message
    assert set(ImportProgress.objects.values_list("batch_id", flat=True)) == {fresh_remote.pk, alive_local.pk}


def test_progress_page_stops_polling_once_reaped(units, users, client_for):
    batch = _running(units, "other-node:1", beat_minutes_ago=60)
    c = client_for(users["city"])
    assert "hx-trigger" in c.get(reverse("monitoring:import-progress", args=[batch.pk])).content.decode()
    services.import_batches_reap()
    page = c.get(reverse("monitoring:import-progress", args=[batch.pk])).content.decode()
    assert "hx-trigger" not in page and "no heartbeat" in page


CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    import django
    django.setup()
    from qualityplan.monitoring.ingest import air
    from qualityplan.monitoring.ingest.runner import import_file
    from qualityplan.monitoring.models import AirHourly, ImportBatch
    from qualityplan.monitoring.services import import_batches_reap
    from qualityplan.orgs.services import units_load_register
    action, marker, data = sys.argv[1], sys.argv[2], sys.argv[3]
    if action == "setup":
        units_load_register()
    elif action == "hang":
        real = air.air_insert
        def slow(*args, **kwargs):
            n = real(*args, **kwargs)  # rows written, transaction still open
            open(marker, "w").write(str(n))
            time.sleep(120)
        air.air_insert = slow
        import_file(kind="air", name="big.csv", data=open(data, "rb").read())
    elif action == "reap":
        reaped = import_batches_reap()
        print(json.dumps({"reaped": reaped, "rows": AirHourly.objects.count(),
                          "batches": list(ImportBatch.objects.values_list("status", "message"))}))
    elif action == "run":
        b = import_file(kind="air", name="big.csv", data=open(data, "rb").read())
        print(json.dumps({"status": b.status, "rows": AirHourly.objects.count()}))
    """
)


def test_sigkill_mid_import_leaves_no_rows_and_the_batch_is_reaped_then_rerun_completes(tmp_path):
    db = tmp_path / "kill.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "qualityplan.config.django.test", "DATABASE_URL": f"sqlite:///{db}",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    data = tmp_path / "big.csv"
    data.write_bytes(air_csv(days=20))
    marker = tmp_path / "written"

    def child(action, **kw):
        return subprocess.run([sys.executable, str(script), action, str(marker), str(data)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True, **kw)  # fmt: skip

    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=300)
    child("setup")
    worker = subprocess.Popen([sys.executable, str(script), "hang", str(marker), str(data)], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert marker.exists() and int(marker.read_text()) == 2 * 20 * 24  # the rows were in the open transaction
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    state = json.loads(child("reap").stdout)
    assert state["rows"] == 0  # no partial rows
    assert len(state["reaped"]) == 1 and state["batches"][0][0] == "failed"
    assert "worker process ended" in state["batches"][0][1]
    rerun = json.loads(child("run").stdout)
    assert rerun == {"status": "done", "rows": 2 * 20 * 24}


# ------------------------------------------------------------------------------------------- corrections


def _city_day(date: str, unit: str = "460100"):
    return AirDaily.objects.filter(station__isnull=True, unit__code=unit, date=date).values_list("pm10", flat=True)


def test_withdraw_removes_rows_and_recomputes_daily_values(users):
    first = import_file(kind="air", name="a.csv", data=air_csv(days=1, pm10=40.0), user=users["office"])
    day2 = AIR_HEADER + "".join(f"海口市,HK01,2017-01-02,{h},8,15,70,20,0.6,60\n" for h in range(24))
    second = import_file(kind="air", name="b.csv", data=day2.encode(), user=users["office"])
    assert list(_city_day("2017-01-01")) == [40.0] and list(_city_day("2017-01-02")) == [70.0]
    services.import_batch_withdraw(user=users["office"], batch=second, reason="wrong analyser")
    second.refresh_from_db()
    assert second.status == ImportStatus.WITHDRAWN and second.changes == {"added": 0, "removed": 24, "changed": 0}
    assert list(_city_day("2017-01-01")) == [40.0] and list(_city_day("2017-01-02")) == []
    assert AirHourly.objects.filter(batch=first).count() == 48 and not AirHourly.objects.filter(batch=second).exists()
    log = ChangeLog.objects.filter(object_id=str(second.pk), action="update").latest("time")
    assert log.after["status"] == "withdrawn" and log.after["correction_reason"] == "wrong analyser"


def test_replace_with_a_corrected_file_recomputes_and_shows_the_changes(users, client_for):
    data = air_csv(days=1, stations=(("海口市", "HK01"),), pm10=40.0)
    old = import_file(kind="air", name="a.csv", data=data, user=users["city"])
    assert list(_city_day("2017-01-01")) == [40.0]
    corrected = data.decode().replace(",40.0,", ",60.0,").encode()
    new = services.import_batch_submit(user=users["city"], kind="air", name="a-fixed.csv", data=corrected,
                                       replaces=old, reason="PM10 column was PM2.5")  # fmt: skip
    new = import_run(batch=new)
    assert new.status == ImportStatus.DONE, new.errors
    assert new.changes == {"added": 0, "removed": 0, "changed": 24}
    assert list(_city_day("2017-01-01")) == [60.0]
    old.refresh_from_db()
    assert old.status == ImportStatus.REPLACED and AirHourly.objects.count() == 24
    page = client_for(users["city"]).get(reverse("monitoring:import-detail", args=[new.pk])).content.decode()
    assert '<td id="rows-changed">24</td>' in page and "PM10 column was PM2.5" in page


def test_replace_sampling_counts_added_removed_changed(users):
    header = "抽样编号,标称生产企业名称,被抽样单位所在市县,分类,样品名称,抽样日期,检验结果,不合格项目,抽检类型\n"
    a = header + ("S1,甲,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n"
                  "S2,乙,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n"
                  "S3,丙,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n")  # fmt: skip
    b = header + ("S1,甲,海口市,糕点,月饼,2017-03-02,不合格,菌落总数,监督抽检\n"
                  "S3,丙,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n"
                  "S4,丁,海口市,糕点,月饼,2017-03-02,合格,,监督抽检\n")  # fmt: skip
    old = import_file(kind="sampling", name="a.csv", data=a.encode(), user=users["office"])
    new = services.import_batch_submit(user=users["office"], kind="sampling", name="b.csv", data=b.encode(),
                                       replaces=old, reason="recheck")  # fmt: skip
    new = import_run(batch=new)
    assert new.changes == {"added": 1, "removed": 1, "changed": 1}
    assert sorted(SamplingRecord.objects.values_list("sample_no", "result")) == [
        ("S1", "不合格"), ("S3", "合格"), ("S4", "合格")]  # fmt: skip


def test_a_failed_replacement_keeps_the_old_rows(users):
    old = import_file(kind="air", name="a.csv", data=air_csv(days=1), user=users["office"])
    bad = services.import_batch_submit(user=users["office"], kind="air", name="bad.csv",
                                       data=(AIR_HEADER + "海口市,HK01,x,0,1,1,1,1,1,1\n").encode(), replaces=old,
                                       reason="fix")  # fmt: skip
    assert import_run(batch=bad).status == ImportStatus.FAILED
    old.refresh_from_db()
    assert old.status == ImportStatus.DONE and AirHourly.objects.count() == 48


def test_corrections_need_the_office_or_the_importing_unit_and_a_reason(users, client_for):
    batch = import_file(kind="air", name="a.csv", data=air_csv(days=1, stations=(("海口市", "HK01"),)),
                        user=users["city"])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.import_batch_withdraw(user=users["county"], batch=batch, reason="not mine")
    with pytest.raises(ApplicationError, match="reason"):
        services.import_batch_withdraw(user=users["city"], batch=batch, reason="  ")
    c = client_for(users["city"])
    assert c.post(reverse("monitoring:import-withdraw", args=[batch.pk]), {"reason": ""}).status_code == 400
    stale = c.post(reverse("monitoring:import-withdraw", args=[batch.pk]), {"reason": "x", "version": "7"})
    assert stale.status_code == 400  # optimistic locking: the page was out of date
    r = c.post(reverse("monitoring:import-withdraw", args=[batch.pk]), {"reason": "duplicate upload", "version": "0"})
    assert r.status_code == 302 and not AirHourly.objects.exists()
    with pytest.raises(ApplicationError):  # a withdrawn batch cannot be withdrawn again
        services.import_batch_withdraw(user=users["office"], batch=batch, reason="again")


def test_api_withdraw(users, client_for):
    batch = import_file(kind="air", name="a.csv", data=air_csv(days=1), user=users["office"])
    c = client_for(users["office"])
    r = c.post(f"/api/v1/monitoring/imports/{batch.pk}/withdraw/", {"reason": "test data"},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert (
        c.post(f"/api/v1/monitoring/imports/{batch.pk}/withdraw/", {}, content_type="application/json").status_code
        == 400
    )


def test_withdraw_of_a_batch_cited_elsewhere_is_a_400_and_keeps_every_row(users, client_for):
    from qualityplan.credit.models import CreditEvent, Enterprise

    from .test_importers import SAMPLING

    batch = import_file(kind="sampling", name="samr.csv", data=SAMPLING.encode(), user=users["office"])
    failing = SamplingRecord.objects.get(sample_no="S2")
    firm = Enterprise.objects.create(name="海南乙食品有限公司")
    CreditEvent.objects.create(enterprise=firm, kind="sample_fail", date=dt.date(2017, 3, 5), sampling_record=failing)
    r = client_for(users["office"]).post(f"/api/v1/monitoring/imports/{batch.pk}/withdraw/", {"reason": "wrong file"},
                                         content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and r.json()["extra"]["field"] == "batch" and "信用事件" in r.json()["message"]
    assert SamplingRecord.objects.filter(batch=batch).count() == 4
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE


# ------------------------------------------------------------------------------------------- HJ 633 per day


def test_air_file_across_2026_03_01_stores_march_under_hj633_2026(units):
    days = ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]
    data = AIR_HEADER + "".join(f"海口市,HK01,{d},{h},8,15,40,20,0.6,60\n" for d in days for h in range(24))
    batch = import_file(kind="air", name="edge.csv", data=data.encode())
    assert batch.status == ImportStatus.DONE, batch.errors
    got = dict(AirDaily.objects.filter(station__isnull=True).values_list("date", "standard"))
    assert {d.isoformat(): s for d, s in got.items()} == {
        "2026-02-27": "HJ633-2012", "2026-02-28": "HJ633-2012", "2026-03-01": "HJ633-2026", "2026-03-02": "HJ633-2026"}  # fmt: skip


# ------------------------------------------------------------------------------------------- CLI progress


def test_progress_bar_on_a_terminal_shows_rate_and_eta():
    import io

    bar_module = importlib.import_module("qualityplan.monitoring.management.commands.import")  # "import" is a keyword

    buf = io.StringIO()
    bar = bar_module.ProgressBar(buf, tty=True)
    bar(50, 100, "write")
    bar(100, 100, "write")
    assert "rows/s" in buf.getvalue() and "ETA" in buf.getvalue() and "100/100 rows" in buf.getvalue()
    plain = io.StringIO()
    bar = bar_module.ProgressBar(plain, tty=False)
    for i in range(10):
        bar(i * 10, 100, "validate" if i < 5 else "write")
    assert plain.getvalue().splitlines() == ["validate: 0/100 rows", "write: 50/100 rows"]


def test_heartbeat_thread_beats_during_a_long_import_and_cleans_up(units, settings, monkeypatch):
    from qualityplan.monitoring.ingest import air

    settings.IMPORT_HEARTBEAT_SECONDS = 0.05
    real = air.air_insert

    def slow(*args, **kwargs):
        time.sleep(0.5)  # several heartbeats while the transaction is open
        return real(*args, **kwargs)

    monkeypatch.setattr(air, "air_insert", slow)
    batch = import_file(kind="air", name="slow.csv", data=air_csv(days=1))
    assert batch.status == ImportStatus.DONE, batch.message
    assert not ImportProgress.objects.exists()
