from provisioning import services
from provisioning.management.region_lookup import RegionLifecycleCommand


class Command(RegionLifecycleCommand):
    help = (
        "Archive an active or suspended region; it may be deleted after OPERATIONS_RETENTION_DAYS. "
        "The action is recorded (lifecycle record and the region's audit chain)."
    )

    service = staticmethod(services.region_archive)
