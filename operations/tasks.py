"""Celery entry points of the support console: each takes schema_name ("public" for platform-wide
work, which crosses schemas through operations.crossschema) and calls one service."""

from typing import Any

from operations import restore, services
from operations.models import RolloutItem, RolloutJob
from saas.celery import TenantTask, app


@app.task(base=TenantTask, name="operations.snapshot_collect")
def snapshot_collect(*, schema_name: str) -> int:
    return services.snapshot_collect()


@app.task(base=TenantTask, name="operations.restore_work_sweep")
def restore_work_sweep(*, schema_name: str) -> list[str]:
    """Drop the work schemas of restores that died (killed process, lost connection)."""
    return restore.archive_work_schemas_sweep()


@app.task(base=TenantTask, name="operations.rollout_run")
def rollout_run(*, schema_name: str, job_id: int) -> dict[str, Any]:
    job = services.rollout_run(job=RolloutJob.objects.get(pk=job_id))
    return {"job": job.pk, "status": job.status, "summary": job.summary}


@app.task(base=TenantTask, name="operations.rollout_item_retry")
def rollout_item_retry(*, schema_name: str, item_id: int) -> str:
    item = services.rollout_item_retry(item=RolloutItem.objects.get(pk=item_id))
    return str(item.status)
