from rest_framework import generics, serializers

from apps.audit import selectors
from apps.audit.models import AuditEntry
from apps.audit.permissions import CanReadAuditLog


class AuditEntryOutputSerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            "actor_label",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "prev_hash",
            "hash",
        ]


class AuditEntryListApi(generics.ListAPIView[AuditEntry]):
    """The region's audit log, newest first (`?action=` filters); admin daerah, Inspektorat and
    support sessions read it."""

    serializer_class = AuditEntryOutputSerializer
    permission_classes = [CanReadAuditLog]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.audit_entry_list(action=self.request.query_params.get("action"))
