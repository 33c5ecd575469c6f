from django.apps import AppConfig


class PlanningConfig(AppConfig):
    """E-planning: calendar, RKPD/Renja entries, Musrenbang proposals, snapshots and diffs."""

    name = "apps.planning"
    label = "planning"
    verbose_name = "Perencanaan"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from apps.files import owners
        from apps.planning.files import MUSRENBANG_OWNER
        from apps.reference.referencing import referencing_field_register

        owners.owner_register(MUSRENBANG_OWNER)
        # A planned sub kegiatan whose code a later nomenclature retires is listed, with its
        # successor, in the region's report of what points to retired items.
        referencing_field_register(
            model="planning.PlanEntry", field="sub_kegiatan", label=_("Sub kegiatan RKPD/Renja")
        )
