"""The demo that `make up` prepares: Kota Medan (origin of the MoU), Deli Serdang and Buol."""

from django.conf import settings

from tenants import services
from tenants.models import Tenant

DEMO_REGIONS = ["12.71", "12.07", "72.05"]


def demo_prepare() -> list[str]:
    """Idempotent; returns lines to print at start-up."""
    lines = []
    for kode in DEMO_REGIONS:
        tenant = Tenant.objects.filter(region_id=kode).first()
        if tenant is None:
            tenant = services.tenant_create_migrated(kode=kode)
        domain = tenant.get_primary_domain()
        lines.append(f"  {tenant.name}: http://{domain.domain}:8000/")
    lines.insert(0, f"console: http://{settings.BASE_DOMAIN}:8000/")
    return lines
