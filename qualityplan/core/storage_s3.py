"""``MEDIA_STORAGE=s3``: private objects in an S3-compatible store (needs ``pip install qualityplan[s3]``).

Configured by ``AWS_STORAGE_BUCKET_NAME``, ``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``
(see ``.env.example``). Files are still served only through the download view, which streams them from the store.
"""

from storages.backends.s3 import S3Storage

from qualityplan.core.storage import RandomNameMixin


class PrivateS3Storage(RandomNameMixin, S3Storage):
    default_acl = "private"
    querystring_auth = True
    file_overwrite = False
