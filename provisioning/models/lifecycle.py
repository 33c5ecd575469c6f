"""Public-schema records of the support console: snapshots, lifecycle, exports and rollouts.

Tenant rows belong to `tenants`; what operations needs to remember about a region lives here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import TemplateVersion, Tenant


class RegionSnapshot(models.Model):
    """One periodic reading of a region's health, collected by the beat task into public."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16)
    template_version_label = models.CharField(max_length=32, blank=True, default="")
    schema_present = models.BooleanField(default=True)
    migrations_current = models.BooleanField(default=False)
    pending_migrations = models.PositiveIntegerField(default=0)
    users = models.PositiveIntegerField(default=0)
    last_activity = models.DateTimeField(null=True, blank=True)
    requests_24h = models.PositiveBigIntegerField(default=0)
    errors_24h = models.PositiveBigIntegerField(default=0)
    storage_bytes = models.PositiveBigIntegerField(default=0)
    audit_ok = models.BooleanField(null=True)
    audit_head_seq = models.PositiveBigIntegerField(default=0)
    audit_reason = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["tenant", "-taken_at"], name="ops_snapshot_latest")]

    def __str__(self) -> str:
        return f"{self.tenant_id} @ {self.taken_at:%Y-%m-%d %H:%M}"


class RegionLifecycle(models.Model):
    """Lifecycle state per region that the Tenant row does not carry (archive and retention)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="lifecycle")
    suspended_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    delete_after = models.DateTimeField(null=True, blank=True)
    status_before_archive = models.CharField(max_length=16, blank=True, default="")

    def __str__(self) -> str:
        return f"lifecycle {self.tenant_id}"


class LifecycleRecord(models.Model):
    """Every lifecycle action, kept after the region itself is deleted."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("Tangguhkan")
        RESUME = "resume", _("Aktifkan kembali")
        ARCHIVE = "archive", _("Arsipkan")
        EXPORT = "export", _("Ekspor")
        DOWNLOAD = "download", _("Unduh arsip")
        RESTORE = "restore", _("Pulihkan")
        DELETE = "delete", _("Hapus")
        UPGRADE = "upgrade", _("Tingkatkan versi")

    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="lifecycle_records"
    )
    schema_name = models.CharField(max_length=63, db_index=True)
    region_name = models.CharField(max_length=255)
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=255, blank=True, default="")
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.schema_name}"


class RegionExport(models.Model):
    """One archive file (dump + files + manifest) of one region's schema."""

    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="exports"
    )
    schema_name = models.CharField(max_length=63)
    path = models.CharField(max_length=1024)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.path


class RolloutJob(models.Model):
    """Upgrading a set of regions to a template version; progress lives in its items."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        DONE_WITH_ERRORS = "done_with_errors", _("Selesai dengan galat")

    class Scope(models.TextChoices):
        ALL = "all", _("Semua daerah")
        PROVINCE = "province", _("Satu provinsi")
        CHOSEN = "chosen", _("Daerah terpilih")

    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="rollouts"
    )
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ALL)
    province_code = models.CharField(max_length=2, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"rollout #{self.pk} {self.template_version_id}"


class RolloutItem(models.Model):
    """One region's progress in a rollout."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SKIPPED = "skipped", _("Sudah mutakhir")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    class Path(models.TextChoices):
        NONE = "", "-"
        SQL = "sql", "SQL"
        PYTHON = "python", _("Python (per skema)")

    job = models.ForeignKey(RolloutJob, on_delete=models.CASCADE, related_name="items")
    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="rollout_items"
    )
    schema_name = models.CharField(max_length=63)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    path = models.CharField(max_length=8, choices=Path.choices, blank=True, default="")
    migrations = models.JSONField(default=list, blank=True)
    reference = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["schema_name"]
        constraints = [
            models.UniqueConstraint(fields=["job", "schema_name"], name="ops_rollout_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.schema_name}: {self.status}"
