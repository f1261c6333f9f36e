"""Settings shared by every environment. Values come from environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from qualityplan.config.env import APPS_DIR, BASE_DIR, env, env_bool, env_list

# Everything the application writes at run time (SQLite database, Huey's SQLite queue, uploads, temporary files,
# backups, static root): QUALITYPLAN_VAR_DIR (alias VAR_DIR), by default var/ of the checkout (git-ignored); never
# the source tree itself (tests/scaleout/test_var_dir.py checks the list).
VAR_DIR = Path(env("QUALITYPLAN_VAR_DIR", "") or env("VAR_DIR", "") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",  # only for the migration of its tokens into orgs.ApiToken (orgs 0002)
    "django_filters",
    "drf_spectacular",
    "axes",
    "huey.contrib.djhuey",
    "qualityplan.core",
    "qualityplan.orgs",
    "qualityplan.plans",
    "qualityplan.notifications",
    "qualityplan.monitoring",
    "qualityplan.indicators",
    "qualityplan.ledger",
    "qualityplan.supervision",
    "qualityplan.credit",
    "qualityplan.hotline",
    "qualityplan.risk",
    "qualityplan.assessment",
    "qualityplan.public",
    "qualityplan.ops",
    "qualityplan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "qualityplan.core.middleware.CurrentUserMiddleware",
    "qualityplan.core.db_routing.WriteStampMiddleware",
    "qualityplan.core.errors.ErrorPagesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qualityplan.config.urls"
WSGI_APPLICATION = "qualityplan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualityplan.config.context_processors.navigation",
                "qualityplan.plans.context_processors.plan_switcher",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'qualityplan.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60") or 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the job queue and the web process write without blocking each other.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replica (streaming replica of the primary): read-only pages read from it; see qualityplan.core.db_routing.
_replica_url = env("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["qualityplan.core.db_routing.ReplicaRouter"]
REPLICA_READ_YOUR_WRITES_SECONDS = float(env("REPLICA_READ_YOUR_WRITES_SECONDS", "30"))
AUTH_USER_MODEL = "orgs.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# Sessions last SESSION_HOURS (default a working day) and end when the browser closes.
SESSION_COOKIE_AGE = int(float(env("SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username+IP pair after AXES_FAILURE_LIMIT failures, and an IP address
# after AXES_IP_FAILURE_LIMIT failures whatever the usernames (password spraying), for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_IP_FAILURE_LIMIT = int(env("AXES_IP_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = int(env("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # order matters: core.axes reads them so
AXES_HANDLER = "qualityplan.core.axes.LoginLockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

# Content-Security-Policy (django-csp) on every response: scripts only from our own static files (no inline
# script, no on*= handlers, no eval); styles may be inline (ECharts tooltips). Violations are reported to the
# browser console; CSP_REPORT_URI sends them to a collector as well.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [env("CSP_REPORT_URI", "")]} if env("CSP_REPORT_URI", "") else {}),
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [APPS_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [APPS_DIR / "static"]
# Uploaded files: private, random names, served only by the permission-checked view /files/<key>/<pk>/ (never by
# URL). MEDIA_ROOT must be outside anything a web server serves. MEDIA_STORAGE=s3 keeps them in an S3-compatible
# store instead (pip install qualityplan[s3]; AWS_* settings below).
MEDIA_ROOT = env("MEDIA_ROOT", "") or VAR_DIR / "files"
MEDIA_URL = "/media/"  # unused: nothing serves it (no URL pattern) and PrivateFileSystemStorage.url() raises
LEGACY_MEDIA_ROOT = VAR_DIR / "media"  # where files were kept (and served from /media/) before; moved by bootstrap
_media_storage = env("MEDIA_STORAGE", "filesystem")
STORAGES = {
    "default": {"BACKEND": "qualityplan.core.storage.PrivateFileSystemStorage"}
    if _media_storage != "s3"
    else {
        "BACKEND": "qualityplan.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("AWS_S3_REGION_NAME", "") or None,
            "access_key": env("AWS_ACCESS_KEY_ID", ""),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", ""),
            "location": env("AWS_LOCATION", "qualityplan"),
        },
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# How the download view hands a file over after the permission check: "django" streams it; "x-accel-redirect"
# (nginx: an `internal` location at FILES_ACCEL_REDIRECT_PREFIX aliased to MEDIA_ROOT) or "x-sendfile" (Apache
# mod_xsendfile) let the web server send it (filesystem storage only); "signed-redirect" (MEDIA_STORAGE=s3 only)
# answers with a redirect to a presigned URL of the object store valid FILES_SIGNED_URL_SECONDS.
FILES_SERVE = env("FILES_SERVE", "django")
FILES_SIGNED_URL_SECONDS = int(env("FILES_SIGNED_URL_SECONDS", "60"))
FILES_ACCEL_REDIRECT_PREFIX = env("FILES_ACCEL_REDIRECT_PREFIX", "/protected-files/")
PG_BIN = env("PG_BIN", "")  # qualityplan backup/restore: where pg_dump/pg_restore are (default: found)

# Evidence attachments (used by indicators, ledger, assessment).
EVIDENCE_MAX_BYTES = int(env("EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_ALLOWED_EXTENSIONS = env_list(
    "EVIDENCE_ALLOWED_EXTENSIONS", "pdf,doc,docx,xls,xlsx,wps,et,ofd,jpg,jpeg,png,txt,csv,zip"
)

# Quality-risk signal thresholds (qualityplan.risk.detection.DEFAULT_RULES, overridden key by key), e.g.
# RISK_SIGNAL_RULES=item_cluster_min=5,enterprise_cluster_share=0.6
RISK_SIGNAL_RULES = {
    key: float(value) if "." in value or "e" in value else int(value)
    for key, value in (item.split("=", 1) for item in env_list("RISK_SIGNAL_RULES", "") if "=" in item)
}

# The one clock (qualityplan.core.clock): empty = the real date; YYYY-MM-DD pins "today" (the demo pins 2017-11-30).
QUALITYPLAN_TODAY = env("QUALITYPLAN_TODAY", "")

# Record imports (qualityplan.monitoring.ingest).  Heartbeat of a running batch every N seconds; a batch without
# heartbeat for N minutes (or whose worker process on this host ended) is marked failed by the reaper.
IMPORT_HEARTBEAT_SECONDS = float(env("IMPORT_HEARTBEAT_SECONDS", "15"))
IMPORT_HEARTBEAT_TIMEOUT = float(env("IMPORT_HEARTBEAT_TIMEOUT", "10"))
# Dates in imported files must fall in [IMPORT_DATE_EARLIEST, today + IMPORT_DATE_AHEAD_DAYS].
IMPORT_DATE_EARLIEST = env("IMPORT_DATE_EARLIEST", "2000-01-01")
IMPORT_DATE_AHEAD_DAYS = int(env("IMPORT_DATE_AHEAD_DAYS", "0"))
# Imports read files in chunks of this many rows (memory grows with the chunk, not the file) and compute daily air
# values a window of about as many hourly rows at a time.  Temporary files (uploads larger than 2.5 MB while they
# arrive, a local copy of a file kept in S3) go to IMPORT_TMP_DIR.
IMPORT_CHUNK_ROWS = int(env("IMPORT_CHUNK_ROWS", "100000"))
IMPORT_TMP_DIR = Path(env("IMPORT_TMP_DIR", "") or VAR_DIR / "tmp")
IMPORT_TMP_DIR.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_TEMP_DIR = str(IMPORT_TMP_DIR)
# Sampling counted towards a pass-rate indicator (by product group) unless the office chose it for the indicator
# (指标计量方法) or for the group (admin, monitoring.PassRateScope): "supervision" (监督抽检 only) or
# "supervision_evaluation" (监督抽检 + 评价性抽检). Without any setting the target's wording decides: a plain
# 抽检合格率 counts both, a rate that names 监督抽检 that only (docs/indicators.md). 风险监测 never counts.
# Format: group=scope,group=scope.
SAMPLING_SCOPE = dict(item.split("=", 1) for item in env_list("SAMPLING_SCOPE", "") if "=" in item)
if set(SAMPLING_SCOPE.values()) - {"supervision", "supervision_evaluation"}:
    raise ImproperlyConfigured(f"SAMPLING_SCOPE: unknown scope in {SAMPLING_SCOPE}")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "qualityplan@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qualityplan.api.authentication.ApiTokenAuthentication",  # first: anonymous / bad token → 401
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["qualityplan.api.throttling.AnonThrottle", "qualityplan.api.throttling.UserThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["qualityplan.core.permissions.ScopedPermission"],
    "DEFAULT_PARSER_CLASSES": [
        "qualityplan.api.parsers.JSONParser",
        "qualityplan.api.parsers.FormParser",
        "qualityplan.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "qualityplan.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qualityplan.api.exceptions.exception_handler",
}
# Public portal (qualityplan.public): requests per client address and window (cached pages count too), and how
# many days before a publicity event the responsible units are reminded (`public_reminders`, daily job).
PUBLIC_RATE = (int(env("PUBLIC_RATE_REQUESTS", "300")), int(env("PUBLIC_RATE_SECONDS", "60")))
PUBLIC_REMINDER_DAYS = int(env("PUBLIC_REMINDER_DAYS", "7"))
# Cached portal pages are keyed by a stamp of the publications, itself cached this many seconds (a cache hit then
# touches no database); publishing/withdrawing drops it at once, other processes' memory caches follow within it.
PUBLIC_STAMP_SECONDS = float(env("PUBLIC_STAMP_SECONDS", "10"))
# API throttling (429 beyond the rate; "N/second|minute|hour|day", empty = off). Counted in the cache (CACHE_URL).
API_THROTTLE_ANON = env("API_THROTTLE_ANON", "30/minute")
API_THROTTLE_USER = env("API_THROTTLE_USER", "600/minute")
# Personal API tokens (profile page): default and maximum lifetime in days.
API_TOKEN_DAYS = int(env("API_TOKEN_DAYS", "90"))
API_TOKEN_MAX_DAYS = int(env("API_TOKEN_MAX_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    "TITLE": "qualityplan API",
    "DESCRIPTION": "Plans, targets, measures, units, indicators, ledger, supervision and assessment.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from npm (make setup copies it to static/vendor/swagger-ui): no CDN, CSP-clean (split view)
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}vendor/swagger-ui/favicon-32x32.png",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "qualityplan.api.schema.declare_errors",
    ],
}

# Cache: per-process memory by default (each gunicorn worker has its own; the indicator dashboard and API keys
# carry a version stamp of the data, so separate caches never serve stale pages). CACHE_URL=redis://host:6379/1
# shares one cache between workers and hosts (needs the `redis` package).
_cache_url = env("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
    if _cache_url
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "qualityplan",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
}

# Job queue: Huey on SQLite by default (embedded); Redis by HUEY_REDIS_URL for scale-out.
_huey_redis = env("HUEY_REDIS_URL", "")
HUEY = {
    "huey_class": "huey.RedisHuey" if _huey_redis else "huey.SqliteHuey",
    "name": "qualityplan",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    **({"url": _huey_redis} if _huey_redis else {"filename": str(VAR_DIR / "huey.sqlite3")}),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "WARNING"}},
}
