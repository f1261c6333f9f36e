"""The official documents open in LibreOffice (as a stand-in for Word/WPS) and render to PDF with their content.

`make test` installs LibreOffice Writer (headless) and poppler-utils; under CI a missing converter is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from qualityplan.reports.gbt9704 import OfficialDocument

pytestmark = pytest.mark.django_db


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{name} is missing (make test installs it)", pytrace=False)
        pytest.skip(f"{name} not installed (make test installs it)")
    return path


def test_province_report_renders_to_pdf_in_libreoffice(round_2017, users, evaluation, tmp_path):
    from qualityplan.assessment import documents
    from qualityplan.assessment.tests.test_documents import closed_round

    round_2017_closed = closed_round(round_2017, users, evaluation)
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(documents.province_report_docx(round_2017_closed))
    env = {**os.environ, "HOME": str(tmp_path)}  # a private LibreOffice profile
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx_path)],
        check=True, capture_output=True, timeout=180, env=env,
    )  # fmt: skip
    pdf = tmp_path / "report.pdf"
    assert pdf.stat().st_size > 10_000
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "pts (A4)" in info  # pdfinfo names the page size
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "考核结果的通报" in text.replace(" ", "").replace("\n", "")
    # 28 characters a line (not 14, as with a character grid LibreOffice snaps 16 pt glyphs into two cells of)
    lines = [ln.strip().replace(" ", "") for ln in text.splitlines() if ln.strip()]
    salutation = next(ln for ln in lines if ln.startswith("各市县人民政府"))
    assert 26 <= len(salutation) <= 28, salutation


def test_builder_document_renders(tmp_path):
    soffice = _tool("soffice")
    doc = OfficialDocument()
    doc.title("测试文件")
    doc.para("正文" * 40)
    path = tmp_path / "x.docx"
    path.write_bytes(doc.to_bytes())
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180, env=env)  # fmt: skip
    assert (tmp_path / "x.pdf").stat().st_size > 1000
