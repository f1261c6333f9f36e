"""``MEDIA_STORAGE=s3``: private objects in an S3-compatible store (django-storages; boto3).

Configured by ``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``
(see ``.env.example``). Objects are private (no public ACL, no URL in pages); the download view checks the user's
scope first and then either streams the object (``FILES_SERVE=django``) or answers with a redirect to a presigned
URL valid for ``FILES_SIGNED_URL_SECONDS`` (``FILES_SERVE=signed-redirect``), so the web node does not carry the
bytes. Only the view mints those URLs; pages never contain them.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from qualityplan.core.storage import RandomNameMixin


class PrivateS3Storage(RandomNameMixin, S3Storage):
    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def get_default_settings(self):
        defaults = super().get_default_settings()
        # a large object read by the download view spills to a temporary file instead of staying in memory
        defaults["max_memory_size"] = defaults.get("max_memory_size") or 8 * 1024 * 1024
        # presigned URLs with SigV4: the lifetime (X-Amz-Expires, at most 7 days) is part of the signed request
        defaults["signature_version"] = defaults.get("signature_version") or "s3v4"
        return defaults

    def head_bytes(self, name: str, size: int) -> bytes:
        """The first ``size`` bytes of an object (a ranged GET: the type is sniffed without fetching the object)."""
        obj = self.bucket.Object(self._normalize_name(name))
        return obj.get(Range=f"bytes=0-{max(size - 1, 0)}")["Body"].read()

    def signed_url(self, name: str, *, expire: int, filename_header: str, content_type: str) -> str:
        """A presigned GET valid for ``expire`` seconds that makes the store answer with our headers."""
        parameters = {
            "ResponseContentDisposition": filename_header,
            "ResponseContentType": content_type,
            "ResponseCacheControl": "private, no-store",
        }
        return S3Storage.url(self, name, parameters=parameters, expire=expire)
