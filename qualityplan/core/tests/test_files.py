"""Private files: sniffing by content, the types and names the download view answers with, and its refusals.

Expected values come from the file formats (the OLE compound-file magic D0 CF 11 E0 A1 B1 1A E1, GB18030 lead bytes
0x81-0xFE, UTF-8 sequences of up to 4 bytes) and from the standard MIME registrations (.doc application/msword,
.xls application/vnd.ms-excel), worked by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from qualityplan.core import files
from qualityplan.core.files import (
    OLE_MAGIC,
    FileSpec,
    content_matches,
    display_name,
    download_url,
    files_relocate,
    original_name,
    sniff,
)
from qualityplan.ledger import services as ledger
from qualityplan.ledger.models import Evidence, Summary

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GB_TEXT = "质量提升行动计划\n".encode("gb18030")  # two bytes per character, invalid as UTF-8 from byte 0
OLE_DOC = OLE_MAGIC + bytes(504)  # a compound-file header: the magic, then the rest of the 512-byte sector


# --- sniffing ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (OLE_DOC, files.OLE),
        (PDF, "application/pdf"),
        ("进展说明\n".encode(), "text/plain"),
        (GB_TEXT, "text/plain"),  # not UTF-8, but GB18030
        ("质量".encode()[:-1], "text/plain"),  # UTF-8 cut inside the last character (量 E9 87 8F → E9 87)
        (b"", "text/plain"),  # an empty file is (empty) text
        (b"\x01\x02\x00\x03 data", "application/octet-stream"),  # no known magic, and a NUL byte: never text
        (b"\x80\xff\x80\xff plain?", "application/octet-stream"),  # 0x80 and 0xFF lead neither UTF-8 nor GB18030
    ],
)
def test_sniff_by_content(data, expected):
    assert sniff(data) == expected


def test_text_is_checked_beyond_the_first_8_kib():
    # the first 8192 bytes are text, a NUL follows: a .txt that is not text (a disguised binary)
    upload = SimpleUploadedFile("notes.txt", b"a" * 8192 + b"\x00binary")
    assert content_matches(upload, "txt") == (False, "application/octet-stream")
    assert content_matches(SimpleUploadedFile("notes.txt", b"a" * 8192 + b"\n"), "TXT") == (True, "text/plain")


def test_content_matches_restores_the_position_and_refuses_unknown_extensions():
    fh = io.BytesIO(PDF)
    fh.seek(5)
    assert content_matches(fh, "exe") == (False, "application/pdf")  # no rule for .exe: never allowed
    assert fh.tell() == 5
    assert content_matches(io.BytesIO(OLE_DOC), "doc") == (True, files.OLE)
    assert content_matches(io.BytesIO(OLE_DOC), "docx") == (False, files.OLE)


@pytest.mark.parametrize(
    ("head", "original", "expected"),
    [
        (GB_TEXT, "说明.txt", "text/plain; charset=gb18030"),
        (b"a,b\n1,2\n", "数据.CSV", "text/csv; charset=utf-8"),
        ("abc质".encode()[:-2], "x.txt", "text/plain; charset=utf-8"),  # cut at the end of the sample: still UTF-8
        (OLE_DOC, "旧方案.doc", "application/msword"),
        (OLE_DOC, "旧台账.xls", "application/vnd.ms-excel"),
        (OLE_DOC, "旧方案.txt", "application/octet-stream"),  # an OLE file is never served as text
        (OLE_DOC, "旧方案", "application/octet-stream"),
        (b"\x89PNG\r\n\x1a\n" + bytes(16), "x.png", "image/png"),
    ],
)
def test_response_type(head, original, expected):
    assert files._response_type(head, original) == expected


# --- names --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "max_length", "expected"),
    [
        ("C:\\Users\\李\\报告\x07.pdf", 200, "报告.pdf"),  # no directories, no control characters
        ("/tmp/../  ", 200, "file"),  # nothing printable left
        ("报" * 250 + ".pdf", 200, "报" * 196 + ".pdf"),  # 196 + 4 = 200, the extension kept
        ("a" * 10 + "." + "b" * 20, 20, "a" * 10),  # an extension of 21 characters is not kept: stem only
    ],
)
def test_original_name(raw, max_length, expected):
    upload = SimpleUploadedFile("x", b"")
    upload.name = raw
    assert original_name(upload, max_length) == expected


# --- the download view ----------------------------------------------------------------------------------------------


@pytest.fixture
def evidence(plan_2017, users, settings, tmp_path):
    from qualityplan.plans.models import Measure

    settings.MEDIA_ROOT = str(tmp_path / "media")
    measure = Measure.objects.filter(plan=plan_2017, responsibilities__unit__code="QTS")[0]
    task = ledger.task_create(
        user=users["dept"], measure=measure, title="制定方案", owner_name="李", deadline=dt.date(2017, 6, 30)
    )
    ledger.progress_report(
        user=users["dept"], task=task, status="on_track", narrative="进展", files=[SimpleUploadedFile("方案.pdf", PDF)]
    )
    return Evidence.objects.get(update__task=task)


def test_a_row_without_a_name_is_offered_under_a_neutral_name(evidence, users, client_for):
    Evidence.objects.filter(pk=evidence.pk).update(name="")
    evidence.refresh_from_db()
    assert display_name(evidence) == f"evidence-{evidence.pk}.pdf"
    r = client_for(users["dept"]).get(download_url(evidence))
    assert r.status_code == 200
    assert r["Content-Disposition"] == f'inline; filename="evidence-{evidence.pk}.pdf"'


def test_download_url_is_empty_without_a_file(plan_2017, users):
    ledger.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["city"].unit).first()
    assert download_url(None) == "" and download_url(summary) == ""


def test_a_row_without_a_file_answers_404(plan_2017, users, client_for):
    ledger.summaries_create_expected(plan=plan_2017)
    summary = Summary.objects.filter(unit=users["city"].unit).first()  # expected, nothing uploaded yet
    assert client_for(users["city"]).get(f"/files/ledger.summary.file/{summary.pk}/").status_code == 404


def test_a_missing_stored_file_answers_404(evidence, users, client_for, settings):
    (Path(settings.MEDIA_ROOT) / evidence.file.name).unlink()
    assert client_for(users["dept"]).get(download_url(evidence)).status_code == 404


def test_x_sendfile_hand_off(evidence, users, client_for, settings):
    settings.FILES_SERVE = "x-sendfile"
    r = client_for(users["office"]).get(download_url(evidence))
    assert r.status_code == 200 and r.content == b""
    assert r["X-Sendfile"] == f"{settings.MEDIA_ROOT}/{evidence.file.name}"
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == "inline; filename*=utf-8''%E6%96%B9%E6%A1%88.pdf"  # 方 E6 96 B9, 案 E6 A1 88
    assert r["Cache-Control"] == "private, no-store" and r["X-Content-Type-Options"] == "nosniff"


def test_signed_redirect_mode_streams_from_a_storage_without_signed_urls(evidence, users, client_for, settings):
    settings.FILES_SERVE = "signed-redirect"  # the file system storage cannot sign: the file is streamed instead
    r = client_for(users["office"]).get(download_url(evidence))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF


def test_a_model_without_a_data_scope_serves_no_file(users, client_for, monkeypatch):
    spec = FileSpec("auth.group.file", Group, "file", None)
    monkeypatch.setattr(files, "registry", lambda: {spec.key: spec})
    group = Group.objects.create(name="g")
    assert client_for(users["office"]).get(f"/files/auth.group.file/{group.pk}/").status_code == 404


# --- relocating files stored under guessable names ----------------------------------------------------------------------


def test_relocate_moves_files_in_the_storage_and_counts_missing_ones(evidence, settings, tmp_path):
    root = Path(settings.MEDIA_ROOT)
    (root / "evidence/old").mkdir(parents=True)
    (root / "evidence/old/报告.pdf").write_bytes(PDF)
    Evidence.objects.filter(pk=evidence.pk).update(file="evidence/old/报告.pdf")  # the row keeps 方案.pdf as its name
    other = Evidence.objects.create(update=evidence.update, file="evidence/old/gone.pdf", name="", size=1)

    assert files_relocate(legacy_root=tmp_path / "no-legacy") == {"moved": 1, "missing": 1}
    evidence.refresh_from_db()
    assert evidence.name == "方案.pdf"  # an original name already kept is not replaced
    assert evidence.file.name.startswith("evidence/old/") and evidence.file.name != "evidence/old/报告.pdf"
    assert (root / evidence.file.name).read_bytes() == PDF
    assert not (root / "evidence/old/报告.pdf").exists()
    other.refresh_from_db()
    assert other.file.name == "evidence/old/gone.pdf" and other.name == ""  # left as it was, reported
