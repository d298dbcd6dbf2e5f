"""The one settings module, configured from the environment.

With nothing set the portal runs on a SQLite file in the project with Celery tasks executed inline
and a local-memory cache (the embedded default). With DATABASE_URL and REDIS_URL set it uses
PostgreSQL, Redis and real workers. Every variable is documented in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# The fallback key is marked insecure so that `check --deploy` refuses it in production.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-local-development-key-not-for-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "diz_portal",
    "partners",
    "meetings",
    "strategy",
    "funding",
    "reports",
    "news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything that reads the cache: what caching.prefetch reads ahead lives per request.
    "diz_portal.caching.RequestScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "partners.middleware.RequireSecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "diz_portal.urls"
WSGI_APPLICATION = "diz_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.portal",
            ],
        },
    },
]

FORM_RENDERER = "diz_portal.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, result store and cache when configured; otherwise tasks run inline.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "diz_portal.cache_backend.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "diz"),
            # A cache outage must not take pages down with it: allauth's rate limits and
            # sessions fall back gracefully, and /healthz reports the failure.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Seconds to wait for the broker before giving up: a request that queues work while Redis is down
# must not hang (the work is recorded in the database and swept up later).
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT") or 1)
# The same for the result store: Celery would otherwise retry it twenty times per task sent.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 300)

AUTH_USER_MODEL = "partners.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the person with their organisation (partners/backends.py).
    "partners.backends.ModelBackend",
    "partners.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "partners:dashboard"

# django-allauth: email is the login; public sign-up is closed (the adapter says so) and people
# arrive by invitation; rate limits stay at allauth's defaults.
ACCOUNT_ADAPTER = "partners.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_REAUTHENTICATION_TIMEOUT = envint("REAUTHENTICATION_TIMEOUT", 300)
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # changing one's own email addresses asks for the password again
# The public forms' limits (diz_portal/spam.py), beside allauth's own defaults: per address (ip)
# and per email given (key).
ACCOUNT_RATE_LIMITS = {
    "newsletter_subscribe": "10/h/ip,3/h/key",
    "public_message": "5/h/ip,3/h/key",
}
# The portal's name as its deployment calls it: in email subjects, PDFs' creator, the admin's
# header and calendar feeds' PRODID (the partnership's own names are data: partners.Partnership).
PORTAL_NAME = os.environ.get("PORTAL_NAME", "DIZ Portal")
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", f"[{PORTAL_NAME}] ")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", PORTAL_NAME)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
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
# Tests and `make run` serve straight from the finders; production serves the collected files.
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", DEBUG)
WHITENOISE_MANIFEST_STRICT = False

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With the file-based backend, each email is written here (one file per message).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-emails")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{PORTAL_NAME} <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production defaults are on whenever DEBUG is off; each can be turned off explicitly
# (a TLS-terminating proxy in front, for instance, sets SECURE_PROXY_SSL_HEADER instead).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Kept in the database, read through the cache (one round trip with what every page reads).
SESSION_ENGINE = "diz_portal.sessions"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 60 * 60 * 12)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every page it lays out at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The benchmark compares pages with a bare view served by the same process (`make bench`).
BENCH_BARE_VIEW = envbool("BENCH_BARE_VIEW", False)
# Meeting papers: the largest upload accepted.
PAPER_MAX_BYTES = envint("PAPER_MAX_MB", 20) * 1_000_000
# Checking an uploaded PDF (diz_portal.pdf's limits): this long in the web request, then on a
# worker with PAPER_CHECK_WORKER_SECONDS, the paper shown as being checked meanwhile.
PAPER_CHECK_REQUEST_SECONDS = float(os.environ.get("PAPER_CHECK_REQUEST_SECONDS") or 0.5)
PAPER_CHECK_WORKER_SECONDS = float(os.environ.get("PAPER_CHECK_WORKER_SECONDS") or 30)
# Word, ODF and PowerPoint papers are converted to PDF (LibreOffice, on a worker) within this time.
PAPER_CONVERSION_TIMEOUT = envint("PAPER_CONVERSION_TIMEOUT", 120)
# What the partnership calls its public seminar series.
SEMINARS_TITLE = os.environ.get("SEMINARS_TITLE", "Smart Place Seminars")
# Invitations stay valid this many days.
INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", 14)
CSRF_FAILURE_VIEW = "diz_portal.views.csrf_failure"

# Funding: the partnership's 360Giving identifier prefix (registered with 360Giving), which starts
# every grant identifier in /open-data/360giving.json; and how many days before a deadline the
# reminder goes.
THREESIXTYGIVING_PREFIX = os.environ.get("THREESIXTYGIVING_PREFIX", "360G-example-partnership")
FUNDING_REMINDER_DAYS = envint("FUNDING_REMINDER_DAYS", 7)
# /.well-known/security.txt (RFC 9116): where to report a vulnerability, and until when that holds
# (an ISO 8601 date or time; unset, 180 days from the day it is read). RFC 9116 asks for less than
# a year ahead.
SECURITY_TXT_CONTACT = os.environ.get("SECURITY_TXT_CONTACT", "mailto:security@example.org")
SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "")
SECURITY_TXT_POLICY = os.environ.get("SECURITY_TXT_POLICY", "")
