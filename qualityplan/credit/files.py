"""The one place credit files are stored and served (evidence validation from ``qualityplan.core.evidence``).

Everything that touches storage goes through :func:`document_store` and :func:`document_response`, so a change of
the storage layer is a change of this module only.
"""

from __future__ import annotations

from django.http import FileResponse

from qualityplan.core.evidence import evidence_validate
from qualityplan.credit.models import CreditDocument


def document_store(*, upload, kind: str, user, unit, event=None, application=None) -> CreditDocument:
    evidence_validate(upload, field=kind)
    doc = CreditDocument(
        event=event,
        application=application,
        kind=kind,
        file_name=getattr(upload, "name", "")[:255],
        size=getattr(upload, "size", 0) or 0,
        unit=unit,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    doc.file.save(doc.file_name, upload, save=False)
    doc.full_clean()
    doc.save()
    return doc


def document_response(document: CreditDocument) -> FileResponse:
    """Serve the file as an attachment (the caller has checked ``policies.can_view_document``)."""
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name)
