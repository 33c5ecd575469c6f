"""Reads of the support console. The overview is two queries whatever the number of regions."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from apps.access.scoping import tenants_visible
from provisioning.models import (
    LifecycleRecord,
    RegionExport,
    RegionSnapshot,
    RolloutItem,
    RolloutJob,
)
from tenants.models import TemplateVersion, Tenant


@dataclass(frozen=True)
class RegionRow:
    tenant: Tenant
    snapshot: RegionSnapshot | None


def region_list(
    *, user: Any, province: str = "", status: str = "", version: str = ""
) -> QuerySet[Tenant]:
    tenants = tenants_visible(
        user,
        Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).select_related(
            "region", "province", "template_version"
        ),
    )
    if province:
        tenants = tenants.filter(province_id=province)
    if status:
        tenants = tenants.filter(status=status)
    if version:
        tenants = tenants.filter(template_version__label=version)
    return tenants.order_by("province_id", "region_id", "schema_name")


def region_overview(
    *, user: Any, province: str = "", status: str = "", version: str = ""
) -> list[RegionRow]:
    """Each visible region with its latest snapshot: one query for tenants, one for snapshots."""
    tenants = region_list(user=user, province=province, status=status, version=version)
    rows = list(tenants)
    latest = {
        snapshot.tenant_id: snapshot
        for snapshot in RegionSnapshot.objects.filter(tenant__in=tenants)
        .order_by("tenant_id", "-taken_at")
        .distinct("tenant_id")
    }
    return [RegionRow(tenant=t, snapshot=latest.get(t.id)) for t in rows]


def region_get(*, user: Any, schema_name: str) -> Tenant | None:
    return region_list(user=user).filter(schema_name=schema_name).first()


def region_history(*, tenant: Tenant, days: int = 7) -> QuerySet[RegionSnapshot]:
    since = timezone.now() - timedelta(days=days)
    return RegionSnapshot.objects.filter(tenant=tenant, taken_at__gte=since).order_by("taken_at")


def lifecycle_record_list(*, tenant: Tenant) -> QuerySet[LifecycleRecord]:
    return LifecycleRecord.objects.filter(tenant=tenant).select_related("actor")[:50]


def export_list(*, tenant: Tenant) -> QuerySet[RegionExport]:
    return RegionExport.objects.filter(tenant=tenant)[:20]


def export_get(*, tenant: Tenant, export_id: int) -> RegionExport | None:
    return RegionExport.objects.select_related("tenant").filter(pk=export_id, tenant=tenant).first()


def template_version_list() -> QuerySet[TemplateVersion]:
    return TemplateVersion.objects.order_by("-created_at")


def rollout_job_list() -> QuerySet[RolloutJob]:
    return RolloutJob.objects.select_related("template_version", "created_by")[:20]


def rollout_job_get(*, job_id: int) -> RolloutJob | None:
    return RolloutJob.objects.select_related("template_version").filter(pk=job_id).first()


def rollout_item_list(*, job: RolloutJob, status: str = "") -> QuerySet[RolloutItem]:
    items = job.items.select_related("tenant")
    return items.filter(status=status) if status else items
