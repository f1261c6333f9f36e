"""Validation of uploaded evidence against ``EVIDENCE_MAX_BYTES`` / ``EVIDENCE_ALLOWED_EXTENSIONS``.

The extension must be allowed *and* the content, sniffed from its bytes, must be what the extension says
(``qualityplan.core.files.CONTENT_RULES``): an HTML page renamed ``.pdf`` is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from qualityplan.core.exceptions import ApplicationError
from qualityplan.core.files import content_matches


def evidence_validate(upload, *, field: str = "evidence", label: str | None = None) -> None:
    """Raise :class:`ApplicationError` when the file type or size is not allowed.

    The message names the field by its ``label`` as the user sees it (default: 证明材料); the error's
    extra data carries the field's name (``field``) for API clients.
    """
    shown = label or _("证明材料")
    allowed = [e.lower().lstrip(".") for e in settings.EVIDENCE_ALLOWED_EXTENSIONS]
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in allowed:
        raise ApplicationError(
            _("%(field)s：文件类型 .%(ext)s 不允许（允许：%(allowed)s）。")
            % {"field": shown, "ext": ext or "?", "allowed": ", ".join(allowed)},
            {"field": field, "file": name, "allowed": allowed},
        )
    size = getattr(upload, "size", 0) or 0
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ApplicationError(
            _("%(field)s：文件 %(name)s 超过大小上限 %(mb)s MB。")
            % {"field": shown, "name": name, "mb": f"{settings.EVIDENCE_MAX_BYTES / (1024 * 1024):.3g}"},
            {"field": field, "file": name, "max_bytes": settings.EVIDENCE_MAX_BYTES, "size": size},
        )
    ok, mime = content_matches(upload, ext)
    if not ok:
        raise ApplicationError(
            _("%(field)s：文件 %(name)s 的内容与扩展名 .%(ext)s 不符（检测为 %(mime)s），已拒收。")
            % {"field": shown, "name": name, "ext": ext, "mime": mime},
            {"field": field, "file": name, "detected": mime},
        )
