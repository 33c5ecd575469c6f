from django.apps import AppConfig


class WilayahConfig(AppConfig):
    name = "apps.wilayah"
    label = "wilayah"
    verbose_name = "Wilayah daerah"
