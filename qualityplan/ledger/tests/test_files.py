"""Private evidence files: served only through the permission-checked view, with sniffed types and no /media/."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.core.exceptions import ApplicationError
from qualityplan.ledger import services
from qualityplan.ledger.models import Evidence

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def evidence(make_task, users):
    task = make_task()
    services.progress_report(
        user=users["dept"],
        task=task,
        status="on_track",
        narrative="起草完成",
        files=[SimpleUploadedFile("质量提升方案 (定稿).pdf", PDF, content_type="application/pdf")],
    )
    return Evidence.objects.get(update__task=task)


def test_stored_name_is_random_and_original_name_kept(evidence):
    stored = evidence.file.name.rsplit("/", 1)[-1]
    assert evidence.name == "质量提升方案 (定稿).pdf"
    assert "质量" not in stored and stored.endswith(".pdf") and len(stored) == 32 + 4
    with pytest.raises(NotImplementedError):
        evidence.file.url  # noqa: B018 - a private file has no URL


def test_owner_unit_and_office_download(evidence, users, client_for):
    url = f"/files/ledger.evidence.file/{evidence.pk}/"
    for who in ("dept", "office"):
        r = client_for(users[who]).get(url)
        assert r.status_code == 200, who
        assert b"".join(r.streaming_content) == PDF
        assert r["Content-Type"] == "application/pdf"
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Disposition"].startswith("inline")
        assert "filename*=utf-8''" in r["Content-Disposition"]  # the original (non-ASCII) name


def test_anonymous_and_other_unit_get_404(evidence, users, client, client_for):
    url = f"/files/ledger.evidence.file/{evidence.pk}/"
    assert client.get(url).status_code == 404
    assert client_for(users["city"]).get(url).status_code == 404
    assert client_for(users["dept2"]).get(url).status_code == 404
    assert client_for(users["office"]).get("/files/ledger.nothing.file/1/").status_code == 404
    assert client_for(users["office"]).get("/files/ledger.evidence.file/abc/").status_code == 404


def test_task_page_links_the_download_view(evidence, users, client_for):
    page = client_for(users["dept"]).get(f"/ledger/tasks/{evidence.update.task_id}/").content.decode()
    assert f'href="/files/ledger.evidence.file/{evidence.pk}/"' in page
    assert "/media/" not in page


@pytest.mark.parametrize("path", ["/media/", "/media/x.pdf", "/media/evidence/ledger/demo/task1-成果.txt"])
def test_media_is_never_served(path, evidence, users, client, client_for):
    assert client.get(path).status_code == 404
    assert client_for(users["office"]).get(path).status_code == 404
    stored = f"/media/{evidence.file.name}"
    assert client_for(users["office"]).get(stored).status_code == 404


def test_text_and_office_files_are_attachments(make_task, users, client_for):
    task = make_task()
    services.progress_report(
        user=users["dept"],
        task=task,
        status="on_track",
        narrative="x",
        files=[SimpleUploadedFile("说明.txt", "进展说明\n".encode())],
    )
    ev = Evidence.objects.get(update__task=task)
    r = client_for(users["office"]).get(f"/files/ledger.evidence.file/{ev.pk}/")
    assert r["Content-Type"] == "text/plain; charset=utf-8"
    assert r["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.pdf", b"<html><script>alert(1)</script></html>"),
        ("x.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("x.txt", b"MZ\x90\x00\x03\x00\x00\x00binary"),
        ("x.docx", PDF),
        ("x.html", b"<html></html>"),
    ],
)
def test_upload_content_must_match_the_extension(name, content, make_task, users):
    with pytest.raises(ApplicationError) as exc:
        services.progress_report(
            user=users["dept"],
            task=make_task(),
            status="on_track",
            narrative="x",
            files=[SimpleUploadedFile(name, content)],
        )
    assert exc.value.extra["field"] == "evidence"


def test_html_upload_refused_on_the_page(make_task, users, client_for):
    task = make_task()
    r = client_for(users["dept"]).post(
        f"/ledger/tasks/{task.pk}/",
        {"status": "on_track", "narrative": "x", "files": [SimpleUploadedFile("report.pdf", b"<html><script>")]},
    )
    assert r.status_code == 200 and "不符" in r.content.decode()
    assert not Evidence.objects.filter(update__task=task).exists()


def test_every_file_field_is_served_through_the_scoped_view():
    """A new FileField anywhere is covered automatically; its model must have a data scope (restrict)."""
    from qualityplan.core.files import registry

    specs = registry()
    assert {"ledger.evidence.file", "ledger.summary.file", "indicators.submission.evidence",
            "indicators.registryitem.evidence", "supervision.report.file", "assessment.itemevidence.file",
            "monitoring.importbatch.file"} <= set(specs)  # fmt: skip
    for spec in specs.values():
        assert hasattr(spec.model._default_manager, "restrict"), spec.key
        assert spec.name_field, f"{spec.key}: keep the original file name in <field>_name"


def test_x_accel_redirect_hand_off(evidence, users, client_for, settings):
    settings.FILES_SERVE = "x-accel-redirect"
    settings.FILES_ACCEL_REDIRECT_PREFIX = "/protected-files/"
    r = client_for(users["office"]).get(f"/files/ledger.evidence.file/{evidence.pk}/")
    assert r.status_code == 200 and r.content == b""
    assert r["X-Accel-Redirect"] == f"/protected-files/{evidence.file.name}"
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert client_for(users["city"]).get(f"/files/ledger.evidence.file/{evidence.pk}/").status_code == 404


def test_files_stored_before_are_relocated(evidence, tmp_path, settings):
    """Files under the old /media/ directory with guessable names move to random names; the row keeps the name."""
    from qualityplan.core.files import files_relocate

    legacy = tmp_path / "media"
    (legacy / "evidence/ledger/demo").mkdir(parents=True)
    (legacy / "evidence/ledger/demo/task1-成果.txt").write_bytes("成果\n".encode())
    Evidence.objects.filter(pk=evidence.pk).update(file="evidence/ledger/demo/task1-成果.txt", name="")
    assert files_relocate(legacy_root=legacy) == {"moved": 1, "missing": 0}
    evidence.refresh_from_db()
    assert evidence.name == "task1-成果.txt"
    assert evidence.file.name.startswith("evidence/ledger/demo/") and "成果" not in evidence.file.name
    assert evidence.file.read() == "成果\n".encode()
    assert not (legacy / "evidence/ledger/demo/task1-成果.txt").exists()
    assert files_relocate(legacy_root=legacy) == {"moved": 0, "missing": 0}  # idempotent


def test_summary_attachment_owner_and_office_only(plan_2017, users, client_for, client):
    from qualityplan.ledger.models import Summary

    services.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["city"].unit).first()
    services.summary_submit(
        user=users["city"], summary=summary, text="半年总结", file=SimpleUploadedFile("海口市半年总结.pdf", PDF)
    )
    summary.refresh_from_db()
    assert summary.file_name == "海口市半年总结.pdf" and "海口" not in summary.file.name
    url = f"/files/ledger.summary.file/{summary.pk}/"
    assert url in client_for(users["city"]).get(f"/ledger/summaries/{summary.pk}/").content.decode()
    for who in ("city", "office"):
        assert client_for(users[who]).get(url).status_code == 200, who
    assert client_for(users["county"]).get(url).status_code == 404
    assert client.get(url).status_code == 404
