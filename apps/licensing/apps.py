from django.apps import AppConfig


class LicensingConfig(AppConfig):
    """Perizinan terpadu (DPMPTSP): service standards, applications on a working-day clock,
    issued permits anyone can verify."""

    name = "apps.licensing"
    label = "licensing"
    verbose_name = "Perizinan terpadu"

    def ready(self) -> None:
        from apps.files import owners
        from apps.licensing.access import DOCUMENT_OWNER, PERMIT_OWNER

        owners.owner_register(DOCUMENT_OWNER)
        owners.owner_register(PERMIT_OWNER)
