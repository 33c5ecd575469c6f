"""What the collection copied out of the regions (public schema). Rewritten per region only
when the region's fingerprint changed; pages read these rows, never a region's schema."""

from django.db import models

from tenants.models import Tenant


class KoleksiDaerah(models.Model):
    """One collected region: its identity, population and the fingerprints of what was copied."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="koleksi")
    schema_name = models.CharField(max_length=63)
    kode_wilayah = models.CharField(max_length=13, blank=True, default="")
    nama = models.CharField(max_length=255)
    provinsi_kode = models.CharField(max_length=2, blank=True, default="", db_index=True)
    host = models.CharField(max_length=255, blank=True, default="")
    penduduk = models.PositiveBigIntegerField(null=True, blank=True)
    sidik_publikasi = models.CharField(max_length=200, blank=True, default="")
    sidik_harga = models.CharField(max_length=200, blank=True, default="")
    dikumpulkan_pada = models.DateTimeField()

    class Meta:
        ordering = ["kode_wilayah", "schema_name"]
        verbose_name_plural = "koleksi daerah"

    def __str__(self) -> str:
        return self.nama


class KoleksiPublikasi(models.Model):
    """A region's latest version of a (kind, year) publication, as frozen in the region."""

    daerah = models.ForeignKey(KoleksiDaerah, on_delete=models.CASCADE, related_name="publikasi")
    jenis = models.CharField(max_length=16)
    tahun = models.PositiveSmallIntegerField()
    versi = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64)
    isi = models.JSONField()
    diterbitkan_pada = models.DateTimeField()

    class Meta:
        ordering = ["daerah_id", "jenis", "-tahun"]
        constraints = [
            models.UniqueConstraint(
                fields=["daerah", "jenis", "tahun"], name="portal_koleksi_publikasi_uniq"
            )
        ]
        indexes = [models.Index(fields=["jenis", "tahun"], name="portal_koleksi_pub_jenis")]

    def __str__(self) -> str:
        return f"{self.daerah_id} {self.jenis} {self.tahun} v{self.versi}"


class KoleksiHarga(models.Model):
    """One standard price in force in a region for a year (its DaftarHarga in force)."""

    daerah = models.ForeignKey(KoleksiDaerah, on_delete=models.CASCADE, related_name="harga")
    tahun = models.PositiveSmallIntegerField()
    jenis = models.CharField(max_length=4)
    kode = models.CharField(max_length=40)
    nama = models.TextField()
    satuan = models.CharField(max_length=40)
    # Normalised name and unit ("semen portland|zak"): how items match where codes differ.
    kunci = models.CharField(max_length=300)
    harga = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["tahun", "kode", "daerah_id"]
        indexes = [
            models.Index(fields=["tahun", "kode"], name="portal_koleksi_harga_kode"),
            models.Index(fields=["tahun", "kunci"], name="portal_koleksi_harga_kunci"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} {self.harga}"
