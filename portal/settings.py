"""Settings for the portal, read from environment variables only.

Every variable has a default that makes the embedded run work (SQLite, filesystem broker), except
SECRET_KEY and ALLOWED_HOSTS, which production must set: with DEBUG off, start-up stops without them.
The README lists every variable.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# A portal loaded with `setup_demo` (make run) says on every page that its figures are illustrations.
DEMO_DATA = env_bool("DEMO_DATA")

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")  # absolute links in e-mails
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-embedded-run-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    missing = [name for name, value in (("SECRET_KEY", SECRET_KEY), ("ALLOWED_HOSTS", ALLOWED_HOSTS)) if not value]
    if missing:
        raise ImproperlyConfigured(
            f"DEBUG is off, so these environment variables must be set: {', '.join(missing)}. "
            "Set DEBUG=1 for a local run, or see README.md, section 'Environment variables'."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "import_export",
    # Ours, lowest layer first (DESIGN.md): core, accounts → communes → feedback, surveys → scoring → demo
    # (the demo data, built through every app's services) → portal.
    "core",
    "accounts",
    "communes",
    "surveys",
    "democracy",
    "feedback",
    "scoring",
    "demo",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cookie-less GET of a cached public page is answered here, before sessions and the rest
    # (core/pagecache.py); security headers and the CSP above still apply.
    "core.pagecache.FirstVisitMiddleware",
    # ETags and 304s on the API's reads only (its bodies repeat; the pages' carry a CSP nonce).
    "core.api.middleware.ApiConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Apps ask for their language with Accept-Language; the pages' language comes from their path.
    "core.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before any view: a NUL in the path, query or form is a 400, never a 500 from the database.
    "core.middleware.RejectNulMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.api_keys.ApiCallLogMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids "database is locked"
    # when a read transaction later tries to write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections and never answers must not hold a worker for minutes:
    # connecting gives up after DATABASE_CONNECT_TIMEOUT seconds, a statement after
    # DATABASE_STATEMENT_TIMEOUT milliseconds (0 = none, for one-off commands that run long, such as
    # a migration of a big table: DATABASE_STATEMENT_TIMEOUT=0 python manage.py migrate).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={env_int('DATABASE_STATEMENT_TIMEOUT', 10_000)}"
# /healthz gives the database and the broker this long each (milliseconds) to answer before it says
# 503: with both checks it answers within 2 s even when a service accepts connections and never answers.
HEALTH_CHECK_TIMEOUT_MS = env_int("HEALTH_CHECK_TIMEOUT_MS", 900)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Every key the portal writes to Redis (cache, broker, task results) starts with it, so that several
# portals, or the test processes of several runs, can share one Redis server.
REDIS_KEY_PREFIX = env_str("REDIS_KEY_PREFIX")
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT_MS", 500) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is down (core/cache.py): rate limits then count
            # only the current request, in the citizen's favour, and a warning is logged.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_KEY_PREFIX,
            # Seconds; a Redis that is down or stalled costs a request this much at most per call.
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Page cache (core/pagecache.py) ------------------------------------------------------------------
# Public pages are stored in the cache under the versions of what they show. On by default only with
# Redis, the one cache every web process and Celery worker shares: with the local-memory cache of the
# embedded run, a version bumped by the worker (statistics) or another gunicorn worker would not reach
# the process that serves the page.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL))


def _release() -> str:
    """What the code and templates are: a deployment with other templates never serves older pages. The
    image sets RELEASE (the commit); a checkout hashes its files' sizes and times."""
    digest = hashlib.blake2b(digest_size=8)
    for folder, subfolders, files in os.walk(BASE_DIR):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in {"var", "tests", "bench"})
        for name in sorted(files):
            if name.endswith((".py", ".html", ".mo")):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


PAGE_CACHE_RELEASE = env_str("RELEASE") or _release()

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_BROKER_DIR = VAR_DIR / "celery" / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: one folder is both in- and outbox, so web, worker and beat
    # started from this checkout share the same queue without any server.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR),
        "data_folder_out": str(CELERY_BROKER_DIR),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery' / 'results'}"
