"""Region lifecycle: suspend, resume, archive, export, restore, delete.

Every action leaves a LifecycleRecord in public (kept after the region is deleted) and, where the
region's schema exists, an entry in the region's own audit chain.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import chain_heads_rebase, platform_audit_record
from apps.audit.services import audit_record
from apps.core.errors import NotFoundError
from apps.files.archive import region_files_purge
from provisioning import archive, crossschema, restore
from provisioning.errors import ConfirmationError, LifecycleError
from provisioning.export_store import export_exists, export_keep
from provisioning.models import LifecycleRecord, RegionExport, RegionLifecycle
from provisioning.services._common import _actor_fk, _actor_label
from provisioning.services.provision import provision_region_validate
from tenants.models import Domain, TemplateVersion, Tenant
from tenants.services import tenant_register, tenant_set_status


def _schema_has_audit(schema_name: str) -> bool:
    tables = crossschema.schemas_with_tables([schema_name], ["audit_auditentry"])
    return bool(tables.get(schema_name))


def lifecycle_record(
    *,
    tenant: Tenant,
    action: str,
    actor: Actor,
    detail: dict[str, Any] | None = None,
    region_audit: bool = True,
) -> LifecycleRecord:
    """Record a lifecycle action in public and, if the schema is there, in the region's chain
    (not after a restore, whose data must stay exactly what the archive held)."""
    record = LifecycleRecord.objects.create(
        tenant=tenant,
        schema_name=tenant.schema_name,
        region_name=tenant.name,
        action=action,
        actor=_actor_fk(actor),
        actor_label=_actor_label(actor),
        detail=detail or {},
    )
    platform_audit_record(
        actor=actor, action=AuditAction.lifecycle(action), target=tenant, changes=detail or {}
    )
    if region_audit and _schema_has_audit(tenant.schema_name):
        with schema_context(tenant.schema_name):
            audit_record(
                actor=f"platform: {_actor_label(actor)}",
                action=AuditAction.lifecycle(action),
                target=tenant.name,
                changes=detail or {},
            )
    return record


def _lifecycle(tenant: Tenant) -> RegionLifecycle:
    state, _created = RegionLifecycle.objects.get_or_create(tenant=tenant)
    return state


def _region_tenant(tenant: Tenant) -> None:
    if tenant.kind == Tenant.Kind.TEMPLATE:
        raise LifecycleError(_("Templat induk tidak dapat diubah dari sini."), field="region")


@transaction.atomic
def region_suspend(*, tenant: Tenant, actor: Actor, reason: str = "") -> Tenant:
    """Active -> suspended: its host answers 503 and nobody can sign in there."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.ACTIVE:
        raise LifecycleError(
            _("%(name)s berstatus %(status)s, bukan aktif.")
            % {"name": tenant.name, "status": tenant.get_status_display()},
            field="status",
        )
    tenant = tenant_set_status(tenant=tenant, status=Tenant.Status.SUSPENDED)
    state = _lifecycle(tenant)
    state.suspended_at = timezone.now()
    state.save(update_fields=["suspended_at"])
    lifecycle_record(
        tenant=tenant, action=LifecycleRecord.Action.SUSPEND, actor=actor, detail={"reason": reason}
    )
    return tenant


