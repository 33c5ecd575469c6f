from provisioning import services
from provisioning.management.region_lookup import RegionLifecycleCommand


class Command(RegionLifecycleCommand):
    help = (
        "Resume a suspended region. "
        "The action is recorded (lifecycle record and the region's audit chain)."
    )

    service = staticmethod(services.region_resume)
