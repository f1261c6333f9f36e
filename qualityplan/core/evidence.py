"""Validation of uploaded evidence against ``EVIDENCE_MAX_BYTES`` / ``EVIDENCE_ALLOWED_EXTENSIONS``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from qualityplan.core.exceptions import ApplicationError


def evidence_validate(upload, *, field: str = "evidence") -> None:
    """Raise :class:`ApplicationError` naming ``field`` when the file type or size is not allowed."""
    allowed = [e.lower().lstrip(".") for e in settings.EVIDENCE_ALLOWED_EXTENSIONS]
    name = getattr(upload, "name", "") or ""
    ext = Path(name).suffix.lower().lstrip(".")
    if ext not in allowed:
        raise ApplicationError(
            f"{field}：文件类型 .{ext or '?'} 不允许（允许：{', '.join(allowed)}）。",
            {"field": field, "file": name, "allowed": allowed},
        )
    size = getattr(upload, "size", 0) or 0
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ApplicationError(
            f"{field}：文件 {name} 超过大小上限 {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB。",
            {"field": field, "file": name, "max_bytes": settings.EVIDENCE_MAX_BYTES, "size": size},
        )
