from rest_framework import generics, serializers

from apps.audit import selectors
from apps.audit.models import AuditEntry
from apps.audit.permissions import CanReadAuditLog
from saas.api import QueryParams, ValidatedQueryMixin


class AuditEntryOutputSerializer(serializers.ModelSerializer[AuditEntry]):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "created_at",
            # with actor_label: both are hashed, so a verifier needs both (portal's steps)
            "actor_id",
            "actor_label",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "changes",
            "prev_hash",
            "hash",
        ]


class AuditEntryQuery(QueryParams):
    action = serializers.CharField(required=False, allow_blank=True, max_length=100)


class AuditEntryListApi(ValidatedQueryMixin, generics.ListAPIView[AuditEntry]):
    """The region's audit log, newest first (`?action=` filters); admin daerah, Inspektorat and
    support sessions read it."""

    serializer_class = AuditEntryOutputSerializer
    permission_classes = [CanReadAuditLog]
    query_serializer = AuditEntryQuery

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.audit_entry_list(action=self.query().get("action") or None)
