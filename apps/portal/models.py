"""A region's publications: a year's document frozen once, when its admin daerah publishes it.

The portal, its downloads, its public API and the platform's collection read only these rows:
a draft (a plan not yet enacted, a budget not yet enacted) never reaches them. A row is never
updated; publishing again adds the next version.
"""

from django.db import models


class Publikasi(models.Model):
    class Jenis(models.TextChoices):
        APBD = "apbd", "APBD"
        RKPD = "rkpd", "RKPD"
        MUSRENBANG = "musrenbang", "Musrenbang"
        PERIZINAN = "perizinan", "Layanan perizinan"

    jenis = models.CharField(max_length=16, choices=Jenis.choices)
    tahun = models.PositiveSmallIntegerField()
    versi = models.PositiveSmallIntegerField()
    # Canonical JSON (sorted keys, no spaces, UTF-8): the bytes the public API serves and hashes.
    isi = models.TextField()
    sha256 = models.CharField(max_length=64)
    diterbitkan_pada = models.DateTimeField()
    diterbitkan_oleh = models.CharField(max_length=255)

    class Meta:
        ordering = ["jenis", "-tahun", "-versi"]
        verbose_name_plural = "publikasi"
        constraints = [
            models.UniqueConstraint(
                fields=["jenis", "tahun", "versi"], name="portal_publikasi_versi_uniq"
            )
        ]
        indexes = [models.Index(fields=["jenis", "tahun", "-versi"], name="portal_pub_latest")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tahun} v{self.versi}"
