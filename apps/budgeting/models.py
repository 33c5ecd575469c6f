"""E-budgeting of a region: per fiscal year the KUA-PPAS ceilings, then budget versions (the
APBD murni, each pergeseran and the APBD-Perubahan) holding revenue targets, financing and the
RKA-SKPD lines.

Amounts are exact rupiah with sen (DecimalField, 2 decimals), computed by the services, never
typed. Once a version is enacted, PostgreSQL itself refuses any change to its rows (triggers in
migration 0002), whoever sends the SQL.
"""

from typing import Any

from django.conf import settings
from django.db import models

from apps.planning.models import PlanEntry
from apps.reference.models import PerangkatDaerah, Rekening, StandarHarga, SumberDana


def amount_field() -> "models.DecimalField[Any, Any]":
    """Exact rupiah with sen."""
    return models.DecimalField(max_digits=20, decimal_places=2)


class TahunAnggaran(models.Model):
    """A fiscal year of the region."""

    tahun = models.PositiveSmallIntegerField(unique=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tahun"]

    def __str__(self) -> str:
        return str(self.tahun)


class PaguOpd(models.Model):
    """The KUA-PPAS ceiling of one OPD for one year."""

    tahun = models.ForeignKey(TahunAnggaran, on_delete=models.PROTECT, related_name="pagu_opd")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    pagu = amount_field()

    class Meta:
        ordering = ["opd__kode"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "opd"], name="budgeting_pagu_opd_once"),
            models.CheckConstraint(condition=models.Q(pagu__gte=0), name="budgeting_pagu_opd_gte0"),
        ]

    def __str__(self) -> str:
        return f"{self.tahun_id} {self.opd_id} {self.pagu}"


class PaguSubKegiatan(models.Model):
    """The KUA-PPAS ceiling of one RKPD sub kegiatan (taken from its pagu indikatif)."""

    tahun = models.ForeignKey(TahunAnggaran, on_delete=models.PROTECT, related_name="pagu_sub")
    plan_entry = models.OneToOneField(PlanEntry, on_delete=models.PROTECT, related_name="+")
    pagu = amount_field()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pagu__gte=0), name="budgeting_pagu_sub_gte0"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_entry_id} {self.pagu}"


class Versi(models.Model):
    """One budget version of a year: the APBD murni, a pergeseran or the APBD-Perubahan."""

    class Jenis(models.TextChoices):
        MURNI = "murni", "APBD murni"
        PERGESERAN = "pergeseran", "Pergeseran anggaran"
        PERUBAHAN = "perubahan", "APBD-Perubahan"

    class Status(models.TextChoices):
        DRAFT = "draf", "Draf"
        ENACTED = "ditetapkan", "Ditetapkan"

    tahun = models.ForeignKey(TahunAnggaran, on_delete=models.PROTECT, related_name="versi")
    jenis = models.CharField(max_length=16, choices=Jenis.choices)
    nomor = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The enacted version this revision starts from (semula); None for the APBD murni.
    induk = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisi"
    )
    dasar_hukum = models.CharField(max_length=300, blank=True, default="")
    digest = models.CharField(max_length=64, blank=True, default="")
    ditetapkan_pada = models.DateTimeField(null=True, blank=True)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tahun_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tahun", "jenis", "nomor"], name="budgeting_versi_once"
            ),
            models.UniqueConstraint(
                fields=["tahun"],
                condition=models.Q(status="draf"),
                name="budgeting_versi_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.tahun_id}"

    @property
    def label(self) -> str:
        if self.jenis == self.Jenis.PERGESERAN:
            return f"{self.get_jenis_display()} ke-{self.nomor}"
        return str(self.get_jenis_display())

    @property
    def enacted(self) -> bool:
        return self.status == self.Status.ENACTED


class Pendapatan(models.Model):
    """A revenue target of an OPD on a 4.x account in one version."""

    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="pendapatan")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    rekening = models.ForeignKey(Rekening, on_delete=models.PROTECT, related_name="+")
    uraian = models.CharField(max_length=300, blank=True, default="")
    jumlah = amount_field()
    asal = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["versi_id", "rekening__kode", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jumlah__gte=0), name="budgeting_pendapatan_gte0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rekening_id} {self.jumlah}"