else:
    # A task whose worker died is delivered again after this many seconds (Redis' default is an hour);
    # it is longer than any of our tasks, which are all safe to run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
    _default_result_backend = CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
    if REDIS_KEY_PREFIX and CELERY_BROKER_URL.startswith("redis"):
        CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{REDIS_KEY_PREFIX}:"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_result_backend) or None
if REDIS_KEY_PREFIX and (CELERY_RESULT_BACKEND or "").startswith("redis"):
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_KEY_PREFIX}:"}
CELERY_RESULT_EXPIRES = 24 * 3600
# Nothing reads a task's result (no AsyncResult anywhere): keeping none means queueing a task never
# talks to the result backend, whose Redis client retried for 19 s and raised RuntimeError when Redis
# was down. A task that one day needs its result says ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
# Queueing happens after a commit (core.tasks.enqueue) and every kind of task has a periodic sweep, so
# a broker that is down must fail the publish at once, not after retries: one attempt, short timeouts.
# The worker keeps its own reconnection (broker_connection_retry) for when Redis comes back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_TIMEOUT_MS", 500) / 1000
if CELERY_BROKER_URL.startswith("redis"):
    # socket_timeout stays above the worker's BRPOP wait (1 s).
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        "socket_timeout": 2,
        "max_retries": 0,
    }
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Periodic jobs are declared in code, next to the tasks they run.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "portal.tasks.sessions_clear", "schedule": 24 * 3600},
    "api-expire-idempotent-requests": {"task": "portal.tasks.idempotent_requests_expire", "schedule": 24 * 3600},
    "feedback-send-pending": {"task": "feedback.tasks.sweep_notifications", "schedule": 5 * 60},
    "feedback-mark-overdue": {"task": "feedback.tasks.mark_overdue_feedback", "schedule": 3600},
    "surveys-refresh-statistics": {"task": "surveys.tasks.refresh_statistics", "schedule": 10 * 60},
    "feedback-refresh-monthly-figures": {"task": "feedback.tasks.refresh_monthly_figures", "schedule": 3600},
    "dashboards-refresh": {"task": "portal.tasks.dashboards_refresh", "schedule": 3600},
    "scoring-issue-pending-certificates": {"task": "scoring.tasks.issue_pending_certificates", "schedule": 15 * 60},
    "feedback-expire-pending-photos": {"task": "feedback.tasks.expire_pending_photos", "schedule": 3600},
    # An online vote's result is public once counted: counted within a minute of its close.
    "democracy-count-due-decisions": {"task": "democracy.tasks.count_due_decisions", "schedule": 60},
    "democracy-expire-subscriptions": {"task": "democracy.tasks.expire_subscriptions", "schedule": 24 * 3600},
    # Consultations: residents' comments end with the planned last day; closed within the hour after it.
    "democracy-close-due-consultations": {"task": "democracy.tasks.close_due_consultations", "schedule": 3600},
    # A board's recommendation unanswered after its 15 days (art. 40) reaches the province's DoHA.
    "democracy-escalate-recommendations": {
        "task": "democracy.tasks.escalate_overdue_recommendations",
        "schedule": 24 * 3600,
    },
}

# --- Signed documents -----------------------------------------------------------------------------
# The key and certificate that sign certificates and decisions; without them a development key is made
# under VAR_DIR/signing and the verification page says so. A timestamp server makes signatures PAdES B-T.
SIGNING_PKCS12_PATH = env_str("SIGNING_PKCS12_PATH")
SIGNING_PKCS12_PASSWORD = env_str("SIGNING_PKCS12_PASSWORD")
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
# Trusted roots (PEM or DER files, comma-separated) for the decisions signed in the e-office system.
SIGNED_DECISION_TRUST_ROOTS = env_list("SIGNED_DECISION_TRUST_ROOTS")

# --- Accounts -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"  # staff go to their workspace: see adapters.py
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Citizens may use the portal before confirming their address; staff roles may not (see adapters.py).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Chính quyền thân thiện] "

# --- Client addresses, sign-up and admin sign-in (issue 14: abuse) ---------------------------------
# How many reverse proxies (the TLS proxy the README asks for, a load balancer) stand in front of the
# portal; each appends to X-Forwarded-For. Rate limits count the address the farthest of them saw
# (core.web.client_ip, also allauth's through the adapter). 0 trusts none: the header is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Sign-up answers the same for a known address as for a new one (see accounts/signup.py).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}

