"""Public-schema records of a region's life: provisioning jobs, snapshots, lifecycle actions,
exports and rollouts."""

from provisioning.models.jobs import ProvisioningJob
from provisioning.models.lifecycle import (
    LifecycleRecord,
    RegionExport,
    RegionLifecycle,
    RegionSnapshot,
    RolloutItem,
    RolloutJob,
)

__all__ = [
    "LifecycleRecord",
    "ProvisioningJob",
    "RegionExport",
    "RegionLifecycle",
    "RegionSnapshot",
    "RolloutItem",
    "RolloutJob",
]
