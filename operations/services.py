"""Writes of the support console: lifecycle of regions, snapshots, template versions, rollouts.

Every lifecycle action leaves a LifecycleRecord in public (kept after the region is deleted) and,
where the region's schema exists, an entry in the region's own audit chain.
"""

import importlib
import inspect
import json
import logging
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.migration import Migration
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.services import audit_record, verify_chain
from operations import archive, crossschema, rollout
from operations.errors import ConfirmationError, LifecycleError, RolloutError
from operations.metrics import request_counter
from operations.models import (
    LifecycleRecord,
    RegionExport,
    RegionLifecycle,
    RegionSnapshot,
    RolloutItem,
    RolloutJob,
)
from tenants.errors import NotFoundError
from tenants.models import Domain, Region, TemplateVersion, Tenant
from tenants.services import tenant_register, tenant_set_status

logger = logging.getLogger(__name__)

SNAPSHOT_KEEP_DAYS = 30


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "sistem"
    if isinstance(actor, str):
        return actor
    return str(getattr(actor, "email", "") or actor)


def _actor_fk(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None and not isinstance(actor, str) else None


def _schema_has_audit(schema_name: str) -> bool:
    tables = crossschema.schemas_with_tables([schema_name], ["audit_auditentry"])
    return bool(tables.get(schema_name))


def lifecycle_record(
    *,
    tenant: Tenant,
    action: str,
    actor: Any,
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
    if region_audit and _schema_has_audit(tenant.schema_name):
        with schema_context(tenant.schema_name):
            audit_record(
                actor=f"platform: {_actor_label(actor)}",
                action=f"region.{action}",
                target=tenant.name,
                changes=detail or {},
            )
    return record


def _lifecycle(tenant: Tenant) -> RegionLifecycle:
    state, _ = RegionLifecycle.objects.get_or_create(tenant=tenant)
    return state


def _region_tenant(tenant: Tenant) -> None:
    if tenant.kind == Tenant.Kind.TEMPLATE:
        raise LifecycleError("Templat induk tidak dapat diubah dari sini.", field="region")


@transaction.atomic
def region_suspend(*, tenant: Tenant, actor: Any, reason: str = "") -> Tenant:
    """Active -> suspended: its host answers 503 and nobody can sign in there."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.ACTIVE:
        raise LifecycleError(
            f"{tenant.name} berstatus {tenant.get_status_display()}, bukan aktif.", field="status"
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
def region_resume(*, tenant: Tenant, actor: Any) -> Tenant:
    """Suspended -> active."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.SUSPENDED:
        raise LifecycleError(f"{tenant.name} tidak sedang ditangguhkan.", field="status")
    tenant = tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)
    state = _lifecycle(tenant)
    state.suspended_at = None
    state.save(update_fields=["suspended_at"])
    lifecycle_record(tenant=tenant, action=LifecycleRecord.Action.RESUME, actor=actor)
    return tenant


@transaction.atomic
def region_archive(*, tenant: Tenant, actor: Any) -> Tenant:
    """Active or suspended -> archived; deletion becomes possible after the retention period."""
    _region_tenant(tenant)
    if tenant.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
        raise LifecycleError(
            f"{tenant.name} berstatus {tenant.get_status_display()}; tidak dapat diarsipkan.",
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


def region_export(*, tenant: Tenant, actor: Any, directory: Path | None = None) -> RegionExport:
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
    with transaction.atomic():
        export = RegionExport.objects.create(
            tenant=tenant,
            schema_name=tenant.schema_name,
            path=str(path),
            size_bytes=path.stat().st_size,
            sha256=archive._sha256_file(path),
            manifest=manifest,
        )
        lifecycle_record(
            tenant=tenant,
            action=LifecycleRecord.Action.EXPORT,
            actor=actor,
            detail={"path": str(path), "tables": len(manifest["tables"])},
        )
    return export


@transaction.atomic
def region_restore(
    *,
    path: Path,
    actor: Any,
    tenant: Tenant | None = None,
    kode: str | None = None,
) -> Tenant:
    """Restore an archive into an existing region (suspended or archived) or a new one (`kode`).

    The restored schema's data checksums are checked against the manifest before it replaces
    anything; a new region is registered first and activated once its schema is in place.
    """
    if (tenant is None) == (kode is None):
        raise LifecycleError(
            "Pilih tepat satu: daerah yang ada atau kode wilayah baru.", field="kode"
        )
    if not Path(path).is_file():
        raise NotFoundError(f"Arsip {path} tidak ada.", field="archive")
    manifest = archive.archive_manifest(Path(path))
    if tenant is not None:
        _region_tenant(tenant)
        if tenant.status not in (Tenant.Status.SUSPENDED, Tenant.Status.ARCHIVED):
            raise LifecycleError(
                f"Tangguhkan atau arsipkan {tenant.name} sebelum memulihkan di atasnya.",
                field="status",
            )
        target = tenant
        archive.archive_restore_schema(path=Path(path), target_schema=target.schema_name)
    else:
        region = Region.objects.select_related("induk").filter(kode=kode).first()
        if region is None:
            raise NotFoundError(f"Kode wilayah {kode} tidak dikenal.", field="kode")
        target = tenant_register(region=region, status=Tenant.Status.PROVISIONING)
        archive.archive_restore_schema(path=Path(path), target_schema=target.schema_name)
        label = manifest.get("region", {}).get("template_version") or ""
        version = TemplateVersion.objects.filter(label=label).first() if label else None
        if version is not None:
            target.template_version = version
            target.save(update_fields=["template_version", "updated_at"])
        target = tenant_set_status(tenant=target, status=Tenant.Status.ACTIVE)
    lifecycle_record(
        tenant=target,
        action=LifecycleRecord.Action.RESTORE,
        actor=actor,
        detail={"path": str(path), "source_schema": manifest["schema_name"]},
        region_audit=False,
    )
    return target


@transaction.atomic
def region_delete(*, tenant: Tenant, actor: Any, confirmation: str) -> None:
    """Drop an archived region whose retention period has passed; the confirmation must name it."""
    _region_tenant(tenant)
    if tenant.status != Tenant.Status.ARCHIVED:
        raise LifecycleError("Hanya daerah yang sudah diarsipkan dapat dihapus.", field="status")
    state = _lifecycle(tenant)
    if state.delete_after is None or timezone.now() < state.delete_after:
        when = (
            timezone.localtime(state.delete_after).strftime("%d-%m-%Y %H:%M")
            if state.delete_after
            else "-"
        )
        raise LifecycleError(
            f"Masa retensi {tenant.name} belum berakhir (boleh dihapus mulai {when}).",
            field="status",
        )
    if confirmation.strip().lower() not in {tenant.slug.lower(), tenant.name.strip().lower()}:
        raise ConfirmationError(
            f"Ketik nama daerah ({tenant.name}) atau slug-nya ({tenant.slug}) untuk menghapus.",
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
    LifecycleRecord.objects.filter(tenant=tenant).update(tenant=None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(tenant.schema_name)} CASCADE"
        )
    Domain.objects.filter(tenant=tenant).delete()
    Tenant.objects.filter(pk=tenant.pk).delete()
    from tenants.routing import routing_invalidate

    transaction.on_commit(routing_invalidate)


# --- monitoring -------------------------------------------------------------------------------


def snapshot_collect() -> int:
    """Read every region's figures (a handful of statements for all schemas) into snapshots.

    The audit chain of a region is verified again only when its head moved since the last
    snapshot or the last verdict was not good.
    """
    tenants = list(
        Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).select_related("template_version")
    )
    schemas = [t.schema_name for t in tenants]
    plan = rollout.plan_build(schemas)
    activity = crossschema.region_activity(schemas)
    sizes = crossschema.storage_sizes(schemas)
    counts = request_counter.totals_24h()
    per_tenant: dict[int, list[int]] = {}
    for domain, tenant_id in Domain.objects.values_list("domain", "tenant_id"):
        requests, errors = counts.get(domain, (0, 0))
        total = per_tenant.setdefault(tenant_id, [0, 0])
        total[0] += requests
        total[1] += errors
    previous = {
        s.tenant_id: s
        for s in RegionSnapshot.objects.filter(tenant__in=tenants)
        .order_by("tenant_id", "-taken_at")
        .distinct("tenant_id")
    }
    now = timezone.now()
    rows = []
    for tenant in tenants:
        pending = plan.pending(tenant.schema_name)
        facts = activity.get(tenant.schema_name, {})
        head_seq = int(facts.get("audit_head_seq", 0))
        last = previous.get(tenant.id)
        audit_ok: bool | None = None
        audit_reason = ""
        if facts:
            if last is not None and last.audit_ok and last.audit_head_seq == head_seq:
                audit_ok = True
            else:
                with schema_context(tenant.schema_name):
                    verdict = verify_chain()
                audit_ok, audit_reason = verdict.ok, verdict.reason[:255]
        requests, errors = per_tenant.get(tenant.id, [0, 0])
        rows.append(
            RegionSnapshot(
                tenant=tenant,
                taken_at=now,
                status=tenant.status,
                template_version_label=tenant.template_version.label
                if tenant.template_version
                else "",
                schema_present=pending is not None,
                migrations_current=pending == [],
                pending_migrations=len(pending or []),
                users=int(facts.get("users", 0)),
                last_activity=facts.get("last_activity"),
                requests_24h=requests,
                errors_24h=errors,
                storage_bytes=sizes.get(tenant.schema_name, 0),
                audit_ok=audit_ok,
                audit_head_seq=head_seq,
                audit_reason=audit_reason,
            )
        )
    with transaction.atomic():
        RegionSnapshot.objects.bulk_create(rows, batch_size=500)
        RegionSnapshot.objects.filter(
            taken_at__lt=now - timedelta(days=SNAPSHOT_KEEP_DAYS)
        ).delete()
    return len(rows)


# --- template versions and rollouts ---------------------------------------------------------


def _reference_module() -> Any:
    try:
        return importlib.import_module("apps.reference.services")
    except ImportError:
        return None


def reference_diff_apply(*, schema_name: str, template_version: TemplateVersion) -> dict[str, Any]:
    """The single hook to the reference-data diff of a rollout (apps.reference, when present).

    Runs inside the region's schema; returns what the reference app reports (codes added,
    retired), or {"status": "unavailable"} while no reference app provides the diff.
    """
    module = _reference_module()
    function = getattr(module, "reference_diff_apply", None) if module else None
    if function is None:
        return {"status": "unavailable"}
    accepted = inspect.signature(function).parameters
    offered: dict[str, Any] = {
        "schema_name": schema_name,
        "template_version": template_version,
        "source_schema": settings.TEMPLATE_SCHEMA_NAME,
        "actor": f"rollout {template_version.label}",
    }
    kwargs = {k: v for k, v in offered.items() if k in accepted}
    with schema_context(schema_name):
        result = function(**kwargs)
    if isinstance(result, dict):
        return result
    changes = getattr(result, "perubahan", None)
    return {
        "status": "applied",
        "release": str(result)[:200],
        "changes": changes if isinstance(changes, dict) else {},
    }


def reference_diff_needed(*, current: TemplateVersion | None, target: TemplateVersion) -> bool:
    """The diff runs when the region's reference release may differ from the target's: no
    version yet, or versions whose reference checksums differ (or are unknown)."""
    if current is None:
        return True
    if not current.reference_checksum or not target.reference_checksum:
        return current.pk != target.pk
    return current.reference_checksum != target.reference_checksum


def template_version_publish(
    *,
    label: str,
    notes: str = "",
    actor: Any = None,
    extra_migrations: Sequence[Migration] = (),
) -> TemplateVersion:
    """Bring the master template up to the code's migrations, then record it as a version."""
    label = label.strip()
    if not label:
        raise RolloutError("Label versi wajib diisi.", field="label")
    if TemplateVersion.objects.filter(label=label).exists():
        raise RolloutError(f"Versi {label} sudah ada.", field="label")
    template = Tenant.objects.get(schema_name=settings.TEMPLATE_SCHEMA_NAME)
    plan = rollout.plan_build([template.schema_name], extra_migrations=extra_migrations)
    outcomes = rollout.migrate_schemas_fast(plan, [template.schema_name])
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise RolloutError(f"Migrasi templat induk gagal: {failed[0].error}", field="label")
    from tenants import services as tenant_services

    state = tenant_services.template_migration_state()
    checksum, release = tenant_services.template_reference_checksum()
    with transaction.atomic():
        version = TemplateVersion.objects.create(
            label=label,
            notes=notes,
            reference_checksum=checksum[:64],
            reference_release=release[:64],
            migration_state=state,
            digest=tenant_services._template_digest(state, checksum),
        )
        template.template_version = version
        template.save(update_fields=["template_version", "updated_at"])
    logger.info("template version %s published by %s", label, _actor_label(actor))
    return version


ROLLOUT_STATUSES = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


@transaction.atomic
def rollout_create(
    *,
    template_version: TemplateVersion,
    actor: Any = None,
    province_code: str = "",
    schema_names: Sequence[str] = (),
) -> RolloutJob:
    """A job over all regions, one province's, or the chosen ones (active or suspended)."""
    tenants = Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).filter(status__in=ROLLOUT_STATUSES)
    scope = RolloutJob.Scope.ALL
    if schema_names:
        scope = RolloutJob.Scope.CHOSEN
        tenants = tenants.filter(schema_name__in=list(schema_names))
    elif province_code:
        scope = RolloutJob.Scope.PROVINCE
        tenants = tenants.filter(province_id=province_code)
    job = RolloutJob.objects.create(
        template_version=template_version,
        scope=scope,
        province_code=province_code,
        created_by=_actor_fk(actor),
    )
    items = [
        RolloutItem(job=job, tenant_id=tenant_id, schema_name=schema_name)
        for tenant_id, schema_name in tenants.values_list("id", "schema_name")
    ]
    if not items:
        raise RolloutError("Tidak ada daerah dalam cakupan ini.", field="scope")
    RolloutItem.objects.bulk_create(items, batch_size=1000)
    return job


