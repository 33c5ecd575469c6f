"""Identity that only the console needs, in the public schema only (apps.platform is a shared
app and not a region app): what lives here never appears in a region's schema.

Users themselves stay in apps.accounts (one AUTH_USER_MODEL, in public and in every region)."""

from datetime import datetime

from django.conf import settings
from django.db import models


class SupportGrantRecord(models.Model):
    """The console's record of a support grant (public schema), so central support can list the
    grants they opened without reading every region. Written by the service call that writes the
    region's grant, and updated when either side ends it; the region's row still decides access.
    A public-only table: apps.platform is in SHARED_APPS only, so no region carries it."""

    class EndedBy(models.TextChoices):
        NOBODY = "", "-"
        REGION_ADMIN = "region_admin", "Admin daerah"
        SUPPORT = "support", "Dukungan pusat"

    grant_id = models.UUIDField(primary_key=True, editable=False)
    schema_name = models.CharField(max_length=63)
    region_name = models.CharField("daerah", max_length=255)
    support_user_id = models.CharField(max_length=64, db_index=True)
    support_email = models.EmailField()
    reason = models.TextField("alasan")
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=EndedBy.choices, blank=True, default="")
    ended_by_label = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.support_email} ({self.region_name})"

    def status_at(self, moment: datetime) -> str:
        """`active`, `expired`, `ended_by_region_admin` or `ended_by_support`."""
        if self.ended_at is not None:
            if self.ended_by == self.EndedBy.REGION_ADMIN:
                return "ended_by_region_admin"
            return "ended_by_support"
        return "active" if moment < self.expires_at else "expired"


class StaffRole(models.Model):
    """What a console user may do: central support, or provincial admin of one province. Public
    schema only; a region's users have no platform role, and their schema has no such table.
    Read through `User.platform_role` / `User.province_code`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_role",
    )
    platform_role = models.CharField(
        "peran platform",
        max_length=32,
        choices=[
            ("central_support", "Dukungan pusat"),
            ("provincial_admin", "Admin provinsi"),
        ],
    )
    province_code = models.CharField(
        "kode provinsi",
        max_length=2,
        blank=True,
        default="",
        help_text="Two-digit kode wilayah of the province a provincial admin manages.",
    )

    def __str__(self) -> str:
        return f"{self.user_id}: {self.platform_role}"
