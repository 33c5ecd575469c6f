"""The single-tenant baseline of bench/routing.py: the region's URLs and views on plain Django.

Django's own PostgreSQL engine (no tenant backend), no tenant routing middleware, and the
connection's search_path pinned to one region's schema (BENCH_SCHEMA) when it opens, so the same
views read the same rows the routed setup reads. Only the benchmark uses it.
"""

import re

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql.base import DatabaseWrapper

from saas.settings.base import *  # noqa: F403
from saas.settings.base import CACHES, DATABASES, MIDDLEWARE, env

BENCH_SCHEMA = env("BENCH_SCHEMA")
if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", BENCH_SCHEMA):
    raise ImproperlyConfigured(f"BENCH_SCHEMA is not a schema name: {BENCH_SCHEMA!r}")

DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
DATABASES["default"]["OPTIONS"] = {
    **DATABASES["default"].get("OPTIONS", {}),
    "options": f"-c search_path={BENCH_SCHEMA},public",
}
MIDDLEWARE = [m for m in MIDDLEWARE if m != "tenants.middleware.TenantRoutingMiddleware"]
ROOT_URLCONF = "saas.urls_tenant"
# django-tenants' cache key function reads connection.schema_name, which plain Django lacks.
CACHES["default"].pop("KEY_FUNCTION", None)
CACHES["default"].pop("REVERSE_KEY_FUNCTION", None)
TENANT_ROUTING_LISTEN = False

# Region code reads connection.schema_name (django-tenants' attribute); on plain Django it is the
# pinned schema. A class attribute: nothing runs per request.
DatabaseWrapper.schema_name = BENCH_SCHEMA  # type: ignore[attr-defined]
