"""Perizinan terpadu: a region's service standards, its days off, applications with their steps,
pauses and documents, issued permits and satisfaction surveys (all in the region's schema)."""

from decimal import Decimal

from django.conf import settings
from django.db import models


class Retribusi(models.TextChoices):
    NONE = "none", "Tidak dipungut"
    FIXED = "fixed", "Tarif tetap"
    FORMULA = "formula", "Rumus atas besaran"


class Step(models.TextChoices):
    """The steps of an application, in their order (SKRD and payment only where a fee applies)."""

    BERKAS = "berkas", "Pemeriksaan berkas"
    TEKNIS = "teknis", "Kajian teknis / survei lapangan"
    REKOMENDASI = "rekomendasi", "Rekomendasi"
    KEPUTUSAN = "keputusan", "Keputusan"
    SKRD = "skrd", "Penetapan SKRD"
    PEMBAYARAN = "pembayaran", "Pembayaran retribusi"
    PENERBITAN = "penerbitan", "Penerbitan izin"
    PENYERAHAN = "penyerahan", "Penyerahan izin"


STEP_ORDER = [s.value for s in Step]
FEE_STEPS = frozenset({Step.SKRD.value, Step.PEMBAYARAN.value})


class StandarLayanan(models.Model):
    """The region's own, editable service standard of a reference permit type; every change
    bumps `versi` and keeps the previous state in StandarLayananRiwayat."""

    jenis_izin = models.OneToOneField(
        "reference.JenisIzin", on_delete=models.PROTECT, related_name="standar_layanan"
    )
    kode = models.CharField(max_length=40, unique=True)
    nama = models.TextField()
    sektor = models.CharField(max_length=100, blank=True, default="")
    aktif = models.BooleanField(default=True)
    # [{"nama": str, "wajib": bool, "jenis": ["pdf", ...], "maks_kb": int}]
    persyaratan = models.JSONField(default=list)
    # {"berkas": 1, "teknis": 5, ...}: working days per step
    langkah = models.JSONField(default=dict)
    retribusi_jenis = models.CharField(
        max_length=10, choices=Retribusi.choices, default=Retribusi.NONE
    )
    retribusi_tetap = models.DecimalField(max_digits=16, decimal_places=0, default=Decimal(0))
    retribusi_tarif = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    # [{"kode": "luas_m2", "label": "Luas lantai (m²)"}]: the declared quantities multiplied
    retribusi_besaran = models.JSONField(default=list, blank=True)
    opd_teknis = models.CharField(max_length=64, blank=True, default="")
    masa_berlaku_bulan = models.PositiveSmallIntegerField(null=True, blank=True)
    versi = models.PositiveIntegerField(default=1)
    diubah_pada = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"

    @property
    def berbayar(self) -> bool:
        return self.retribusi_jenis != Retribusi.NONE

    def steps(self) -> list[str]:
        return [s for s in STEP_ORDER if self.berbayar or s not in FEE_STEPS]

    @property
    def total_hari_kerja(self) -> int:
        return sum(int(self.langkah.get(s, 0)) for s in self.steps())


class StandarLayananRiwayat(models.Model):
    standar = models.ForeignKey(StandarLayanan, on_delete=models.CASCADE, related_name="riwayat")
    versi = models.PositiveIntegerField()
    isi = models.JSONField()
    diubah_oleh = models.CharField(max_length=255)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["standar_id", "-versi"]
        constraints = [
            models.UniqueConstraint(fields=["standar", "versi"], name="licensing_riwayat_versi")
        ]

    def __str__(self) -> str:
        return f"{self.standar_id} v{self.versi}"


