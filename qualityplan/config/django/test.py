"""Test settings: fast hashing, eager jobs, locmem cache and e-mail."""

from qualityplan.config.django.base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
HUEY = {**HUEY, "immediate": True}  # noqa: F405
AXES_ENABLED = True
STORAGES = {  # no manifest needed in tests
    "default": {"BACKEND": "qualityplan.core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
import atexit as _atexit  # noqa: E402
import shutil as _shutil  # noqa: E402
import tempfile as _tempfile  # noqa: E402

MEDIA_ROOT = _tempfile.mkdtemp(prefix="qualityplan-test-media-")
_atexit.register(_shutil.rmtree, MEDIA_ROOT, True)  # every process that loads these settings removes its own
API_THROTTLE_ANON = API_THROTTLE_USER = ""  # tests that need throttling set a rate
