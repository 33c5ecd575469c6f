from django.apps import AppConfig


class PortalPlatformConfig(AppConfig):
    """The public schema's side of the transparency portal: each active region's latest frozen
    publications and standard prices in force, copied out by the collection task, read by the
    national landing page, the province pages and the price comparison (never a region schema)."""

    name = "apps.portal.platform"
    label = "portal_platform"
    verbose_name = "Portal transparansi (platform)"

    def ready(self) -> None:
        from apps.budgeting.selectors.summary import lines_using_standard_price
        from apps.portal.platform.selectors import budget_lines_register

        budget_lines_register(lines_using_standard_price)
