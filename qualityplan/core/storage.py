"""The one storage layer for uploaded files: private, with unguessable names.

Every ``FileField`` uses ``STORAGES["default"]``. The stored name is random (the user's file name is kept in the
owning row for display and ``Content-Disposition``), and the storage has no URL: files are served only through
``qualityplan.core.files.download`` after a data-scope check. ``MEDIA_STORAGE=s3`` selects
:class:`PrivateS3Storage` (needs the ``s3`` extra, django-storages).
"""

from __future__ import annotations

import posixpath
import re
import secrets

from django.core.files.storage import FileSystemStorage

_SAFE_EXT = re.compile(r"^\.[a-z0-9]{1,8}$")


def random_name(name: str) -> str:
    """``dir/any name.PDF`` → ``dir/<32 random url-safe chars>.pdf`` (the extension only if it is plain)."""
    dirname, base = posixpath.split(name.replace("\\", "/"))
    ext = posixpath.splitext(base)[1].lower()
    token = secrets.token_urlsafe(24)
    return posixpath.join(dirname, token + (ext if _SAFE_EXT.match(ext) else ""))


class RandomNameMixin:
    def get_available_name(self, name, max_length=None):
        for _attempt in range(10):
            candidate = random_name(name)
            if not self.exists(candidate):
                return candidate
        raise FileExistsError(name)  # pragma: no cover - 192 random bits

    def url(self, name):
        raise NotImplementedError("Private files have no URL: link to qualityplan.core.files.download_url().")


class PrivateFileSystemStorage(RandomNameMixin, FileSystemStorage):
    """Files under ``MEDIA_ROOT`` (a private directory nothing serves)."""
