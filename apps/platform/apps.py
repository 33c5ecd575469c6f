from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """Identity that only the console needs (public schema only, never in a region)."""

    name = "apps.platform"
    label = "platform"
    verbose_name = "Platform"
