"""Convene's settings: one module, read from the environment.

With nothing set it runs embedded: SQLite under var/, the in-memory channel layer, Celery tasks
run eagerly, e-mail printed to the console, DEBUG on. ``DATABASE_URL`` and ``REDIS_URL`` switch
to PostgreSQL and Redis (cache, channel layer, Celery broker). ``DJANGO_ENV=production`` turns
DEBUG off, insists on the settings production cannot guess, and turns on the HTTPS protections.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.environment import env, envbool, envint, envlist, required

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONVENE_VAR_DIR", BASE_DIR / "var"))


DJANGO_ENV = env("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = envbool("DEBUG", not PRODUCTION)

DATABASE_URL: str | None
REDIS_URL: str | None
if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS") or required("ALLOWED_HOSTS").split(",")
    DATABASE_URL = required("DATABASE_URL")
    REDIS_URL = required("REDIS_URL")
else:
    SECRET_KEY = env("SECRET_KEY", "convene-development-key-not-for-production-use-0123456789")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    DATABASE_URL = env("DATABASE_URL")
    REDIS_URL = env("REDIS_URL")

if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)

SITE_NAME = "Convene"


def _is_this_machine(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith(".localhost")
    return address.is_loopback or address.is_unspecified


def site_url(value: str) -> str:
    """The address links in e-mail and calendars point at; production must say it, and it
    must not be this machine (every link would lead members to their own computer) unless
    SITE_URL_IS_THIS_MACHINE says so on purpose (`make prod-local`, where it is)."""
    host = urlsplit(value).hostname or ""
    if urlsplit(value).scheme not in {"http", "https"} or not host:
        raise ImproperlyConfigured(f"SITE_URL must be an http(s) address, not {value!r}.")
    if PRODUCTION and _is_this_machine(host) and not envbool("SITE_URL_IS_THIS_MACHINE", False):
        raise ImproperlyConfigured(
            f"SITE_URL is {value!r}: set it to the public address when DJANGO_ENV=production."
        )
    return value.rstrip("/")


SITE_URL = site_url(
    required("SITE_URL") if PRODUCTION else env("SITE_URL", "http://127.0.0.1:8000")
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # search vectors and trigram lookups (network directory)
    "django.forms",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "network",
    "messaging",
    "messaging.discussions",
    "messaging.announcements",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "network.middleware.SessionLimitMiddleware",
    "network.middleware.RequireMFAMiddleware",
    "network.middleware.PrivateResponsesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "network.context_processors.site",
                "messaging.discussions.context_processors.bell",
            ],
        },
    },
    {
        # Fragments drawn hundreds of times a page (a thread's posts, search hits, the
        # directory's cards and filter options; see config/jinja2.py), asked for by name as
        # engines["jinja2"]; every page is still a Django template.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2", BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment", "autoescape": True},
    },
]

# Data ---------------------------------------------------------------------------------------

if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
    # No JIT compilation: it pays off for long analytic queries, while a page's queries are
    # short, and the planner's cost estimate for a broad directory count or a board summary
    # triggered it, spending up to a second compiling a query that runs in milliseconds.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()  # keeps the URL's
    # DATABASE_POOL=N: a psycopg pool of at most N connections per process, checked before each
    # loan, instead of a persistent connection per thread. For ASGI servers: their thread pools
    # otherwise keep one connection per thread (90 for one uvicorn under load, docs/benchmarks.md).
    if _pool_size := envint("DATABASE_POOL", 0):
        from psycopg_pool import ConnectionPool

        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        _options["pool"] = {
            "min_size": 1,
            "max_size": _pool_size,
            # How long a request waits for a free connection before OperationalError. Socket
            # servers set 2 s (Procfile): a chat socket reads nothing, pings included, while a
            # frame waits, so with PostgreSQL down a 10 s wait let clients time the socket out
            # instead of getting the `unavailable` error (docs/chat-protocol.md).
            "timeout": envint("DATABASE_POOL_TIMEOUT", 10),
            "check": ConnectionPool.check_connection,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "convene.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "network.User"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "convene",
        }
    }
    # Pub/sub, chosen by measurement (docs/benchmarks.md, "Chat"): faster fan-out to big rooms,
    # no per-channel capacity to drop at, and subscriptions that come back after Redis
    # restarts. Chat never relies on the layer for delivery: it only wakes clients.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Several Redis servers (CHANNEL_REDIS_URLS, comma-separated) share the groups
            # between them; docs/deploy.md.
            "CONFIG": {"hosts": envlist("CHANNEL_REDIS_URLS") or [REDIS_URL], "prefix": "convene"},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True

CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it has finished, so a worker killed mid-task (SIGKILL, a lost
# machine) leaves it in the broker; Redis hands it to another worker once the visibility
# timeout passes, minutes rather than the default hour. Tasks are idempotent (each mail has a
# key, each import resumes where it stopped), so a second run does no harm. The timeout must
# stay longer than the longest task, or a slow task would be handed out twice while running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_SECONDS", 600),
    # Workers look for such tasks every minute (kombu's default is every 100 seconds).
    "unacked_restore_interval": envint("CELERY_RESTORE_SECONDS", 60),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Celery's own beat reads this schedule; tasks look for due work in the database, so a beat
# that ticks twice does no harm (django-celery-beat would pin Django below 6.1).
# What each app adds to a member's own-data download (network/own_data.py imports none of them).
CONVENE_OWN_DATA_SECTIONS = [
    "messaging.own_data.discussion_posts",
    "messaging.own_data.reactions",
    "messaging.own_data.chat_messages",
    "messaging.own_data.notification_settings",
    "events.own_data.rsvps",
    "events.own_data.poll_votes",
    "events.own_data.calendar_feed",
]

# What other apps let go of when an account closes or a member leaves a cohort (network calls
# these by name, so it imports no other app): seats in events, with the waitlist moved in.

CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Discussions e-mail: batches held back by the 10-minute window, and due digests.
    "discussions-pending-emails": {
        "task": "messaging.discussions.tasks.send_pending_emails",
        "schedule": 60.0,
    },
    "discussions-digests": {
        "task": "messaging.discussions.tasks.send_due_digests",
        "schedule": 900.0,
    },
    # Event reminders (24 h and 1 h before, EVENT_REMINDER_HOURS): each goes once, see the task.
    "events-reminders": {"task": "events.tasks.send_reminders", "schedule": 300.0},
    # Invitations whose e-mail task was lost between commit and queueing (a killed process).
    "network-unsent-invitations": {
        "task": "network.tasks.send_unsent_invitations",
        "schedule": 300.0,
    },
    "events-poll-reminders": {"task": "events.tasks.send_poll_reminders", "schedule": 3600.0},
    # Scheduled announcements whose time has come; each is sent once (see the service).
    "announcements-due": {
        "task": "messaging.announcements.tasks.send_due_announcements",
        "schedule": 60.0,
    },
    # The console's summary tables, brought up to date from where each task last stopped.
    "console-network": {"task": "network.tasks.summarise_for_console", "schedule": 300.0},
    "console-messaging": {"task": "messaging.tasks.summarise_for_console", "schedule": 300.0},
    "console-events": {"task": "events.tasks.summarise_for_console", "schedule": 300.0},
    "console-snapshots": {"task": "network.tasks.refresh_console", "schedule": 300.0},
}
EVENT_REMINDER_HOURS = (24, 1)

# Sessions stay in the database so that signing in still works when Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # network.middleware.SessionLimitMiddleware renews it
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Accounts -----------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "network.backends.MemberBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "network:home"

ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "network.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "network.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Convene] "
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    # Sign-in throttles (AC-7; see docs/security.md). Per account: 5 failures in 5 minutes, 20 in
    # an hour, 100 in a day (NIST SP 800-63B's ceiling), each window expiring on its own so that a
    # real member is never locked out for good and can always reset their password. Per address:
    # generous, because a whole agency can sit behind one NAT address.
    "login": "300/5m/ip",
    "login_failed": "50/5m/ip,5/5m/key,20/1h/key,100/1d/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# Only proxies we run may speak for the client's address; otherwise X-Forwarded-For is ignored
# and cannot be used to dodge the rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the neighbouring 30-second step too, for clocks that drift (RFC 6238 5.2).
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Managers and administrators must enrol in MFA; the demo accounts are let off only in DEBUG.
MFA_EXEMPT_EMAILS = (
    {
        "member@demo.convene.test",
        "manager@demo.convene.test",
        "admin@demo.convene.test",
    }
    if DEBUG
    else set()
)

SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
if env("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", "logingov"),
                "name": env("OIDC_NAME", "Login.gov"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": required("OIDC_SERVER_URL")
                    if PRODUCTION
                    else env("OIDC_SERVER_URL", ""),
                    "auth_params": {"acr_values": env("OIDC_ACR_VALUES", "")},
                },
            }
        ]
    }

# Security -----------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Static files and e-mail ----------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules/@uswds/uswds/dist"),
    ("htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Convene <no-reply@convene.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            # Django's SMTP backend; a 4xx refusal raises MailDeferred, which mail tasks retry.
            "BACKEND": "network.mail.DeferringSMTPBackend",
            "OPTIONS": {
                "host": required("EMAIL_HOST") if PRODUCTION else env("EMAIL_HOST"),
                "port": envint("EMAIL_PORT", 587),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# A mail task the server refused for now runs again after ~N s, doubling up to the maximum
# (keep it well under CELERY_VISIBILITY_SECONDS: Redis hands a task waiting longer than that to
# a second worker; the mail tasks would not send twice, but would run twice).
MAIL_RETRY_FIRST_SECONDS = envint("MAIL_RETRY_FIRST_SECONDS", 5)
MAIL_RETRY_MAX_SECONDS = envint("MAIL_RETRY_MAX_SECONDS", 300)
MAIL_RETRY_TIMES = envint("MAIL_RETRY_TIMES", 16)

# Locale -------------------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "database_away": {"()": "config.logs.DatabaseAwayInOneLine"},
        "cache_away": {"()": "config.logs.CacheAwayInOneLine"},
    },
    "handlers": {
        # Redis unreachable: one line per warning, whichever module gave it.
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["cache_away"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # A page that found the database unreachable: one line, not a traceback.
    "loggers": {"django.request": {"filters": ["database_away"]}},
}
