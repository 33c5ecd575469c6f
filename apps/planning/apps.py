from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """E-planning: calendar, RKPD/Renja entries, Musrenbang proposals, snapshots and diffs."""

    name = "apps.planning"
    label = "planning"
    verbose_name = "Perencanaan"

    def ready(self) -> None:
        from apps.files import owners
        from apps.planning.files import MUSRENBANG_OWNER

        owners.owner_register(MUSRENBANG_OWNER)