class Pembiayaan(models.Model):
    """A financing receipt (6.1) or expenditure (6.2) in one version."""

    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="pembiayaan")
    rekening = models.ForeignKey(Rekening, on_delete=models.PROTECT, related_name="+")
    uraian = models.CharField(max_length=300, blank=True, default="")
    jumlah = amount_field()
    asal = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["versi_id", "rekening__kode", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jumlah__gte=0), name="budgeting_pembiayaan_gte0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rekening_id} {self.jumlah}"


class Rka(models.Model):
    """The RKA of one OPD for one sub kegiatan of the enacted RKPD, in one version; TAPD verifies
    it as a whole (accept, or return with notes on its lines)."""

    class Status(models.TextChoices):
        DRAFT = "draf", "Draf"
        SUBMITTED = "diajukan", "Diajukan"
        ACCEPTED = "diterima", "Diterima"
        RETURNED = "dikembalikan", "Dikembalikan"

    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="rka")
    plan_entry = models.ForeignKey(PlanEntry, on_delete=models.PROTECT, related_name="rka")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    catatan = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["versi_id", "opd__kode", "plan_entry__sub_kegiatan__kode", "id"]
        constraints = [
            models.UniqueConstraint(fields=["versi", "plan_entry"], name="budgeting_rka_once"),
        ]
        indexes = [models.Index(fields=["versi", "opd"], name="budgeting_rka_versi_opd")]

    def __str__(self) -> str:
        return f"RKA {self.plan_entry_id} ({self.status})"

    @property
    def opd_code(self) -> str:
        """The OPD's code, which apps.access scopes OPD-bound roles by."""
        return str(self.opd.kode)


class Rincian(models.Model):
    """A budget line (rincian belanja). The standard price's code, name, specification, unit and
    price are copied when the line is priced: later price lists never change it."""

    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="rincian")
    rka = models.ForeignKey(Rka, on_delete=models.PROTECT, related_name="rincian")
    rekening = models.ForeignKey(Rekening, on_delete=models.PROTECT, related_name="+")
    standar_harga = models.ForeignKey(
        StandarHarga, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    jenis_harga = models.CharField(max_length=4)
    kode_harga = models.CharField(max_length=40)
    uraian = models.TextField()
    spesifikasi = models.TextField(blank=True, default="")
    satuan = models.CharField(max_length=40)
    harga = amount_field()
    volume_1 = models.DecimalField(max_digits=14, decimal_places=2)
    satuan_1 = models.CharField(max_length=40)
    volume_2 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    satuan_2 = models.CharField(max_length=40, blank=True, default="")
    volume_3 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    satuan_3 = models.CharField(max_length=40, blank=True, default="")
    volume_4 = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    satuan_4 = models.CharField(max_length=40, blank=True, default="")
    volume = models.DecimalField(max_digits=24, decimal_places=8)
    ppn = models.BooleanField(default=False)
    jumlah = amount_field()
    sumber_dana = models.ForeignKey(SumberDana, on_delete=models.PROTECT, related_name="+")
    lokasi = models.CharField(max_length=200, blank=True, default="")
    # TAPD's note when the RKA is returned.
    catatan = models.TextField(blank=True, default="")
    # The enacted line this one continues in a revision (semula); None for a new line.
    asal = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rka_id", "rekening__kode", "id"]
        indexes = [
            models.Index(fields=["versi", "rka"], name="budgeting_rincian_versi_rka"),
            models.Index(fields=["kode_harga"], name="budgeting_rincian_kode_harga"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(volume_1__gt=0, jumlah__gte=0, harga__gte=0),
                name="budgeting_rincian_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode_harga} {self.jumlah}"

    @property
    def opd_code(self) -> str:
        """The OPD's code, which apps.access scopes OPD-bound roles by."""
        return str(self.rka.opd.kode)


class Dpa(models.Model):
    """The DPA-SKPD BPKAD issues to one OPD from an enacted version."""

    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="dpa")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    nomor = models.CharField(max_length=80)
    jumlah = amount_field()
    diterbitkan_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["versi_id", "opd__kode"]
        constraints = [
            models.UniqueConstraint(fields=["versi", "opd"], name="budgeting_dpa_once"),
        ]

    def __str__(self) -> str:
        return self.nomor
