"""Writes to the public schema's tenant records. Routing caches follow every change."""

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError, ConflictError, NotFoundError
from tenants.models import Domain, Region, Tenant
from tenants.routing import routing_invalidate


def _kind_for(region: Region) -> str:
    if region.tingkat == Region.Level.PROVINSI:
        return Tenant.Kind.PROVINSI
    if region.tingkat != Region.Level.KABUPATEN_KOTA:
        raise ApplicationError(
            _("%(kode)s %(nama)s bukan provinsi atau kabupaten/kota.")
            % {"kode": region.kode, "nama": region.nama},
            field="kode_wilayah",
        )
    return Tenant.Kind.KOTA if region.is_kota else Tenant.Kind.KABUPATEN


def schema_exists(schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def schema_migrate(*, schema_name: str) -> None:
    """Run every tenant migration in one schema (django-tenants' executor)."""
    call_command("migrate_schemas", schema_name=schema_name, interactive=False, verbosity=0)


@transaction.atomic
def template_ensure() -> Tenant:
    """The master template's Tenant row (never routed) and its schema, created if missing."""
    template, _created = Tenant.objects.get_or_create(
        schema_name=settings.TEMPLATE_SCHEMA_NAME,
        defaults={
            "name": "Templat induk",
            "kind": Tenant.Kind.TEMPLATE,
            "slug": "templat-induk",
            "status": Tenant.Status.ACTIVE,
        },
    )
    if not schema_exists(template.schema_name):
        template.create_schema(check_if_exists=True, sync_schema=True, verbosity=0)
    return template


@transaction.atomic
def tenant_register(
    *,
    region: Region,
    status: str = Tenant.Status.PROVISIONING,
    slug: str | None = None,
    with_domain: bool = True,
) -> Tenant:
    """Create the Tenant row (and its primary Domain unless with_domain=False) for a region;
    the schema is made elsewhere."""
    if Tenant.objects.filter(region=region).exists():
        raise ConflictError(
            _("%(kode)s %(nama)s sudah terdaftar.") % {"kode": region.kode, "nama": region.nama},
            field="kode_wilayah",
        )
    slug = slug or region.slug
    tenant = Tenant(
        schema_name=Tenant.schema_name_for(region.kode),
        region=region,
        name=region.nama,
        kind=_kind_for(region),
        province=region if region.tingkat == Region.Level.PROVINSI else region.induk,
        slug=slug,
        status=status,
    )
    tenant.full_clean()
    tenant.save()
    if with_domain:
        domain_primary_create(tenant=tenant)
    transaction.on_commit(routing_invalidate)
    return tenant


@transaction.atomic
def domain_primary_create(*, tenant: Tenant) -> Domain:
    """The tenant's primary Host, <slug>.<BASE_DOMAIN>."""
    domain = Domain.objects.create(
        domain=f"{tenant.slug}.{settings.BASE_DOMAIN}", tenant=tenant, is_primary=True
    )
    transaction.on_commit(routing_invalidate)
    return domain


@transaction.atomic
def tenant_set_status(*, tenant: Tenant, status: str) -> Tenant:
    if status not in Tenant.Status.values:
        raise ApplicationError(
            _("Status tidak dikenal: %(status)s.") % {"status": status}, field="status"
        )
    tenant.status = status
    tenant.save(update_fields=["status", "updated_at"])
    transaction.on_commit(routing_invalidate)
    return tenant


@transaction.atomic
def domain_set(*, tenant: Tenant, domain: str, is_primary: bool = False) -> Domain:
    """Attach a Host to a tenant (or move it there); the old route stops on the next request."""
    domain = domain.strip().lower()
    if not domain or "/" in domain or ":" in domain:
        raise ApplicationError(
            _("Nama domain tidak valid: %(domain)s.") % {"domain": repr(domain)}, field="domain"
        )
    record, _created = Domain.objects.update_or_create(
        domain=domain, defaults={"tenant": tenant, "is_primary": is_primary}
    )
    transaction.on_commit(routing_invalidate)
    return record


@transaction.atomic
def domain_delete(*, domain: str) -> None:
    deleted, _per_model = Domain.objects.filter(domain=domain.lower()).delete()
    if not deleted:
        raise NotFoundError(_("Domain %(domain)s tidak ada.") % {"domain": domain}, field="domain")
    transaction.on_commit(routing_invalidate)
