from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "apps.reference"
    label = "reference"
    verbose_name = "Data referensi"

    def ready(self) -> None:
        from apps.files.owners import owner_register
        from apps.reference.usulan.files import USULAN_OWNER

        owner_register(USULAN_OWNER)