@transaction.atomic
def region_resume(*, tenant: Tenant, actor: Actor) -> Tenant:
    """Suspended -> active."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.SUSPENDED:
        raise LifecycleError(
            _("%(name)s tidak sedang ditangguhkan.") % {"name": tenant.name}, field="status"
        )
    tenant = tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)
    state = _lifecycle(tenant)
    state.suspended_at = None
    state.save(update_fields=["suspended_at"])
    lifecycle_record(tenant=tenant, action=LifecycleRecord.Action.RESUME, actor=actor)
    return tenant


@transaction.atomic
def region_archive(*, tenant: Tenant, actor: Actor) -> Tenant:
    """Active or suspended -> archived; deletion becomes possible after the retention period."""
    _region_tenant(tenant)
    if tenant.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
        raise LifecycleError(
            _("%(name)s berstatus %(status)s; tidak dapat diarsipkan.")
            % {"name": tenant.name, "status": tenant.get_status_display()},
            field="status",
        )
    previous = tenant.status
    tenant = tenant_set_status(tenant=tenant, status=Tenant.Status.ARCHIVED)
    now = timezone.now()
    state = _lifecycle(tenant)
    state.archived_at = now
    state.delete_after = now + timedelta(days=settings.OPERATIONS_RETENTION_DAYS)
    state.status_before_archive = previous
    state.save(update_fields=["archived_at", "delete_after", "status_before_archive"])
    lifecycle_record(
        tenant=tenant,
        action=LifecycleRecord.Action.ARCHIVE,
        actor=actor,
        detail={"delete_after": state.delete_after.isoformat(), "previous_status": previous},
    )
    return tenant


def _region_description(tenant: Tenant) -> dict[str, Any]:
    return {
        "kode": tenant.region_id,
        "name": tenant.name,
        "slug": tenant.slug,
        "kind": tenant.kind,
        "province": tenant.province_id,
        "template_version": tenant.template_version.label if tenant.template_version else "",
    }


def region_export(*, tenant: Tenant, actor: Actor, directory: Path | None = None) -> RegionExport:
    """Write the region's archive (dump, files, manifest with checksums) and record it.

    The dump runs outside any transaction of ours; the record is written once the file exists.
    """
    _region_tenant(tenant)
    path = archive.archive_write(
        schema_name=tenant.schema_name,
        region=_region_description(tenant),
        directory=directory or Path(settings.OPERATIONS_EXPORT_DIR),
    )
    manifest = archive.archive_manifest(path)
    size, sha256 = path.stat().st_size, archive._sha256_file(path)
    location = export_keep(path)  # on the volume, or moved to the exports bucket
    with transaction.atomic():
        export = RegionExport.objects.create(
            tenant=tenant,
            schema_name=tenant.schema_name,
            path=location,
            size_bytes=size,
            sha256=sha256,
            manifest=manifest,
        )
        lifecycle_record(
            tenant=tenant,
            action=LifecycleRecord.Action.EXPORT,
            actor=actor,
            detail={"path": location, "tables": len(manifest["tables"])},
        )
    return export


@transaction.atomic
def region_export_download(*, export: RegionExport, actor: Actor) -> RegionExport:
    """Record that someone takes an export's file away, before it is streamed to them.

    Refuses an export whose file is gone (NotFoundError). The record goes where every lifecycle
    action goes: LifecycleRecord in public and the region's own audit chain.
    """
    if not export_exists(export.path):
        raise NotFoundError(_("Berkas arsip ini sudah tidak ada di server."), field="export")
    if export.tenant is None:
        raise NotFoundError(_("Daerah arsip ini sudah dihapus."), field="export")
    lifecycle_record(
        tenant=export.tenant,
        action=LifecycleRecord.Action.DOWNLOAD,
        actor=actor,
        detail={"export": export.pk, "path": export.path},
    )
    return export


@transaction.atomic
def region_restore(
    *,
    path: Path,
    actor: Actor,
    tenant: Tenant | None = None,
    kode: str | None = None,
) -> Tenant:
    """Restore an archive over its own region (suspended or archived) or into a new kabupaten/kota
    named by `kode`, which passes provisioning's checks (never a province, never a region that
    exists). The data's checksums must equal the manifest's before anything is replaced."""
    if (tenant is None) == (kode is None):
        raise LifecycleError(
            _("Pilih tepat satu: daerah yang ada atau kode wilayah baru."), field="kode"
        )
    if not Path(path).is_file():
        raise NotFoundError(_("Arsip %(path)s tidak ada.") % {"path": path}, field="archive")
    manifest = archive.archive_manifest(Path(path))
    if tenant is not None:
        target = _restore_over(tenant=tenant, manifest=manifest)
        restore.archive_restore_schema(path=Path(path), target_schema=target.schema_name)
    else:
        requester = actor if isinstance(actor, User) else None
        region = provision_region_validate(kode_wilayah=kode or "", requested_by=requester)
        target = tenant_register(region=region, status=Tenant.Status.PROVISIONING)
        restore.archive_restore_schema(path=Path(path), target_schema=target.schema_name)
        label = manifest.get("region", {}).get("template_version") or ""
        version = TemplateVersion.objects.filter(label=label).first() if label else None
        if version is not None:
            target.template_version = version
            target.save(update_fields=["template_version", "updated_at"])
        target = tenant_set_status(tenant=target, status=Tenant.Status.ACTIVE)
    chain_heads_rebase(tenant=target)  # the archive's chain replaces the one published before
    lifecycle_record(
        tenant=target,
        action=LifecycleRecord.Action.RESTORE,
        actor=actor,
        detail={"path": str(path), "source_schema": manifest["schema_name"]},
        region_audit=False,
    )
    return target


def _restore_over(*, tenant: Tenant, manifest: dict[str, Any]) -> Tenant:
    """An archive goes back over the region it was taken from, and only a stopped one."""
    _region_tenant(tenant)
    if manifest["schema_name"] != tenant.schema_name:
        raise LifecycleError(
            _(
                "Arsip ini berasal dari %(source)s, bukan %(name)s: pulihkan ke daerah asalnya "
                "atau ke kode wilayah baru."
            )
            % {"source": manifest["schema_name"], "name": tenant.name},
            field="archive",
        )
    if tenant.status not in (Tenant.Status.SUSPENDED, Tenant.Status.ARCHIVED):
        raise LifecycleError(
            _("Tangguhkan atau arsipkan %(name)s sebelum memulihkan di atasnya.")
            % {"name": tenant.name},
            field="status",
        )
    return tenant


@transaction.atomic
def region_delete(*, tenant: Tenant, actor: Actor, confirmation: str) -> None:
    """Drop an archived region whose retention period has passed; the confirmation must name it."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.ARCHIVED:
        raise LifecycleError(_("Hanya daerah yang sudah diarsipkan dapat dihapus."), field="status")
    state = _lifecycle(tenant)
    if state.delete_after is None or timezone.now() < state.delete_after:
        when = (
            timezone.localtime(state.delete_after).strftime("%d-%m-%Y %H:%M")
            if state.delete_after
            else "-"
        )
        raise LifecycleError(
            _("Masa retensi %(name)s belum berakhir (boleh dihapus mulai %(when)s).")
            % {"name": tenant.name, "when": when},
            field="status",
        )
    if confirmation.strip().lower() not in {tenant.slug.lower(), tenant.name.strip().lower()}:
        raise ConfirmationError(
            _("Ketik nama daerah (%(name)s) atau slug-nya (%(slug)s) untuk menghapus.")
            % {"name": tenant.name, "slug": tenant.slug},
            field="confirmation",
        )
    LifecycleRecord.objects.create(
        tenant=None,
        schema_name=tenant.schema_name,
        region_name=tenant.name,
        action=LifecycleRecord.Action.DELETE,
        actor=_actor_fk(actor),
        actor_label=_actor_label(actor),
        detail={
            "kode": tenant.region_id,
            "archived_at": state.archived_at.isoformat() if state.archived_at else "",
        },
    )
    platform_audit_record(
        actor=actor,
        action=AuditAction.REGION_DELETE,
        target=tenant,
        changes={"kode": tenant.region_id},
    )
    LifecycleRecord.objects.filter(tenant=tenant).update(tenant=None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(tenant.schema_name)} CASCADE"
        )
    Domain.objects.filter(tenant=tenant).delete()
    Tenant.objects.filter(pk=tenant.pk).delete()
    from tenants.routing import routing_invalidate

    transaction.on_commit(routing_invalidate)
    schema_name = tenant.schema_name  # the region's files go with it, once the drop is committed
    transaction.on_commit(lambda: region_files_purge(schema_name=schema_name))
