"""Celery entry points of provisioning (platform-wide: schema_name is "public")."""

import contextlib

from provisioning import services
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
