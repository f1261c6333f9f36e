import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualityplan.monitoring.models import AirHourly, ImportBatch

from .test_importers import air_csv

pytestmark = pytest.mark.django_db


def test_upload_page_runs_import_and_shows_progress(users, client_for, django_capture_on_commit_callbacks):
    c = client_for(users["city"])
    assert c.get(reverse("monitoring:imports")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        data = air_csv(stations=(("海口市", "HK01"),))  # a city reporter imports rows of its own unit
        r = c.post(reverse("monitoring:imports"), {"kind": "air", "file": SimpleUploadedFile("air.csv", data)})
    batch = ImportBatch.objects.get()
    assert r.url == reverse("monitoring:import-detail", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == "done" and AirHourly.objects.count() == 48
    page = c.get(reverse("monitoring:import-progress", args=[batch.pk])).content.decode()
    assert 'value="100"' in page and "hx-trigger" not in page  # finished: polling stops


def test_progress_partial_polls_while_running(users, client_for):
    batch = ImportBatch.objects.create(
        kind="air", file_name="x.csv", sha256="0" * 64, status="running", unit=users["city"].unit
    )
    from qualityplan.monitoring.ingest.progress import Progress

    Progress(batch).update(500, 1000, "write", force=True)
    page = client_for(users["city"]).get(reverse("monitoring:import-progress", args=[batch.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="50"' in page
    Progress(batch).clear()


def test_malformed_upload_lists_errors(users, client_for, django_capture_on_commit_callbacks):
    c = client_for(users["office"])
    data = "city,station,date,hour,PM10\n海口市,HK01,2017-01-01,x,1\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("monitoring:imports"), {"kind": "air", "file": SimpleUploadedFile("bad.csv", data)})
    batch = ImportBatch.objects.get()
    page = c.get(reverse("monitoring:import-detail", args=[batch.pk])).content.decode()
    assert "bad.csv" in page and "<td>2</td><td>hour</td>" in page


def test_viewer_cannot_upload(users, client_for):
    r = client_for(users["viewer"]).post(reverse("monitoring:imports"), {"kind": "air"})
    assert r.status_code == 403


def test_api_import_upload(users, client_for, django_capture_on_commit_callbacks):
    c = client_for(users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post("/api/v1/monitoring/imports/", {"kind": "air", "file": SimpleUploadedFile("a.csv", air_csv(days=1))})
    assert r.status_code == 202
    assert c.get(f"/api/v1/monitoring/imports/{r.json()['id']}/").json()["status"] == "done"


def test_import_original_downloads_only_in_scope(users, client_for, django_capture_on_commit_callbacks):
    """The uploaded original is a private file: the uploader's unit and the office download it, others get 404."""
    c = client_for(users["city"])
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("monitoring:imports"), {"kind": "air", "file": SimpleUploadedFile("air.csv", air_csv(days=1))})
    batch = ImportBatch.objects.get()
    url = f"/files/monitoring.importbatch.file/{batch.pk}/"
    assert url in c.get(reverse("monitoring:import-detail", args=[batch.pk])).content.decode()
    r = client_for(users["office"]).get(url)
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert b"".join(r.streaming_content) == air_csv(days=1)
    assert client_for(users["county"]).get(url).status_code == 404
