from django.db.models import QuerySet

from apps.audit.models import AuditEntry


def audit_entry_list(*, action: str | None = None) -> QuerySet[AuditEntry]:
    """Newest first; optionally one action."""
    entries = AuditEntry.objects.order_by("-seq")
    if action:
        entries = entries.filter(action=action)
    return entries
