from django.db.models import QuerySet

from tenants.models import Region, Tenant


def tenant_list_routable() -> QuerySet[Tenant]:
    """Every region tenant (the template excluded) with its province and domains."""
    return (
        Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE)
        .select_related("region", "province", "template_version")
        .prefetch_related("domains")
        .order_by("region_id")
    )


def province_list() -> QuerySet[Region]:
    return Region.objects.filter(tingkat=Region.Level.PROVINSI).order_by("kode")


def region_get(*, kode: str) -> Region | None:
    return Region.objects.select_related("induk").filter(kode=kode).first()
