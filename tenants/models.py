"""Public-schema models: the region registry, tenants, their domains and template versions."""

from typing import TYPE_CHECKING, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

KODE_VALIDATOR = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    _("Kode wilayah harus berbentuk NN, NN.NN, NN.NN.NN atau NN.NN.NN.NNNN."),
)
SCHEMA_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,62}$",
    _("Nama skema hanya boleh huruf kecil, angka dan garis bawah, diawali huruf."),
)
SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$",
    _("Slug hanya boleh huruf kecil, angka dan tanda hubung (label DNS)."),
)


class Region(models.Model):
    """One row of the Kemendagri region list (provinsi down to desa/kelurahan)."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN_KOTA = "kabupaten_kota", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA_KELURAHAN = "desa_kelurahan", _("Desa/Kelurahan")

    kode = models.CharField(max_length=13, primary_key=True, validators=[KODE_VALIDATOR])
    nama = models.CharField(max_length=255)
    tingkat = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    induk = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="anak",
        db_column="kode_induk",
    )
    # Subdomain label for provinsi and kabupaten/kota; empty below them.
    slug = models.CharField(max_length=63, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    @property
    def is_kota(self) -> bool:
        """A kabupaten/kota code whose two digits after the dot are 70 or more is a kota."""
        return self.tingkat == self.Level.KABUPATEN_KOTA and int(self.kode[3:5]) >= 70

    @property
    def provinsi_kode(self) -> str:
        return self.kode[:2]


class TemplateVersion(models.Model):
    """A published state of the master template: code migrations plus a reference-data release."""

    label = models.CharField(max_length=32, unique=True)
    notes = models.TextField(blank=True, default="")
    reference_checksum = models.CharField(max_length=64, blank=True, default="")
    migration_state = models.JSONField(default=dict, blank=True)
    # sha256 over migration_state and reference_checksum: one row per distinct template state.
    digest = models.CharField(max_length=64, blank=True, default="", db_index=True)
    # The reference-data release the template held (apps.reference), when it names one.
    reference_release = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label


class Tenant(TenantMixin):
    """A region's schema. The master template is a Tenant of kind TEMPLATE that never routes."""

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        TEMPLATE = "template", _("Templat induk")

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Sedang disiapkan")
        ACTIVE = "active", _("Aktif")
        SUSPENDED = "suspended", _("Ditangguhkan")
        ARCHIVED = "archived", _("Diarsipkan")
        FAILED = "failed", _("Gagal")

    schema_name = models.CharField(max_length=63, unique=True, validators=[SCHEMA_VALIDATOR])
    region = models.OneToOneField(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="tenant"
    )
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    province = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="tenants_in_province"
    )
    slug = models.CharField(max_length=63, unique=True, validators=[SLUG_VALIDATOR])
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROVISIONING, db_index=True
    )
    template_version = models.ForeignKey(
        TemplateVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="regions_on_version",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are created by provisioning (cloned from the template), never implicitly on save.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["schema_name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"

    @staticmethod
    def schema_name_for(kode: str) -> str:
        """Schema names derive from the kode wilayah: 72.05 -> daerah_72_05."""
        return "daerah_" + kode.replace(".", "_")

    @property
    def kode_wilayah(self) -> str | None:
        return self.region_id

    @property
    def primary_host(self) -> str:
        """The Host of the primary domain ("" for the template, which never routes)."""
        domain = self.get_primary_domain()
        return domain.domain if domain is not None else ""


class Domain(DomainMixin):
    """A Host that routes to a tenant; the primary one is <slug>.<BASE_DOMAIN>."""

    objects: ClassVar[models.Manager["Domain"]]

    if TYPE_CHECKING:  # the mixin's ForeignKey to settings.TENANT_MODEL, narrowed for mypy
        tenant: Tenant
        tenant_id: int


class CustomDomain(models.Model):
    """A region's own domain (e.g. perencanaan.bulungan.go.id), requested in the console.

    It routes only once verified: a TXT record proves the region controls the name and the
    name's addresses are the platform's. Verification creates the routing Domain row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu verifikasi")
        VERIFIED = "verified", _("Terverifikasi")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="custom_domains")
    domain = models.CharField(max_length=253, unique=True)
    token = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # What the last check found wrong (empty once verified).
    problems = models.JSONField(default=list, blank=True)
    requested_by = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def challenge_name(self) -> str:
        """The DNS name whose TXT record must hold `challenge_value`."""
        return f"_berbagi.{self.domain}"

    @property
    def challenge_value(self) -> str:
        return f"berbagi-verifikasi={self.token}"
