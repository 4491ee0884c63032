"""Settings, read from the environment.

Nothing set gives the embedded default: a SQLite file, the in-memory channel
layer, local media and debug. ``DATABASE_URL`` switches to PostgreSQL,
``REDIS_URL`` to the Redis channel layer and cache. See README "Settings".
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Outside debug eCabinet refuses to start without "
            "one: set SECRET_KEY to a long random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "ecabinet-insecure-development-key-only-for-debug"  # noqa: S105

# Tenants are reached at <slug>.<ECABINET_BASE_DOMAIN>; the bare host serves
# ECABINET_DEFAULT_TENANT (CONTRACT.md "Hosts and tenants").
ECABINET_BASE_DOMAIN = os.environ.get("ECABINET_BASE_DOMAIN", "localhost").lower().strip(".")
ECABINET_DEFAULT_TENANT = os.environ.get("ECABINET_DEFAULT_TENANT", "chinhphu")
ECABINET_BARE_HOSTS = env_list(
    "ECABINET_BARE_HOSTS", ["localhost", "127.0.0.1", "[::1]", "::1", ECABINET_BASE_DOMAIN]
)
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "ecabinet-demo")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    [f".{ECABINET_BASE_DOMAIN}", ECABINET_BASE_DOMAIN, "127.0.0.1", "[::1]", "testserver"],
)

INSTALLED_APPS = [
    "daphne",
    # Ours first, so that our templates (login, logout) win over allauth's.
    "ecabinet",
    "meetings",
    "documents",
    "voting",
    "reports",
    "reports.apps.MinutesConfig",
    "reports.apps.FollowupConfig",
    "reports.apps.MeasurementConfig",
    "demo",
    "ecabinet.apps.NationalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "allauth",
    "allauth.account",
    "django_tasks",
    "ecabinet.apps.TasksDatabaseConfig",  # django_tasks_db, named in Vietnamese
]

MIDDLEWARE = [
    "ecabinet.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ecabinet.tenancy.TenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ecabinet.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecabinet.tenancy.TenantUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ecabinet.pages.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "ecabinet.urls"
ASGI_APPLICATION = "ecabinet.asgi.application"
WSGI_APPLICATION = "ecabinet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ecabinet.tenancy.tenant_context_processor",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI persistent connections don't help (each request may run on
    # another thread): no CONN_MAX_AGE, a psycopg pool instead.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_SIZE", "20")),
            # How long a request waits for a connection before it is a 503.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
        }
else:
    _sqlite_dir = Path(os.environ.get("ECABINET_VAR_DIR", BASE_DIR / "var"))
    _sqlite_dir.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("ECABINET_SQLITE_PATH") or str(_sqlite_dir / "ecabinet.sqlite3"),
            # Keep each thread's connection: channels closes "old" connections
            # around every database_sync_to_async call, and reopening the file
            # (and its PRAGMAs) at each hop of a socket's connect costs about
            # a third to a half of a 200-socket connect storm (bench/ fanout).
            "CONN_MAX_AGE": None,
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
            # the busy timeout instead of failing on a lock upgrade; WAL lets
            # the sockets read while the worker writes.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory: consumer threads, the live server and the
            # concurrency tests need one database seen by every connection.
            "TEST": {"NAME": os.environ.get("ECABINET_TEST_DB") or str(_sqlite_dir / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels and cache ---------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py's pool refuses past max_connections (100 by
                # default) instead of waiting: with 200 sockets, group_add
                # fails in a connect storm (1011, the tablet retries) and
                # group_discard when they leave at once, leaving dead
                # members in the group until group_expiry (bench/ fanout).
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": int(os.environ.get("REDIS_MAX_CONNECTIONS", "1000")),
                        # redis-py 8 reads with a 5 s timeout by default, the
                        # very time channels_redis blocks waiting for a
                        # message (brpop_timeout): an idle socket's consumer
                        # then died every few seconds with "Timeout reading
                        # from Redis". Read longer than the wait.
                        "socket_timeout": 15,
                        "socket_connect_timeout": 5,
                    }
                ],
                # A dropped event is only a log line in channels_redis; the
                # database stays the truth and clients replay gaps, but keep
                # the drop rare and keep groups alive longer than a socket.
                "capacity": 1000,
                "expiry": 60,
                "group_expiry": 2 * 86400,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django-tasks with its database backend. With the in-memory
# channel layer the worker runs as a thread of the Daphne process (see
# ecabinet/worker.py), so that what it publishes reaches the sockets.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
ECABINET_WORKER = os.environ.get("ECABINET_WORKER", "process" if REDIS_URL else "thread")

# --- Accounts and login ---------------------------------------------------
AUTH_USER_MODEL = "ecabinet.User"
AUTHENTICATION_BACKENDS = [
    "ecabinet.accounts.TenantModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "ecabinet.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True

# django-guardian: no anonymous user row (every account belongs to a tenant or
# is a national administrator); papers bring direct foreign-key permission
# models in their first migration.
GUARDIAN_ANONYMOUS_USER_NAME = None
ANONYMOUS_USER_NAME = None

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "ecabinet.authentication.TenantSessionAuthentication",
        "ecabinet.authentication.TenantTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ecabinet.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "eCabinet API",
    "DESCRIPTION": (
        "Paperless cabinet meetings. Every route is scoped to the tenant of the "
        'host it is called on. Errors are {"error": code, "detail": message}.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["ecabinet.formats"]

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Papers are kept here, never under a public path: they leave the server only
# stamped for their reader, through documents.serving.
ECABINET_PAPERS_ROOT = Path(os.environ.get("ECABINET_PAPERS_ROOT", BASE_DIR / "var" / "papers"))
# Uploaded PDFs are opened only in a child process with hard limits
# (documents.pdf_sandbox); ECABINET_PDF_CAPS overrides the caps of
# documents.pdf_inspect.Caps by name. Pages without a text layer are read
# with Tesseract (Vietnamese) when it is installed (ECABINET_OCR).
ECABINET_PDF_CAPS: dict[str, int | float] = {}
ECABINET_OCR = env_bool("ECABINET_OCR", True)
# Backups keep times to the microsecond (the audit chain hashes them): ecabinet/serialization.py.
SERIALIZATION_MODULES = {"fulljson": "ecabinet.serialization"}
# How long a link to a stamped copy works (seconds); the page asks for a new one.
ECABINET_PAPER_LINK_SECONDS = int(os.environ.get("ECABINET_PAPER_LINK_SECONDS", "300"))
# Uploads of papers (up to each tenant's limit, 100 MB by default): past
# FILE_UPLOAD_MAX_MEMORY_SIZE a file streams to a temporary file, never whole
# in memory; the form's other fields stay under DATA_UPLOAD_MAX_MEMORY_SIZE.
# documents refuses a body over the tenant's limit by its Content-Length
# before parsing it, and stops one that runs past it anyway. The temporary
# files of unchecked uploads stay in the project's own directory, readable
# by the server only, and kept files are made private the same way.
# The most any tenant may allow for one paper; with 1 MB for the form's
# other fields, also the server's ceiling on any request body (ecabinet.body_limit).
ECABINET_MAX_UPLOAD_MB = int(os.environ.get("ECABINET_MAX_UPLOAD_MB", "500"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_TEMP_DIR = str(Path(os.environ.get("FILE_UPLOAD_TEMP_DIR", BASE_DIR / "var" / "uploads")))
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Security outside debug -------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://*.{ECABINET_BASE_DOMAIN}"])
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ecabinet@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "ecabinet.views.csrf_failure"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)

# --- Signed documents (ecabinet.signing, ecabinet.pdf) ---------------------
# The tenant's signing certificate: <ECABINET_SIGNING_DIR>/<slug>.p12, or one
# ECABINET_SIGNING_P12 for all tenants; both opened with
# ECABINET_SIGNING_P12_PASSWORD. .pem/.crt files in the directory are trusted
# too when verifying. ECABINET_SIGNING_SELF_SIGNED (debug only by default)
# creates a self-signed demo certificate on first use.
ECABINET_SIGNING_DIR = Path(os.environ.get("ECABINET_SIGNING_DIR", BASE_DIR / "var" / "signing"))
ECABINET_SIGNING_P12 = os.environ.get("ECABINET_SIGNING_P12", "")
ECABINET_SIGNING_P12_PASSWORD = os.environ.get("ECABINET_SIGNING_P12_PASSWORD", "")
ECABINET_SIGNING_SELF_SIGNED = env_bool("ECABINET_SIGNING_SELF_SIGNED", DEBUG)
# The largest PDF the verification page accepts.
ECABINET_VERIFY_MAX_BYTES = int(os.environ.get("ECABINET_VERIFY_MAX_BYTES", str(20 * 1024 * 1024)))
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}  # type: ignore[index]
