"""Writes of the support console: lifecycle of regions, snapshots, template versions, rollouts.

- lifecycle.py: suspend, resume, archive, export, restore and delete a region, and the record
  each action leaves (in public, and in the region's own audit chain);
- monitoring.py: the periodic snapshot of every region's figures;
- versions.py: publishing the master template as a version, and the reference-data diff a
  version brings to a region;
- rollouts.py: upgrading regions to a template version, as a job of one item per region.
"""

from operations.services.lifecycle import (
    lifecycle_record,
    region_archive,
    region_delete,
    region_export,
    region_export_download,
    region_restore,
    region_resume,
    region_suspend,
)
from operations.services.monitoring import SNAPSHOT_KEEP_DAYS, snapshot_collect
from operations.services.rollouts import (
    ROLLOUT_STATUSES,
    rollout_create,
    rollout_item_retry,
    rollout_run,
)
from operations.services.versions import (
    reference_diff_apply,
    reference_diff_needed,
    template_version_publish,
)

__all__ = [
    "ROLLOUT_STATUSES",
    "SNAPSHOT_KEEP_DAYS",
    "lifecycle_record",
    "reference_diff_apply",
    "reference_diff_needed",
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
    "snapshot_collect",
    "template_version_publish",
]
