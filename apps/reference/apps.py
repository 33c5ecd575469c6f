from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "apps.reference"
    label = "reference"
    verbose_name = "Data referensi"
