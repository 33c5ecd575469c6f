"""Rollouts: a job upgrading regions (all, one province's, or chosen ones) to a template version.

Each region is an item: its schema is migrated, the reference-data diff applied, and its progress
recorded as it comes; a failed item is marked, never raised, and can be retried alone.
"""

import json
import logging
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from provisioning import rollout
from provisioning.errors import RolloutError
from provisioning.models import LifecycleRecord, RolloutItem, RolloutJob
from provisioning.services._common import _actor_fk, _actor_label
from provisioning.services.versions import reference_diff_apply, reference_diff_needed
from tenants.models import TemplateVersion, Tenant

logger = logging.getLogger(__name__)

ROLLOUT_STATUSES = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


@transaction.atomic
def rollout_create(
    *,
    template_version: TemplateVersion,
    actor: Actor = None,
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
        raise RolloutError(_("Tidak ada daerah dalam cakupan ini."), field="scope")
    RolloutItem.objects.bulk_create(items, batch_size=1000)
    platform_audit_record(
        actor=actor,
        action=AuditAction.ROLLOUT_CREATED,
        target=job,
        changes={"version": template_version.label, "scope": scope, "regions": len(items)},
    )
    return job


def rollout_start(
    *,
    template_version: TemplateVersion,
    actor: Actor = None,
    province_code: str = "",
    schema_names: Sequence[str] = (),
) -> RolloutJob:
    """Create the job and run it after commit (a Celery task; in-process without a broker).
    The console page and the API both start rollouts here."""
    from provisioning import tasks  # tasks call these services: imported when first used

    with transaction.atomic():
        job = rollout_create(
            template_version=template_version,
            actor=actor,
            province_code=province_code,
            schema_names=schema_names,
        )
        transaction.on_commit(lambda: tasks.rollout_run.delay(schema_name="public", job_id=job.pk))
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


def _items_execute(job: RolloutJob, items: list[RolloutItem]) -> None:
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
    plan = rollout.plan_build(list(by_schema))
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
            item.error = (_("Selisih data referensi gagal: %(error)s") % {"error": exc})[:4000]
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


def rollout_run(*, job: RolloutJob) -> RolloutJob:
    """Run every pending item of the job; failures are marked on their item, never raised."""
    job.status = RolloutJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    items = list(
        job.items.filter(status__in=[RolloutItem.Status.PENDING, RolloutItem.Status.RUNNING])
    )
    _items_execute(job, items)
    job = _job_finish(job)
    platform_audit_record(
        actor=job.created_by, action=AuditAction.ROLLOUT_RUN, target=job, changes=job.summary
    )
    return job


def rollout_item_retry(*, item: RolloutItem, actor: Actor = None) -> RolloutItem:
    """Run one failed region of a rollout again, alone (`actor`: who asked; by default the
    rollout's creator)."""
    if item.status != RolloutItem.Status.FAILED:
        raise RolloutError(
            _("%(schema)s tidak dalam status gagal.") % {"schema": item.schema_name}, field="item"
        )
    _items_execute(item.job, [item])
    _job_finish(item.job)
    item.refresh_from_db()
    platform_audit_record(
        actor=actor or item.job.created_by,
        action=AuditAction.ROLLOUT_ITEM_RETRIED,
        target=item,
        changes={"job": item.job_id, "status": item.status},
    )
    return item
