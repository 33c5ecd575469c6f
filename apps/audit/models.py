"""A tamper-evident audit log: each entry carries the previous entry's hash, its own hash and an
HMAC of that hash under a key kept outside the database (settings.AUDIT_HMAC_KEY).

The chain's fields live on abstract bases so the region's log (here, in every region schema) and
the platform's log (apps.audit.platform, in public) are one mechanism (apps.audit.chain).
"""

from django.db import models


class ChainEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.CharField(max_length=64, blank=True, default="")
    actor_label = models.CharField(max_length=255, blank=True, default="")
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, default="")
    target_id = models.CharField(max_length=64, blank=True, default="")
    target_label = models.CharField(max_length=255, blank=True, default="")
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # HMAC-SHA256 of `hash` under AUDIT_HMAC_KEY: a forged entry with a correct hash lacks it.
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class ChainHead(models.Model):
    """One row per chain: the latest seq and hash. Appenders lock it, which serialises them."""

    singleton = models.BooleanField(primary_key=True, default=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditEntry(ChainEntry):
    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"


class AuditChainHead(ChainHead):
    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="audit_head_single")
        ]
