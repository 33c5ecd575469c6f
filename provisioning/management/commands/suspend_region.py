from provisioning import services
from provisioning.management.region_lookup import RegionLifecycleCommand


class Command(RegionLifecycleCommand):
    help = (
        "Suspend an active region: its host answers 503 and nobody can sign in there. "
        "The action is recorded (lifecycle record and the region's audit chain)."
    )

    service = staticmethod(services.region_suspend)
