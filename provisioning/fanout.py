"""Per-region background work: one piece of work run over every active region.

Periodic work that concerns each region (SLA clocks, the portal's figures, audit checks) is
registered here by name (`region_work`) and run by the task `provisioning.regions_run`: the
regions are split into batches that run in parallel threads, each thread on its own database
connection, each region inside its own `schema_context` and transaction. A region that fails is
rolled back alone, logged with its tenant, sent to Sentry tagged with it, and listed in the
summary the task returns; the others carry on.

This module crosses schemas on purpose: it is the one place that walks every region for
background work.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import sentry_sdk
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.core.errors import NotFoundError
from tenants.models import Tenant

logger = logging.getLogger(__name__)

RegionWork = Callable[[Tenant], Any]
REGION_WORK: dict[str, RegionWork] = {}


def region_work(name: str) -> Callable[[RegionWork], RegionWork]:
    """Register `function(tenant)` as per-region work under `name` (runs in the region's schema)."""

    def register(function: RegionWork) -> RegionWork:
        REGION_WORK[name] = function
        return function

    return register


@dataclass
class RegionsRunSummary:
    work: str
    regions: int = 0
    ok: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "work": self.work,
            "regions": self.regions,
            "ok": sorted(self.ok),
            "failed": dict(sorted(self.failed.items())),
            "seconds": round(self.seconds, 3),
        }


def _region_run(name: str, work: RegionWork, tenant: Tenant) -> str | None:
    """Run the work in one region; the error message if it failed (never raises)."""
    try:
        with schema_context(tenant.schema_name), transaction.atomic():
            work(tenant)
    except Exception as exc:
        logger.exception(
            "per-region work failed", extra={"work": name, "region": tenant.schema_name}
        )
        with sentry_sdk.new_scope() as scope:
            scope.set_tag("tenant", tenant.schema_name)
            scope.set_tag("region_work", name)
            sentry_sdk.capture_exception(exc)
        return str(exc) or exc.__class__.__name__
    return None


def _batch_run(name: str, work: RegionWork, batch: list[Tenant]) -> dict[str, str | None]:
    """One thread's share: its own connection, closed when the batch is done."""
    try:
        return {tenant.schema_name: _region_run(name, work, tenant) for tenant in batch}
    finally:
        connection.close()


def regions_run(*, name: str, batch_size: int = 10, threads: int = 4) -> RegionsRunSummary:
    """Run the registered work `name` over every active region in parallel batches."""
    work = REGION_WORK.get(name)
    if work is None:
        raise NotFoundError(
            _("Pekerjaan per daerah %(name)s tidak dikenal.") % {"name": name}, field="work"
        )
    started = time.perf_counter()
    tenants = list(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE)
        .exclude(kind=Tenant.Kind.TEMPLATE)
        .order_by("schema_name")
    )
    batches = [tenants[i : i + batch_size] for i in range(0, len(tenants), max(1, batch_size))]
    summary = RegionsRunSummary(work=name, regions=len(tenants))
    with ThreadPoolExecutor(max_workers=max(1, min(threads, len(batches) or 1))) as pool:
        for outcome in pool.map(lambda batch: _batch_run(name, work, batch), batches):
            for schema_name, error in outcome.items():
                if error is None:
                    summary.ok.append(schema_name)
                else:
                    summary.failed[schema_name] = error
    summary.seconds = time.perf_counter() - started
    log = logger.warning if summary.failed else logger.info
    log(
        "per-region work done",
        extra={"work": name, "ok": len(summary.ok), "failed": sorted(summary.failed)},
    )
    return summary
