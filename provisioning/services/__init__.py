"""Writes of a region's lifecycle, in one place: created from the master template, monitored,
upgraded, suspended, exported, restored and deleted; and the template's versions.

- provision.py: creating a region from the master template (a job of steps, all or nothing);
- lifecycle.py: suspend, resume, archive, export, restore and delete a region, and the record
  each action leaves (in public, and in the region's own audit chain);
- monitoring.py: the periodic snapshot of every region's figures;
- versions.py: publishing the master template as a version, and the reference-data diff a
  version brings to a region;
- rollouts.py: upgrading regions to a template version, as a job of one item per region.
"""

from provisioning.services.lifecycle import (
    lifecycle_record,
    region_archive,
    region_delete,
    region_export,
    region_export_download,
    region_restore,
    region_resume,
    region_suspend,
)
from provisioning.services.monitoring import SNAPSHOT_KEEP_DAYS, snapshot_collect
from provisioning.services.provision import (
    JOB_LOCK_KEY,
    PROVISIONING_LOCK_KEY,
    STEPS,
    provision_can_request,
    provision_region_validate,
    provisioning_job_create,
    provisioning_job_run,
    provisioning_jobs_reap,
    region_admin_invite,
    tenant_provision,
)
from provisioning.services.rollouts import (
    ROLLOUT_STATUSES,
    rollout_create,
    rollout_item_retry,
    rollout_run,
    rollout_start,
)
from provisioning.services.versions import (
    reference_diff_apply,
    reference_diff_needed,
    template_digest,
    template_migration_state,
    template_reference_checksum,
    template_version_ensure,
    template_version_matching,
    template_version_publish,
    template_version_record,
)

__all__ = [
    "JOB_LOCK_KEY",
    "PROVISIONING_LOCK_KEY",
    "ROLLOUT_STATUSES",
    "SNAPSHOT_KEEP_DAYS",
    "STEPS",
    "lifecycle_record",
    "provision_can_request",
    "provision_region_validate",
    "provisioning_job_create",
    "provisioning_job_run",
    "provisioning_jobs_reap",
    "reference_diff_apply",
    "reference_diff_needed",
    "region_admin_invite",
    "region_archive",
    "region_delete",
    "region_export",
    "region_export_download",
    "region_restore",
    "region_resume",
    "region_suspend",
    "rollout_create",
    "rollout_item_retry",
    "rollout_run",
    "rollout_start",
    "snapshot_collect",
    "template_digest",
    "template_migration_state",
    "template_reference_checksum",
    "template_version_ensure",
    "template_version_matching",
    "template_version_publish",
    "template_version_record",
    "tenant_provision",
]
