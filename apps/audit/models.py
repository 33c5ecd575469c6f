"""A region's tamper-evident audit log: each entry carries the previous entry's hash and its own."""

from django.db import models


class AuditEntry(models.Model):
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

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """One row per schema: the latest seq and hash. Appenders lock it, which serialises them."""

    singleton = models.BooleanField(primary_key=True, default=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=True), name="audit_head_single")
        ]

    def __str__(self) -> str:
        return f"head #{self.seq}"
