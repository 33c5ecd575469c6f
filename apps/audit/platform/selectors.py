from django.db.models import QuerySet

from apps.audit.platform.models import PlatformAuditEntry


def platform_audit_list(*, action: str = "") -> QuerySet[PlatformAuditEntry]:
    """Newest first; optionally one action."""
    entries = PlatformAuditEntry.objects.order_by("-seq")
    return entries.filter(action=action) if action else entries
