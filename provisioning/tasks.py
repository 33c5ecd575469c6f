"""Celery entry points of provisioning (platform-wide: schema_name is "public")."""

import contextlib
from typing import Any

from provisioning import fanout, services
from provisioning.models import ProvisioningJob
from saas.celery import TenantTask, app
from tenants.errors import ApplicationError


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
