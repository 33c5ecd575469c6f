"""Celery entry points of a region's lifecycle: each takes schema_name ("public" for platform-wide
work, which crosses schemas through provisioning.crossschema) and calls one service."""

import contextlib
from typing import Any

from apps.core.errors import ApplicationError
from provisioning import fanout, restore, services
from provisioning.models import ProvisioningJob, RolloutItem, RolloutJob
from saas.celery import TenantTask, app


@app.task(base=TenantTask, name="provisioning.job_run")
def provisioning_job_run(*, schema_name: str, job_id: int) -> str:
    """Run one pending job; a failed step is recorded on the job, not raised again."""
    job = ProvisioningJob.objects.select_related("region").get(pk=job_id)
    with contextlib.suppress(ApplicationError):  # the job row carries the step and message
        services.provisioning_job_run(job=job)
    return str(job.status)


@app.task(base=TenantTask, name="provisioning.jobs_reap")
def provisioning_jobs_reap(*, schema_name: str) -> list[int]:
    """Mark failed the running jobs whose process died."""
    return services.provisioning_jobs_reap()


@app.task(base=TenantTask, name="provisioning.regions_run")
def regions_run(*, schema_name: str, work: str, batch_size: int = 10) -> dict[str, Any]:
    """Run registered per-region work over every active region; the summary is returned."""
    return fanout.regions_run(name=work, batch_size=batch_size).as_dict()


@app.task(base=TenantTask, name="provisioning.snapshot_collect")
def snapshot_collect(*, schema_name: str) -> int:
    return services.snapshot_collect()


@app.task(base=TenantTask, name="provisioning.audit_verify")
def audit_verify(*, schema_name: str) -> int:
    """A snapshot that verifies every region's audit chain in full (scheduled by beat)."""
    return services.snapshot_collect(audit_full=True)


@app.task(base=TenantTask, name="provisioning.restore_work_sweep")
def restore_work_sweep(*, schema_name: str) -> list[str]:
    """Drop the work schemas of restores that died (killed process, lost connection)."""
    return restore.archive_work_schemas_sweep()


@app.task(base=TenantTask, name="provisioning.rollout_run")
def rollout_run(*, schema_name: str, job_id: int) -> dict[str, Any]:
    job = services.rollout_run(job=RolloutJob.objects.get(pk=job_id))
    return {"job": job.pk, "status": job.status, "summary": job.summary}


@app.task(base=TenantTask, name="provisioning.rollout_item_retry")
def rollout_item_retry(*, schema_name: str, item_id: int) -> str:
    item = services.rollout_item_retry(item=RolloutItem.objects.get(pk=item_id))
    return str(item.status)