class HariLibur(models.Model):
    """A region's own day off (cuti bersama, a local holiday); national ones come from
    the `holidays` package."""

    class Jenis(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"
        LOKAL = "lokal", "Libur daerah"

    tanggal = models.DateField(unique=True)
    nama = models.CharField(max_length=200)
    jenis = models.CharField(max_length=20, choices=Jenis.choices, default=Jenis.LOKAL)

    class Meta:
        ordering = ["tanggal"]

    def __str__(self) -> str:
        return f"{self.tanggal} {self.nama}"


class Permohonan(models.Model):
    class Status(models.TextChoices):
        DIPROSES = "diproses", "Diproses"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan ke pemohon"
        DITOLAK = "ditolak", "Ditolak"
        SELESAI = "selesai", "Selesai"

    class Kanal(models.TextChoices):
        DARING = "daring", "Daring"
        LOKET = "loket", "Loket"

    nomor = models.CharField(max_length=32, unique=True)
    standar = models.ForeignKey(StandarLayanan, on_delete=models.PROTECT, related_name="+")
    standar_versi = models.PositiveIntegerField()
    # The standard's steps, days and fee rule as they stood when the application was made.
    ketentuan = models.JSONField(default=dict)
    # No database constraint, no cascade (as apps.files' uploader): the user model lives in
    # public too, where this table does not exist; the name is kept in nama_pemohon.
    pemohon = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    nama_pemohon = models.CharField(max_length=200)
    email_pemohon = models.EmailField(blank=True, default="")
    telepon = models.CharField(max_length=30, blank=True, default="")
    alamat = models.TextField(blank=True, default="")
    lokasi = models.TextField(blank=True, default="")
    besaran = models.JSONField(default=dict, blank=True)
    kanal = models.CharField(max_length=10, choices=Kanal.choices, default=Kanal.DARING)
    dibuat_oleh = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DIPROSES)
    langkah_sekarang = models.CharField(max_length=20, choices=Step.choices, blank=True)
    diajukan_pada = models.DateTimeField()
    selesai_pada = models.DateTimeField(null=True, blank=True)
    retribusi = models.DecimalField(max_digits=16, decimal_places=0, null=True, blank=True)
    skrd_nomor = models.CharField(max_length=40, blank=True, default="")
    bayar_referensi = models.CharField(max_length=100, blank=True, default="")
    dibayar_pada = models.DateTimeField(null=True, blank=True)
    hari_kerja = models.PositiveIntegerField(null=True, blank=True)
    tepat_waktu = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-diajukan_pada", "-id"]
        indexes = [
            models.Index(fields=["status", "langkah_sekarang"], name="licensing_perm_status_idx")
        ]

    def __str__(self) -> str:
        return self.nomor


class Dokumen(models.Model):
    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="dokumen")
    persyaratan = models.CharField(max_length=300)
    berkas = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    diunggah_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["permohonan_id", "id"]

    def __str__(self) -> str:
        return self.persyaratan


class Langkah(models.Model):
    """One step of an application: started, due by `tenggat` (working days, pauses added),
    done by whom, when, with which outcome."""

    class Hasil(models.TextChoices):
        SETUJU = "setuju", "Disetujui / lengkap"
        TOLAK = "tolak", "Ditolak"
        KEMBALIKAN = "kembalikan", "Dikembalikan ke pemohon"

    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="langkah")
    kode = models.CharField(max_length=20, choices=Step.choices)
    urutan = models.PositiveSmallIntegerField()
    hari_kerja = models.PositiveSmallIntegerField()
    mulai = models.DateField()
    tenggat = models.DateField()
    selesai_pada = models.DateTimeField(null=True, blank=True)
    hasil = models.CharField(max_length=12, choices=Hasil.choices, blank=True, default="")
    catatan = models.TextField(blank=True, default="")
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    oleh_label = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["permohonan_id", "urutan", "id"]
        indexes = [
            # The dashboard's late list: open steps by deadline, whatever the table's size.
            models.Index(
                fields=["tenggat"],
                name="licensing_langkah_open_idx",
                condition=models.Q(selesai_pada__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.permohonan_id} {self.kode}"


class Jeda(models.Model):
    """The clock paused while the application is back with the applicant."""

    permohonan = models.ForeignKey(Permohonan, on_delete=models.CASCADE, related_name="jeda")
    mulai = models.DateField()
    selesai = models.DateField(null=True, blank=True)
    alasan = models.TextField()

    class Meta:
        ordering = ["permohonan_id", "mulai", "id"]

    def __str__(self) -> str:
        return f"{self.permohonan_id} {self.mulai}"


class Izin(models.Model):
    class Status(models.TextChoices):
        BERLAKU = "berlaku", "Berlaku"
        DICABUT = "dicabut", "Dicabut"

    permohonan = models.OneToOneField(Permohonan, on_delete=models.PROTECT, related_name="izin")
    nomor = models.CharField(max_length=60, unique=True)
    token = models.CharField(max_length=32, unique=True)
    diterbitkan_pada = models.DateTimeField()
    berlaku_sampai = models.DateField(null=True, blank=True)
    penandatangan = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BERLAKU)
    alasan_cabut = models.TextField(blank=True, default="")
    berkas = models.ForeignKey(
        "files.StoredFile", null=True, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-diterbitkan_pada"]

    def __str__(self) -> str:
        return self.nomor


class SurveiIkm(models.Model):
    """Satisfaction survey after handover: the nine elements of PermenPANRB 14/2017, 1 to 4."""

    permohonan = models.OneToOneField(Permohonan, on_delete=models.CASCADE, related_name="survei")
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    saran = models.TextField(blank=True, default="")
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"IKM {self.permohonan_id}"
