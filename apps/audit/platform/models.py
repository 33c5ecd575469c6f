"""Public-schema audit records: the platform's own chain, and the regions' published heads."""

from django.db import models

from apps.audit.models import ChainEntry, ChainHead
from tenants.models import Tenant


class PlatformAuditEntry(ChainEntry):
    """One console action (provisioning, lifecycle, template versions and rollouts, staff
    invitations, support grants), chained exactly like a region's entries."""

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "platform audit entries"


class PlatformAuditHead(ChainHead):
    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="platform_audit_head_single"
            )
        ]


class PublishedHead(models.Model):
    """A region's chain head as seen from outside the region: one row per distinct head
    observed (its history), with when it was last seen and last verified in full.

    A later head must still contain every earlier one: a head that goes backwards, or a hash
    that changes at the same seq, is reported. A restore starts the chain again (`superseded`
    marks the heads before it, which stay as history)."""

    tenant = models.ForeignKey(
        Tenant, null=True, on_delete=models.SET_NULL, related_name="published_heads"
    )
    schema_name = models.CharField(max_length=63)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    reason = models.CharField(max_length=255, blank=True, default="")
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["tenant", "-id"], name="platform_audit_head_latest")]

    def __str__(self) -> str:
        return f"{self.schema_name} #{self.seq}"
