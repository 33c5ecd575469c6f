from django.apps import AppConfig


class FilesConfig(AppConfig):
    """Region files: kept under the region's own prefix, served through permission checks."""

    name = "apps.files"
    label = "files"
    verbose_name = "Berkas daerah"

    def ready(self) -> None:
        from apps.files import owners

        owners.owner_register(owners.GENERAL_OWNER)
