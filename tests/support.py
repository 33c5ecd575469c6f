"""Helpers for tests and benchmarks only: nothing in production imports this module."""

from tenants.models import Region, Tenant
from tenants.services import tenant_register, tenant_set_status


def tenant_create_migrated(*, kode: str) -> Tenant:
    """The vanilla path: register, create the schema and replay every migration, then activate.

    Provisioning clones the template instead; this path is its baseline (test_clone, benchmarks).
    """
    region = Region.objects.select_related("induk").get(kode=kode)
    tenant = tenant_register(region=region)
    tenant.create_schema(check_if_exists=True, sync_schema=True, verbosity=0)
    return tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)
