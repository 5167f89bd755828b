"""
Settings for the goal book.

Everything that differs between a laptop and production comes from the
environment; the defaults give a working development setup on SQLite.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-development-only-key" if DEBUG else None
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "goals",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kpi_site.security.refuse_nul_in_query",
    "kpi_site.security.NumbersOutOfRangeFindNothing",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: a body larger than its
    # view takes is refused unread.
    "kpi_site.security.RequestBodyLimit",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login; the login page itself is marked as open.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kpi_site.security.permissions_policy",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A page reads each data version once, however many ways it reads its figures.
    "goals.versions.read_once_per_page",
    # Last, as django-axes asks: it turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kpi_site.urls"
WSGI_APPLICATION = "kpi_site.wsgi.application"

TEMPLATE_LOADERS = ["django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goals.context_processors.navigation",
            ],
            # Each template is read and compiled once per process (the cached
            # loader), in production as in development, where Django's
            # autoreloader empties the cache when a template file changes.
            "loaders": [("django.template.loaders.cached.Loader", TEMPLATE_LOADERS)],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # In production a worker thread keeps its connection for a minute:
        # opening one costs PostgreSQL a process and a cold cache, more than
        # most pages' queries. runserver's thread per request could not reuse it.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction begins, so a read-check-
    # write inside atomic() (the version check on results) cannot interleave.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The year's figures once built, under the versions of what they read
# (goals.figures_cache), shared by every worker: in the database's cache
# table (created by `migrate`), or in Redis when FIGURES_CACHE_URL names one
# (redis://...). In development (DEBUG) and the tests, this process's memory.
FIGURES_CACHE_URL = os.environ.get("FIGURES_CACHE_URL", "locmem" if DEBUG else "database")
if FIGURES_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _figures_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": FIGURES_CACHE_URL}
elif FIGURES_CACHE_URL == "database":
    _figures_cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                      "LOCATION": "goals_figures_cache",
                      # Entries of versions gone are culled as new ones come.
                      "OPTIONS": {"MAX_ENTRIES": 2000, "CULL_FREQUENCY": 4}}
elif FIGURES_CACHE_URL == "locmem":
    _figures_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "figures"}
else:
    raise RuntimeError("FIGURES_CACHE_URL: redis://..., database or locmem.")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": _figures_cache,
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login lockout: after AXES_FAILURE_LIMIT failures for one user from one
# address, that pair is refused until the cool-off has passed. The address is
# the connection's, never a header the client chose (kpi_site.security).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "kpi_site.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", _("한국어")), ("en", _("영어"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence files live outside the static root and are served only through a
# view that checks who may read them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# The largest evidence file (증빙), entry sheet and plan workbook (XLSX) a
# user may upload, and how long reading a workbook may take (goals.uploads).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
ENTRY_SHEET_MAX_BYTES = int(os.environ.get("ENTRY_SHEET_MAX_BYTES", 5 * 1024 * 1024))
PLAN_WORKBOOK_MAX_BYTES = int(os.environ.get("PLAN_WORKBOOK_MAX_BYTES", 10 * 1024 * 1024))
UPLOAD_SECONDS = float(os.environ.get("UPLOAD_SECONDS", 10))
# A request body is refused unread when its Content-Length is larger than its
# view takes: one of the limits above for the three upload views, this for
# every other (kpi_site.security.RequestBodyLimit). Uploaded files larger than
# FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Background work (reports) through Django's Tasks API, queued in the
# database: `python manage.py db_worker` runs it (README, production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reports made in the background (reports.exports): how many one user may
# have waiting or running at once, when a render that stopped reporting
# progress counts as dead (its worker stopped), and how long files are kept.
EXPORTS_PER_USER = int(os.environ.get("EXPORTS_PER_USER", "2"))
EXPORT_STALE_SECONDS = int(os.environ.get("EXPORT_STALE_SECONDS", "120"))
EXPORT_QUEUE_SECONDS = int(os.environ.get("EXPORT_QUEUE_SECONDS", 30 * 60))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
# A report of data that has changed since it was asked for stays this long
# after it is finished, for the person who asked (reports.exports).
EXPORT_OBSOLETE_MINUTES = int(os.environ.get("EXPORT_OBSOLETE_MINUTES", "30"))

DJANGO_TABLES2_TEMPLATE = "django_tables2/goal_table.html"

# The font embedded in the PDF report; installed from Debian's fonts-nanum.
REPORT_FONT_DIR = Path(os.environ.get("REPORT_FONT_DIR", "/usr/share/fonts/truetype/nanum"))

# Files: evidence in MEDIA_ROOT; static files compressed and fingerprinted
# by WhiteNoise once collected for production.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                    if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions last a working day and end when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Every page runs only the app's own scripts and styles, from static files:
# no inline <script>, <style>, style="" or onclick= (django-csp). Evidence
# downloads keep their own stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Nothing of ours uses the browser's devices or payment (kpi_site.security).
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), "
                      "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()")

# HTTPS is on whenever DEBUG is off, unless the environment turns it off
# (DJANGO_HTTPS=0, e.g. for a load test on 127.0.0.1).
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = bool(SECURE_HSTS_SECONDS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind a reverse proxy that terminates TLS, name how many proxies stand in
# front of the app; only then are X-Forwarded-* headers believed.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# Notifications by e-mail (issue 13): only when a mail server is given, as
# EMAIL_URL (smtp://user:password@mail.example.kr:587, smtp+tls:// or
# smtp+ssl://) or EMAIL_HOST (with EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS). Without one nothing is sent and nothing
# fails: the notifications stay in the app.
def _email_settings():
    from urllib.parse import unquote, urlparse

    url = os.environ.get("EMAIL_URL", "")
    if url:
        parts = urlparse(url)
        return {"EMAIL_HOST": parts.hostname or "", "EMAIL_PORT": parts.port or 25,
                "EMAIL_HOST_USER": unquote(parts.username or ""),
                "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
                "EMAIL_USE_SSL": parts.scheme == "smtp+ssl"}
    if os.environ.get("EMAIL_HOST"):
        return {"EMAIL_HOST": os.environ["EMAIL_HOST"],
                "EMAIL_PORT": int(os.environ.get("EMAIL_PORT", "25")),
                "EMAIL_HOST_USER": os.environ.get("EMAIL_HOST_USER", ""),
                "EMAIL_HOST_PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS")}
    return {}


globals().update(_email_settings())
NOTIFY_BY_EMAIL = bool(_email_settings())
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "goals@localhost")
EMAIL_TIMEOUT = 10
