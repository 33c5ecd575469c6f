"""Session-wide test database: public schema, the master template and two regions, made once,
the regions by provisioning (the template's clone every real region goes through).

Each test then runs inside a transaction (pytest-django's `db`), rolled back at its end, so
tests may write freely in any schema without rebuilding tenants.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from tenants.db import schema_activate_public
from tenants.models import Tenant
from tenants.routing import routing_cache

TEST_REGIONS = {"medan": "12.71", "buol": "72.05"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    from django.core.management import call_command

    from provisioning.services import tenant_provision

    with django_db_blocker.unblock():
        call_command("platform_prepare")
        for slug, kode in TEST_REGIONS.items():
            if not Tenant.objects.filter(region_id=kode).exists():
                tenant_provision(
                    kode_wilayah=kode, admin_email=f"admin.{slug}@berbagi.test", requested_by=None
                )
        schema_activate_public()
    yield


@pytest.fixture
def medan(db: None) -> Tenant:
    return Tenant.objects.get(region_id=TEST_REGIONS["medan"])


@pytest.fixture
def buol(db: None) -> Tenant:
    return Tenant.objects.get(region_id=TEST_REGIONS["buol"])


@pytest.fixture(autouse=True)
def _public_schema_between_tests() -> Iterator[None]:
    """Every test starts, and leaves the connection, on the public schema, with no routes cached:
    a route cached from a rolled-back change (a region suspended inside a test's transaction)
    must not leak into the next test, since rollbacks send no invalidation."""
    schema_activate_public()
    routing_cache.clear()
    yield
    routing_cache.clear()
    schema_activate_public()
