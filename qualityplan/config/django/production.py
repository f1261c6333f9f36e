"""Production settings: fail fast on a missing secret; HTTPS only (HSTS, redirect, secure cookies).

``manage.py check --deploy`` is clean with these settings. Behind a TLS-terminating reverse proxy set
``SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https`` (and make the proxy set that header), or the redirect loops.
"""

from qualityplan.config.django.base import *  # noqa: F403
from qualityplan.config.env import env, env_bool, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
_proxy_header = env_list("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_header[:2])
