"""Every setting, driven by environment variables (README lists them); no per-env branches."""

import os
from pathlib import Path

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
DEBUG = env_bool("DEBUG", False)

# The console answers on BASE_DOMAIN, region <slug> on <slug>.BASE_DOMAIN.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost").lower()
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("EXTRA_ALLOWED_HOSTS")]

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Run through `make up` / `make test` (which start an embedded "
        "PostgreSQL) or export DATABASE_URL=postgres://user@host:5432/dbname."
    )
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "300")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ENGINE"] = "saas.db_backend"

MIDDLEWARE = [
    "saas.middleware.HealthCheckMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Cookies stay on the host that set them: no parent-domain cookie shared between regions.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
LANGUAGE_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "saas.api.exception_handler",
}

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

# Seconds a resolved Host stays in a process's routing cache without a change notice.
TENANT_ROUTING_CACHE_TTL = int(env("TENANT_ROUTING_CACHE_TTL", "300"))
# Each process listens for change notices on its own connection (off only in tests).
TENANT_ROUTING_LISTEN = env_bool("TENANT_ROUTING_LISTEN", True)

# Data shipped with the project (region registry, reference data).
DATA_DIR = BASE_DIR / "data"

SENTRY_DSN = env("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "development")

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
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if SENTRY_DSN:
    from saas.observability import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)
