"""Monitoring: a periodic snapshot of every region's figures for the support console."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.audit.platform.services import ObservedHead, chain_heads_publish
from provisioning import crossschema, rollout
from provisioning.metrics import request_counter
from provisioning.models import RegionSnapshot
from tenants.models import Domain, Tenant

SNAPSHOT_KEEP_DAYS = 30


def snapshot_collect(*, audit_full: bool = False) -> int:
    """Read every region's figures (a handful of statements for all schemas) into snapshots.

    Each region's audit head is published to public (apps.audit.platform); its chain is verified
    in full when the head moved, the last verdict was not good, the last full check is older
    than AUDIT_VERIFY_INTERVAL, or `audit_full`.
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
    audit = chain_heads_publish(
        tenants=tenants,
        heads={
            schema: ObservedHead(
                seq=int(facts["audit_head_seq"]),
                hash=facts["audit_head_hash"],
                present=bool(facts["audit_head_hash"]),
            )
            for schema, facts in activity.items()
        },
        full=audit_full,
    )
    now = timezone.now()
    rows = []
    for tenant in tenants:
        pending = plan.pending(tenant.schema_name)
        facts = activity.get(tenant.schema_name, {})
        head_seq = int(facts.get("audit_head_seq", 0))
        audit_ok, audit_reason = audit.get(tenant.id, (None, ""))
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
