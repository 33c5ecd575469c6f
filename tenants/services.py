"""Writes to the public schema's tenant records. Routing caches follow every change."""

import hashlib
import json

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.reference.services import reference_checksum, reference_release_current
from tenants.errors import ApplicationError, ConflictError, NotFoundError
from tenants.models import Domain, Region, TemplateVersion, Tenant
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


def template_migration_state(*, schema_name: str | None = None) -> dict[str, list[str]]:
    """The migrations applied in the template schema, per app, sorted (one cheap query)."""
    schema = schema_name or settings.TEMPLATE_SCHEMA_NAME
    state: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        for app, name in cursor.fetchall():
            state.setdefault(app, []).append(name)
    return state


def template_reference_checksum() -> tuple[str, str]:
    """(checksum, release label) of the template's reference data, computed over every row."""
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        current = reference_release_current()
        return reference_checksum(), current.versi if current else ""


def template_reference_recorded() -> str:
    """The data checksum the template's latest reference release recorded when it was loaded
    ("" when none): one query, unlike recomputing the checksum over every reference row."""
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        current = reference_release_current()
    return current.checksum_data if current else ""


def template_digest(state: dict[str, list[str]], checksum: str) -> str:
    """What identifies a template version: its migrations and its reference-data checksum."""
    payload = json.dumps({"migrations": state, "reference": checksum}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def template_version_record(*, notes: str = "") -> TemplateVersion:
    """Record the template's current state (migrations + reference checksum); idempotent."""
    state = template_migration_state()
    checksum, release = template_reference_checksum()
    digest = template_digest(state, checksum)
    existing = TemplateVersion.objects.filter(digest=digest).first()
    if existing is not None:
        return existing
    label = f"{timezone.now():%Y.%m.%d}-{digest[:8]}"
    return TemplateVersion.objects.create(
        label=label,
        notes=notes,
        reference_checksum=checksum,
        reference_release=release,
        migration_state=state,
        digest=digest,
    )


def template_version_current() -> TemplateVersion:
    """The latest recorded version matching the template's migrations, recorded if none does.

    Cheap on the hot path (the template's django_migrations and its latest reference release);
    the reference checksum is recomputed only when a new version must be recorded.
    """
    state = template_migration_state()
    recorded = template_reference_recorded()
    for version in TemplateVersion.objects.order_by("-created_at", "-id")[:5]:
        if version.migration_state == state and version.reference_checksum == recorded:
            return version
    return template_version_record(notes="Dicatat otomatis saat penyiapan daerah.")