# --- Apps: django-allauth's headless mode (issue 18) -------------------------------------------------
# The mobile app signs in at /_allauth/app/v1/auth/login with the same accounts, the same rate limits
# (ACCOUNT_RATE_LIMITS) and the same adapter as the site, and gets a session token it sends as
# X-Session-Token to /api/v1/. Only the "app" client: browsers use the site's own sign-in pages.
HEADLESS_CLIENTS = ("app",)
HEADLESS_ONLY = False
HEADLESS_SERVE_SPECIFICATION = False
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/accounts/confirm-email/{{key}}/",
    "account_reset_password_from_key": f"{SITE_URL}/accounts/password/reset/key/{{key}}/",
    "account_signup": f"{SITE_URL}/accounts/signup/",
}

# --- The JSON API (core/api, each app's api/ package) ------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First the key: its WWW-Authenticate makes an unauthenticated request a 401, not a 403.
        "accounts.api_keys.ApiKeyAuthentication",
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
        # The portal's own pages (the installable app's offline queue) call the API with their session,
        # CSRF token included.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.Rule"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AddressThrottle", "core.api.throttling.PrincipalThrottle"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}
# (requests, seconds) per view and method kind; a view may set its own ``throttle_rates``. Writes by one
# address are few (a citizen sends a few items a day); a system's key may read far more than a phone.
API_THROTTLE_RATES = {
    "address": (env_int("API_RATE_ADDRESS_PER_MINUTE", 120), 60),
    "address-write": (env_int("API_RATE_ADDRESS_WRITES_PER_HOUR", 60), 3600),
    "principal": (env_int("API_RATE_PRINCIPAL_PER_MINUTE", 600), 60),
    "principal-write": (env_int("API_RATE_PRINCIPAL_WRITES_PER_MINUTE", 60), 60),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng chính quyền thân thiện — API",
    "DESCRIPTION": (
        "The friendly-government portal's data for the mobile app and the province's systems. "
        "Errors are `{code, message, fields}`; `message` follows Accept-Language (vi, en). "
        "Every POST accepts an `Idempotency-Key` header. Sign in with django-allauth's headless API "
        "(/_allauth/app/v1/auth/login) and send the session token as `X-Session-Token`; systems send "
        "`Authorization: Api-Key <key>`. Feedback is also served as Open311 GeoReport v2 at /open311/v2/."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Named after their model, so that another app's "status" or "category" never renames them.
    "ENUM_NAME_OVERRIDES": {
        "FeedbackStatusEnum": "feedback.models.items.Status",
        "DisclosureCategoryEnum": "communes.models.DisclosureCategory",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# --- Admin import and export (django-import-export) ----------------------------------------------
# Without these, any staff account could export (and import) every model the admin registers: exporting
# needs the model's view permission, importing its change permission.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
# Every import runs in a transaction: a file with an error keeps nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- E-mail ---------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng chính quyền thân thiện <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST_NAME = env_str("EMAIL_HOST")
if EMAIL_HOST_NAME:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST_NAME,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    # Without a mail server, mail lands in var/mail so a local user can still open a verification link.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
# Ours first; then Vietnamese for django-allauth, which ships none (makemessages never touches it).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "allauth"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Off: with it, every integer a template prints is grouped, ids included (id="disclosure-1.303",
# ?edit=1.303). Quantities are grouped where they are shown, with humanize's |intcomma (1.234 in vi).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise under their own names.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security -------------------------------------------------------------------------------------
# HTTPS is on wherever DEBUG is off; a deployment that terminates TLS at a proxy keeps it on and the
# proxy sets X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP inside the cluster
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Nothing is loaded from another origin: the portal must work on closed government networks.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django configures its own console output; let its records reach ours only once.
    "loggers": {
        "django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
        # WeasyPrint's font subsetting reports every table it prunes.
        "fontTools": {"level": "WARNING"},
    },
}

# Tests that need PostgreSQL, Redis, a worker or Chromium fail instead of skipping when this is set.
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES")
