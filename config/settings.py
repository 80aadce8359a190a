"""Settings, from the environment (12-factor). Every variable is listed in .env.example."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(str(BASE_DIR / ".env"))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
_KEY_FILE = BASE_DIR / (env_str("SECRET_KEY_FILE", "var/secret_key") or "var/secret_key")
if not SECRET_KEY and _KEY_FILE.is_file():
    # The key `make demo` generated: manage.py commands run from a plain shell then work on the
    # demo's database and sign what the demo server accepts.
    SECRET_KEY = _KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' scripts locally instead of from a CDN
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "tandem.core",
    "tandem.people",
    "tandem.accounts",
    "tandem.referrals",
    "tandem.compliance",
    "tandem.plans",
    "tandem.goals",
    "tandem.progress",
    "tandem.reports",
    "tandem.services",
    "tandem.meetings",
    "tandem.communication",
    "tandem.revisions",
    "tandem.translations",
    "tandem.records",
    "tandem.portal",
    "tandem.interop",
    "tandem.web",
    "tandem.demo",
    "tandem.api",
    "tandem.backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tandem.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tandem.web.middleware.SignInRequiredMiddleware",
    "tandem.web.middleware.PreferredLanguageMiddleware",
    "tandem.web.middleware.IdleTimeoutMiddleware",
    # After the idle time-out: a session waiting for its second factor sees only that page.
    "tandem.web.two_factor_middleware.SecondFactorMiddleware",
    "tandem.web.middleware.RefuseNulMiddleware",
    "tandem.web.middleware.SignInAddressLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "tandem.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its retry of a view runs after every other check (CSRF above all).
    "tandem.core.busy.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.web.context.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'tandem.sqlite3'}") or "",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets readers go on while it writes. A transaction
    # begun DEFERRED that reads and then writes cannot wait for the lock (SQLite answers "database
    # is locked" at once, since its snapshot may be stale), so every transaction begins
    # IMMEDIATE: it takes the write lock first and waits up to the busy timeout in line.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30, minimum=1),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
# Per account, not per address: a school shares one address (tandem/accounts/throttle.py).
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address in the lockout: that would let ten typos behind a school's shared
# address lock every colleague out, so `manage.py check --deploy` is told we chose this.
# security.W021 asks for HSTS preload: only a registrable domain can be submitted to the browsers'
# list, and that is the district's decision for its whole domain, not Tandem's (SECURE_HSTS_PRELOAD).
SILENCED_SYSTEM_CHECKS = ["axes.W006", "security.W021"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tandem.accounts.throttle.account_name"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Every failure is kept (axes' failure log) so that an address failing across many accounts can be
# paused too: SIGN_IN_ADDRESS_LIMIT failures in SIGN_IN_ADDRESS_MINUTES (0 turns it off).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 100, minimum=0)
SIGN_IN_ADDRESS_MINUTES = env_int("SIGN_IN_ADDRESS_MINUTES", 15, minimum=1)
AXES_VERBOSE = False

# A second factor (an authenticator app, with recovery codes: tandem/web/two_factor.py).
# District administrators must have one when this is true; a district can require it of all
# its staff (District.settings["accounts"]["second_factor_for_all_staff"]).
TWO_FACTOR_FOR_ADMINS = env_bool("TWO_FACTOR_FOR_ADMINS", True)
OTP_TOTP_ISSUER = "Tandem"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at install time (make node_modules), never from a CDN.
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "tandem" / "static",
    ("uswds/css", _NODE / "@uswds" / "uswds" / "dist" / "css"),
    ("uswds/js", _NODE / "@uswds" / "uswds" / "dist" / "js"),
    ("uswds/fonts", _NODE / "@uswds" / "uswds" / "dist" / "fonts"),
    ("uswds/img", _NODE / "@uswds" / "uswds" / "dist" / "img"),
    ("htmx", _NODE / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded evidence lives outside the web root and is served only through the access policy.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")) or "")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <no-reply@tandem.example>")

TASKS = {
    "default": {
        "BACKEND": env_choice(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            (
                "django_tasks_db.DatabaseBackend",
                "django_tasks.backends.immediate.ImmediateBackend",
            ),
        ),
    }
}

# /healthz reports "degraded" (503) when a task has waited longer than this for the worker.
HEALTH_QUEUE_MAX_SECONDS = env_int("HEALTH_QUEUE_MAX_SECONDS", 900, minimum=10)
# A plan PDF's layout runs in a child process killed after this many seconds (tandem/documents/
# isolated.py); the render is then marked failed and can be tried again.
PDF_RENDER_SECONDS = env_int("PDF_RENDER_SECONDS", 60, minimum=1)

# The absolute limit from sign-in, and the idle time-out after which the next request must sign
# in again (tandem.web.middleware.IdleTimeoutMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10, minimum=300)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and env_bool("SECURE_COOKIES", True):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The proxy and the container check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tandem.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # One JSON object per line for a log collector (LOG_FORMAT=json, as in deploy/).
            "formatter": env_choice("LOG_FORMAT", "plain", ("plain", "json")),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Tandem's own settings
TANDEM_API_TOKEN_DAYS = env_int("TANDEM_API_TOKEN_DAYS", 365, minimum=1)
TANDEM_PAGE_SIZE = env_int("TANDEM_PAGE_SIZE", 25, minimum=1)
# Calls per account per period on the API ("600/m"; s, m, h or d); empty turns the limit off.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600/m") or ""
if API_RATE_LIMIT and not re.fullmatch(r"[1-9][0-9]*/[smhd]", API_RATE_LIMIT):
    raise ImproperlyConfigured(f"API_RATE_LIMIT={API_RATE_LIMIT!r}: use calls/period, e.g. 600/m")
