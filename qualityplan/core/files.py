"""Private files: content sniffing, the upload allow-list, and the one download view.

Every ``FileField`` of every installed model is reachable only through :func:`download`
(``/files/<app>.<model>.<field>/<pk>/``), which answers 404 unless the user is signed in and the owning row is in
``Model.objects.restrict(user, "view")`` — the same rule as the row itself. The original file name comes from the
row (``<field>_name``, or ``name`` for a model with one file field), never from the stored (random) name.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from functools import cache

import filetype
from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header

log = logging.getLogger(__name__)

HEAD_BYTES = 8192
TEXT_CHECK_BYTES = 1024 * 1024
OLE = "application/x-ole-storage"
ZIP = "application/zip"
TEXT = "text/plain"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INLINE_SAFE = {"application/pdf", "image/png", "image/jpeg"}

# extension → the sniffed content types it may carry
CONTENT_RULES: dict[str, set[str]] = {
    "pdf": {"application/pdf"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "docx": {DOCX, ZIP},
    "xlsx": {XLSX, ZIP},
    "zip": {ZIP, DOCX, XLSX},
    "ofd": {ZIP},
    "doc": {OLE},
    "xls": {OLE},
    "wps": {OLE},
    "et": {OLE},
    "txt": {TEXT},
    "csv": {TEXT},
}


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(data) - 3:  # a character cut at the end of the sample
                return True
    return False


def sniff(data: bytes) -> str:
    """The content type of ``data`` (the first bytes of a file) by its content, never its name."""
    if data.startswith(OLE_MAGIC):
        return OLE
    kind = filetype.guess(data) if data else None
    if kind is not None:
        return kind.mime
    if _is_text(data):
        return TEXT
    return "application/octet-stream"


def _read_sample(fileobj, size: int) -> bytes:
    pos = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        return fileobj.read(size) or b""
    finally:
        fileobj.seek(pos)


def content_matches(upload, ext: str) -> tuple[bool, str]:
    """(whether the sniffed content of ``upload`` is allowed for extension ``ext``, the sniffed type)."""
    allowed = CONTENT_RULES.get(ext.lower())
    head = _read_sample(upload, HEAD_BYTES)
    mime = sniff(head)
    if mime == TEXT:
        sample = _read_sample(upload, TEXT_CHECK_BYTES)
        if not _is_text(sample):
            mime = "application/octet-stream"
    return (allowed is not None and mime in allowed), mime


# --- the registry of file fields -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileSpec:
    key: str
    model: type[models.Model]
    field: str
    name_field: str | None


@cache
def registry() -> dict[str, FileSpec]:
    """Every ``FileField`` of every installed model, keyed ``app_label.model_name.field``."""
    specs = {}
    for model in apps.get_models():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        names = {f.name for f in model._meta.concrete_fields}
        for f in file_fields:
            name_field = f"{f.name}_name" if f"{f.name}_name" in names else None
            if name_field is None and len(file_fields) == 1 and "name" in names:
                name_field = "name"
            key = f"{model._meta.app_label}.{model._meta.model_name}.{f.name}"
            specs[key] = FileSpec(key, model, f.name, name_field)
    return specs


def _spec_for(obj, field: str) -> FileSpec:
    return registry()[f"{obj._meta.app_label}.{obj._meta.model_name}.{field}"]


def download_url(obj, field: str = "file") -> str:
    """The permission-checked URL of ``obj.<field>`` ("" when there is no file)."""
    if obj is None or not getattr(obj, field):
        return ""
    return reverse("file-download", args=[_spec_for(obj, field).key, obj.pk])


def display_name(obj, field: str = "file") -> str:
    """The name the user gave the file (falls back to the stored name's extension-only form)."""
    spec = _spec_for(obj, field)
    name = getattr(obj, spec.name_field, "") if spec.name_field else ""
    if name:
        return name
    stored = getattr(obj, field).name or ""
    return f"{spec.model._meta.model_name}-{obj.pk}{posixpath.splitext(stored)[1]}"


def _response_type(head: bytes, original: str) -> str:
    mime = sniff(head)
    if mime == TEXT:
        charset = "utf-8"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:
                charset = "gb18030"
        return f"{'text/csv' if original.lower().endswith('.csv') else TEXT}; charset={charset}"
    if mime == OLE:
        guessed = mimetypes.guess_type(original)[0] or ""
        return guessed if guessed.startswith("application/") else "application/octet-stream"
    return mime


def file_response(obj, field: str):
    """Stream ``obj.<field>`` with a sniffed type, ``nosniff`` and ``attachment`` unless inline-safe."""
    fieldfile = getattr(obj, field)
    if not fieldfile:
        raise Http404
    storage = fieldfile.storage
    mode = getattr(settings, "FILES_SERVE", "django")
    if mode == "signed-redirect" and hasattr(storage, "signed_url"):
        return _signed_redirect(obj, field, storage, fieldfile.name)
    try:
        fh = storage.open(fieldfile.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        log.warning("stored file missing: %s (%s #%s)", fieldfile.name, obj._meta.label, obj.pk)
        raise Http404 from exc
    head = _read_sample(fh, HEAD_BYTES)
    original = display_name(obj, field)
    content_type = _response_type(head, original)
    inline = content_type in INLINE_SAFE
    if mode in ("x-accel-redirect", "x-sendfile"):
        fh.close()
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = settings.FILES_ACCEL_REDIRECT_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{fieldfile.name}"
        else:
            response["X-Sendfile"] = storage.path(fieldfile.name)
        response["Content-Disposition"] = content_disposition_header(not inline, original)
    else:
        response = FileResponse(fh, as_attachment=not inline, filename=original, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_redirect(obj, field: str, storage, name: str):
    """An object store's presigned URL, short-lived, carrying the same type and disposition as a streamed answer."""
    try:
        head = storage.head_bytes(name, HEAD_BYTES)
    except Exception as exc:  # the store's "no such key" (botocore ClientError) and the like
        log.warning("stored file missing: %s (%s #%s): %s", name, obj._meta.label, obj.pk, exc)
        raise Http404 from exc
    original = display_name(obj, field)
    content_type = _response_type(head, original)
    inline = content_type in INLINE_SAFE
    url = storage.signed_url(
        name,
        expire=int(getattr(settings, "FILES_SIGNED_URL_SECONDS", 60)),
        filename_header=content_disposition_header(not inline, original),
        content_type=content_type,
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def download(request, key: str, pk: str):
    """``/files/<key>/<pk>/``: 404 for anonymous users, unknown keys and rows outside the user's view scope."""
    spec = registry().get(key)
    if spec is None or not request.user.is_authenticated or not str(pk).isdigit():
        raise Http404
    manager = spec.model._default_manager
    if not hasattr(manager, "restrict"):
        raise Http404  # a model without a data scope has no downloadable files
    obj = manager.restrict(request.user, "view").filter(pk=int(pk)).first()
    if obj is None:
        raise Http404
    return file_response(obj, spec.field)


def original_name(upload, max_length: int = 200) -> str:
    """The client's file name for display: no directories, no control characters, at most ``max_length``."""
    raw = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in raw if ch.isprintable()).strip() or "file"
    if len(name) > max_length:
        stem, ext = posixpath.splitext(name)
        ext = ext if len(ext) <= 16 else ""
        name = stem[: max_length - len(ext)] + ext
    return name


_RANDOM_BASENAME = re.compile(r"^[A-Za-z0-9_-]{32}(\.[a-z0-9]{1,8})?$")


def files_relocate(*, legacy_root=None) -> dict:
    """Move every stored file whose name is not random (uploaded before private storage) to a random name.

    The file is read from the storage or, failing that, from ``legacy_root`` (``LEGACY_MEDIA_ROOT``, the old
    ``/media/`` directory); the row keeps the old base name as its original name. Idempotent; audited per row.
    """
    from pathlib import Path

    from django.core.files import File

    legacy_root = Path(legacy_root or settings.LEGACY_MEDIA_ROOT)
    moved = missing = 0
    for spec in registry().values():
        model = spec.model
        rows = model._default_manager.exclude(**{spec.field: ""}).exclude(**{f"{spec.field}__isnull": True})
        for obj in rows.iterator():
            fieldfile = getattr(obj, spec.field)
            old = fieldfile.name
            if _RANDOM_BASENAME.match(posixpath.basename(old)):
                continue
            storage = fieldfile.storage
            legacy = legacy_root / old
            if storage.exists(old):
                source, remove = storage.open(old, "rb"), lambda s=storage, n=old: s.delete(n)
            elif legacy.is_file():
                source, remove = legacy.open("rb"), legacy.unlink
            else:
                missing += 1
                log.warning("file of %s #%s not found: %s", model._meta.label, obj.pk, old)
                continue
            with source:
                new = storage.save(old, File(source))
            fields = [spec.field]
            setattr(obj, spec.field, new)
            if spec.name_field and not getattr(obj, spec.name_field):
                setattr(obj, spec.name_field, original_name(File(None, name=posixpath.basename(old))))
                fields.append(spec.name_field)
            obj.save(update_fields=fields)
            remove()
            moved += 1
    return {"moved": moved, "missing": missing}
