"""A region's own kecamatan and desa/kelurahan, copied from the public registry at provisioning.

These live in every region's schema (empty in the master template): application data (Musrenbang
proposals, permit locations) points at them without crossing into the public schema.
"""

from django.db import models


class Kecamatan(models.Model):
    kode = models.CharField(max_length=8, primary_key=True)
    nama = models.CharField(max_length=255)

    class Meta:
        ordering = ["kode"]
        verbose_name_plural = "kecamatan"

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class Desa(models.Model):
    """A desa or kelurahan; Kemendagri codes starting with 1 are kelurahan, 2 desa."""

    class Jenis(models.TextChoices):
        DESA = "desa", "Desa"
        KELURAHAN = "kelurahan", "Kelurahan"

    kode = models.CharField(max_length=13, primary_key=True)
    nama = models.CharField(max_length=255)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    jenis = models.CharField(max_length=16, choices=Jenis.choices)

    class Meta:
        ordering = ["kode"]
        verbose_name_plural = "desa"

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"
