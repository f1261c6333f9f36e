"""Render the demo round's official documents to .docx, PDF (LibreOffice headless) and PNG pages (pdftoppm).

Usage (after `make setup`; needs Debian's libreoffice-writer-nogui and poppler-utils):

    .venv/bin/python scripts/render-documents.py OUT_DIR [--png]

Writes the province report (通报), the first unit's score sheet and a half-year summary draft, so a reviewer can see
that they open outside python-docx and carry the GB/T 9704 layout. The pictures in docs/img/ come from this script.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityplan.config.django.local")
    import django

    django.setup()
    from qualityplan.assessment import documents
    from qualityplan.assessment.models import Round

    rnd = Round.objects.filter(year=2017).order_by("-id").first()
    if rnd is None:
        print("no 2017 round: run `qualityplan bootstrap --demo` first", file=sys.stderr)
        return 1
    first = rnd.assessments.select_related("unit").order_by("rank").first()
    files = {
        "province-report.docx": documents.province_report_docx(rnd),
        "score-sheet.docx": documents.score_sheet_docx(first),
        "summary-half-year.docx": documents.summary_draft_docx(unit=first.unit, year=2017, kind="half_year"),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice not found: wrote the .docx files only", file=sys.stderr)
        return 0
    for name in files:
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(out / name)],
            check=True,
            capture_output=True,
        )
        pdf = out / name.replace(".docx", ".pdf")
        print(f"{pdf} ({pdf.stat().st_size} bytes)")
        if "--png" in argv and shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / pdf.stem)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
