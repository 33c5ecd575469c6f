from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The region's transparency portal: frozen publications of its enacted documents, read by
    anonymous visitors on the region's host (pages, downloads, a versioned public API)."""

    name = "apps.portal"
    label = "portal"
    verbose_name = "Portal transparansi"

    def ready(self) -> None:
        from apps.portal import providers

        providers.builtin_providers_register()
