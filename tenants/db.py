"""Typed access to the tenant-aware connection (django-tenants' methods are untyped).

Code outside a request enters a schema explicitly with `schema_context` (django_tenants.utils);
these helpers are for the routing layer and tests that need the bare switch.
"""

from typing import Any, cast

from django.db import connection

from tenants.models import Tenant


def _tenant_connection() -> Any:
    return cast(Any, connection)


def schema_current() -> str:
    return str(_tenant_connection().schema_name)


def schema_activate(tenant: Tenant) -> None:
    _tenant_connection().set_tenant(tenant)


def schema_activate_public() -> None:
    _tenant_connection().set_schema_to_public()
