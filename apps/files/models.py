"""A region's stored files: the metadata row; the bytes live in RegionFileStorage under `path`."""

import uuid

from django.conf import settings
from django.db import models


class StoredFile(models.Model):
    """One uploaded file. `path` is relative to the region's prefix, so a restored region (even
    under another schema name) finds its files; the random id makes ids unguessable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_app = models.CharField(max_length=50, db_index=True)
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=500, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # No database constraint, no cascade: the user model lives in public too, where this table
    # does not exist, so deleting a platform user must not reach for it. The label outlives them.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    uploaded_by_label = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
