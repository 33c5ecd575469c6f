from django.apps import AppConfig


class PlatformAuditConfig(AppConfig):
    """The public schema's side of auditing: the platform's own hash-chained log of console
    actions, and every region's published chain heads (their history)."""

    name = "apps.audit.platform"
    label = "platform_audit"
    verbose_name = "Audit platform"
