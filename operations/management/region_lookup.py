"""How management commands name a region: schema name, slug or kode wilayah."""

from django.core.management.base import CommandError
from django.db.models import Q

from tenants.models import Tenant


def tenant_find(name: str) -> Tenant:
    tenant = (
        Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE)
        .filter(Q(schema_name=name) | Q(slug=name) | Q(region_id=name))
        .first()
    )
    if tenant is None:
        raise CommandError(f"Daerah {name!r} tidak ditemukan (skema, slug atau kode wilayah).")
    return tenant
