"""Public-schema record of each provisioning run: who asked, which steps ran, how it ended."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Region, TemplateVersion, Tenant


class ProvisioningJob(models.Model):
    """One call of tenant_provision. Survives a failed run (the region itself leaves no trace)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")

    class Step(models.TextChoices):
        REGISTER = "register", _("Mendaftarkan daerah")
        CLONE = "clone", _("Menyalin skema templat")
        WILAYAH = "wilayah", _("Menambahkan kecamatan dan desa")
        DOMAIN = "domain", _("Membuat domain")
        INVITE = "invite", _("Mengundang admin pertama")
        ACTIVATE = "activate", _("Mengaktifkan daerah")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provisioning_jobs")
    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="provisioning_jobs"
    )
    template_version = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provisioning_jobs",
    )
    admin_email = models.EmailField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    step = models.CharField(max_length=16, choices=Step.choices, blank=True, default="")
    progress = models.PositiveSmallIntegerField(default=0)
    # [{"name": "clone", "status": "done", "ms": 61.2}, ...] in execution order.
    steps = models.JSONField(default=list, blank=True)
    # The first admin's invitation: the user created in the region's schema (inactive).
    invitation = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    error_field = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending or running job per region: a second request is a clean 409.
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(status__in=["pending", "running"]),
                name="provisioning_one_active_job_per_region",
            )
        ]

    def __str__(self) -> str:
        return f"job {self.pk} {self.region_id} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    def step_entry(self, name: str) -> dict[str, Any] | None:
        return next((s for s in self.steps if s.get("name") == name), None)
