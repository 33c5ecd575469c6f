"""Reads of the console: provisioning jobs and schema catalogs (jobs.py), regions, their
history, exports, versions and rollouts (lifecycle.py)."""

from provisioning.selectors.jobs import (
    job_list_visible,
    kabkota_list_for_province,
    province_codes_visible,
    schema_catalog,
    schema_table_digests,
)
from provisioning.selectors.lifecycle import (
    RegionRow,
    export_get,
    export_list,
    lifecycle_record_list,
    region_get,
    region_history,
    region_list,
    region_overview,
    rollout_item_list,
    rollout_job_get,
    rollout_job_list,
    template_version_list,
)

__all__ = [
    "RegionRow",
    "export_get",
    "export_list",
    "job_list_visible",
    "kabkota_list_for_province",
    "lifecycle_record_list",
    "province_codes_visible",
    "region_get",
    "region_history",
    "region_list",
    "region_overview",
    "rollout_item_list",
    "rollout_job_get",
    "rollout_job_list",
    "schema_catalog",
    "schema_table_digests",
    "template_version_list",
]