def _item_fields(item: RolloutItem, outcome: rollout.Outcome, now: Any) -> None:
    item.attempts += 1
    item.finished_at = now
    item.path = outcome.path
    item.migrations = outcome.migrations
    item.error = outcome.error[:4000]
    item.status = RolloutItem.Status.DONE if outcome.ok else RolloutItem.Status.FAILED


def _items_update(items: Sequence[RolloutItem], fields: Sequence[str]) -> None:
    """Save `fields` of many items with one UPDATE per distinct set of values: a rollout's
    items mostly share them, so 550 regions cost a handful of statements, not a CASE per row."""
    groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
    for item in items:
        values = {field: getattr(item, field) for field in fields}
        key = json.dumps(values, sort_keys=True, default=str)
        groups.setdefault(key, (values, []))[1].append(item.pk)
    for values, pks in groups.values():
        RolloutItem.objects.filter(pk__in=pks).update(**values)


def _items_execute(
    job: RolloutJob, items: list[RolloutItem], extra_migrations: Sequence[Migration]
) -> None:
    """Migrate the items' schemas, apply the reference diff, record progress as it comes."""
    version = job.template_version
    by_schema = {item.schema_name: item for item in items}
    tenant_rows = list(
        Tenant.objects.filter(id__in=[i.tenant_id for i in items]).values_list(
            "schema_name", "template_version_id", "name"
        )
    )
    current_versions = {schema: version_id for schema, version_id, _ in tenant_rows}
    names = {schema: name for schema, _, name in tenant_rows}
    versions = TemplateVersion.objects.in_bulk(
        {v for v in current_versions.values() if v is not None}
    )
    plan = rollout.plan_build(list(by_schema), extra_migrations=extra_migrations)
    now = timezone.now()
    skipped = []
    to_migrate = []
    for item in items:
        pending = plan.pending(item.schema_name)
        if pending == [] and current_versions.get(item.schema_name) == version.id:
            item.status = RolloutItem.Status.SKIPPED
            item.finished_at = now
            item.attempts += 1
            skipped.append(item)
        else:
            item.status = RolloutItem.Status.RUNNING
            item.started_at = now
            to_migrate.append(item)
    _items_update(skipped + to_migrate, ["status", "finished_at", "started_at", "attempts"])
    if not to_migrate:
        return

    def progress(batch: list[rollout.Outcome]) -> None:
        moment = timezone.now()
        changed = []
        for outcome in batch:
            item = by_schema[outcome.schema_name]
            _item_fields(item, outcome, moment)
            changed.append(item)
        _items_update(changed, ["status", "path", "migrations", "error", "attempts", "finished_at"])

    rollout.migrate_schemas_fast(
        plan, [item.schema_name for item in to_migrate], on_progress=progress
    )
    done = [item for item in to_migrate if item.status == RolloutItem.Status.DONE]
    for item in done:
        current = versions.get(current_versions.get(item.schema_name) or 0)
        if not reference_diff_needed(current=current, target=version):
            item.reference = {"status": "unchanged"}
            continue
        try:
            item.reference = reference_diff_apply(
                schema_name=item.schema_name, template_version=version
            )
        except Exception as exc:
            logger.warning("reference diff failed in %s", item.schema_name, exc_info=True)
            item.status = RolloutItem.Status.FAILED
            item.error = f"Selisih data referensi gagal: {exc}"[:4000]
    _items_update(done, ["status", "error", "reference"])
    upgraded = [item.schema_name for item in done if item.status == RolloutItem.Status.DONE]
    if upgraded:
        Tenant.objects.filter(schema_name__in=upgraded).update(template_version=version)
        from tenants.routing import routing_invalidate

        transaction.on_commit(routing_invalidate)
        records = [
            LifecycleRecord(
                tenant_id=item.tenant_id,
                schema_name=item.schema_name,
                region_name=names.get(item.schema_name, item.schema_name),
                action=LifecycleRecord.Action.UPGRADE,
                actor=job.created_by,
                actor_label=_actor_label(job.created_by),
                detail={"job": job.pk, "version": version.label, "migrations": item.migrations},
            )
            for item in done
            if item.status == RolloutItem.Status.DONE
        ]
        LifecycleRecord.objects.bulk_create(records, batch_size=1000)


