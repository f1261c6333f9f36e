"""Production settings: fail fast on a missing secret; secure cookies."""

from qualityplan.config.django.base import *  # noqa: F403
from qualityplan.config.env import env_bool, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