def _job_finish(job: RolloutJob) -> RolloutJob:
    counts: dict[str, int] = {}
    for status in job.items.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    job.summary = counts
    job.finished_at = timezone.now()
    busy = counts.get(RolloutItem.Status.PENDING, 0) + counts.get(RolloutItem.Status.RUNNING, 0)
    if busy:
        job.status = RolloutJob.Status.RUNNING
    elif counts.get(RolloutItem.Status.FAILED):
        job.status = RolloutJob.Status.DONE_WITH_ERRORS
    else:
        job.status = RolloutJob.Status.DONE
    job.save(update_fields=["summary", "finished_at", "status"])
    return job


def rollout_run(*, job: RolloutJob, extra_migrations: Sequence[Migration] = ()) -> RolloutJob:
    """Run every pending item of the job; failures are marked on their item, never raised."""
    job.status = RolloutJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    items = list(
        job.items.filter(status__in=[RolloutItem.Status.PENDING, RolloutItem.Status.RUNNING])
    )
    _items_execute(job, items, extra_migrations)
    return _job_finish(job)


def rollout_item_retry(
    *, item: RolloutItem, extra_migrations: Sequence[Migration] = ()
) -> RolloutItem:
    """Run one failed region of a rollout again, alone."""
    if item.status != RolloutItem.Status.FAILED:
        raise RolloutError(f"{item.schema_name} tidak dalam status gagal.", field="item")
    _items_execute(item.job, [item], extra_migrations)
    _job_finish(item.job)
    item.refresh_from_db()
    return item
