"""E-planning of a kabupaten/kota: the calendar, the RKPD/Renja entries, Musrenbang proposals.

Pagu are whole rupiah (DecimalField with no decimals): planners' pagu indikatif carry no sen, and
a value with any fraction is refused by the services rather than rounded.
"""

from django.conf import settings
from django.db import models

from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.wilayah.models import Desa, Kecamatan


class Period(models.Model):
    """An RPJMD period: five years."""

    nama = models.CharField(max_length=200)
    tahun_awal = models.PositiveSmallIntegerField()
    tahun_akhir = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-tahun_awal"]
        constraints = [
            models.UniqueConstraint(fields=["tahun_awal"], name="planning_period_start_uniq"),
            models.CheckConstraint(
                condition=models.Q(tahun_akhir=models.F("tahun_awal") + 4),
                name="planning_period_five_years",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.tahun_awal}-{self.tahun_akhir})"


class Stage(models.Model):
    """One stage of a plan year (jadwal tahapan) with its dates and state."""

    class Kind(models.TextChoices):
        MUSRENBANG_DESA = "musrenbang_desa", "Musrenbang desa/kelurahan"
        MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", "Musrenbang kecamatan"
        FORUM_OPD = "forum_opd", "Forum OPD"
        MUSRENBANG_KABKOTA = "musrenbang_kabkota", "Musrenbang kabupaten/kota"
        RKPD_AWAL = "rkpd_awal", "RKPD rancangan awal"
        RKPD_RANCANGAN = "rkpd_rancangan", "RKPD rancangan"
        RKPD_AKHIR = "rkpd_akhir", "RKPD rancangan akhir"
        RKPD_PENETAPAN = "rkpd_penetapan", "RKPD penetapan"
        RENJA_RANCANGAN = "renja_rancangan", "Renja rancangan"
        RENJA_FINAL = "renja_final", "Renja final"

    class State(models.TextChoices):
        PLANNED = "dijadwalkan", "Dijadwalkan"
        OPEN = "dibuka", "Dibuka"
        CLOSED = "ditutup", "Ditutup"

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="stages")
    tahun = models.PositiveSmallIntegerField()
    jenis = models.CharField(max_length=32, choices=Kind.choices)
    dibuka_pada = models.DateField()
    ditutup_pada = models.DateField()
    status = models.CharField(max_length=16, choices=State.choices, default=State.PLANNED)

    class Meta:
        ordering = ["tahun", "dibuka_pada", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "jenis"], name="planning_stage_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(ditutup_pada__gte=models.F("dibuka_pada")),
                name="planning_stage_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tahun}"


class Snapshot(models.Model):
    """The plan frozen when a stage closed: canonical JSON text and its SHA-256. Never updated."""

    stage = models.OneToOneField(Stage, on_delete=models.PROTECT, related_name="snapshot")
    tahun = models.PositiveSmallIntegerField()
    isi = models.TextField()
    sha256 = models.CharField(max_length=64)
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-dibuat_pada", "-id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.sha256[:12]}"


class OpdCeiling(models.Model):
    """Bappeda's pagu indikatif ceiling of one OPD for one year."""

    tahun = models.PositiveSmallIntegerField()
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    pagu = models.DecimalField(max_digits=18, decimal_places=0)

    class Meta:
        ordering = ["tahun", "opd__kode"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "opd"], name="planning_ceiling_once"),
            models.CheckConstraint(condition=models.Q(pagu__gte=0), name="planning_ceiling_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.tahun} {self.opd_id} {self.pagu}"


class PlanEntry(models.Model):
    """An RKPD sub kegiatan of one OPD for one year; an OPD's Renja is its part of these."""

    tahun = models.PositiveSmallIntegerField()
    sub_kegiatan = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    kecamatan = models.ForeignKey(
        Kecamatan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        Desa, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indikator = models.TextField()
    satuan = models.CharField(max_length=100)
    target = models.DecimalField(max_digits=18, decimal_places=2)
    target_berikut = models.DecimalField(max_digits=18, decimal_places=2)
    pagu = models.DecimalField(max_digits=18, decimal_places=0)
    pagu_berikut = models.DecimalField(max_digits=18, decimal_places=0)
    sumber_dana = models.ForeignKey(SumberDana, on_delete=models.PROTECT, related_name="+")
    # Free text kept for entries made before the RPJMD/Renstra links below existed.
    sasaran = models.CharField(max_length=300, blank=True, default="")
    # What the entry serves: an RPJMD program prioritas / sasaran and its OPD's Renstra sasaran.
    program_prioritas = models.ForeignKey(
        "planning.ProgramPrioritas",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entri",
    )
    rpjmd_sasaran = models.ForeignKey(
        "planning.RpjmdSasaran",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entri",
    )
    renstra_sasaran = models.ForeignKey(
        "planning.RenstraSasaran",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entri",
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    diubah_pada = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tahun", "sub_kegiatan__kode", "opd__kode", "id"]
        indexes = [models.Index(fields=["tahun", "opd"], name="planning_entry_year_opd_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pagu__gte=0, pagu_berikut__gte=0),
                name="planning_entry_pagu_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tahun} {self.sub_kegiatan_id} {self.opd_id}"

    @property
    def opd_code(self) -> str:
        """The OPD's code, which apps.access scopes OPD-bound roles by."""
        return str(self.opd.kode)


class RenjaReview(models.Model):
    """An OPD's Renja of one year: submitted by its kepala, accepted or returned by Bappeda."""

    class State(models.TextChoices):
        DRAFT = "draf", "Draf"
        SUBMITTED = "diajukan", "Diajukan"
        ACCEPTED = "diterima", "Diterima"
        RETURNED = "dikembalikan", "Dikembalikan"

    tahun = models.PositiveSmallIntegerField()
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    catatan = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tahun", "opd"], name="planning_renja_once"),
        ]

    def __str__(self) -> str:
        return f"Renja {self.tahun} {self.opd_id} ({self.status})"


class Proposal(models.Model):
    """A Musrenbang usulan (or a DPRD pokir) with a public number anyone can follow."""

    class Source(models.TextChoices):
        MUSRENBANG = "musrenbang", "Musrenbang"
        POKIR = "pokir", "Pokok pikiran DPRD"

    class State(models.TextChoices):
        DESA = "desa", "Diusulkan desa/kelurahan"
        KECAMATAN = "kecamatan", "Diteruskan kecamatan"
        KABKOTA = "kabkota", "Diterima kabupaten/kota"
        OPD = "opd", "Diteruskan ke OPD"
        REJECTED = "ditolak", "Ditolak"
        RKPD = "rkpd", "Masuk RKPD"

    nomor = models.CharField(max_length=32, unique=True)
    tahun = models.PositiveSmallIntegerField()
    sumber = models.CharField(max_length=16, choices=Source.choices)
    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="+")
    masalah = models.TextField()
    usulan = models.TextField()
    volume = models.DecimalField(max_digits=14, decimal_places=2)
    satuan = models.CharField(max_length=60)
    biaya = models.DecimalField(max_digits=18, decimal_places=0)
    prioritas = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=State.choices, default=State.DESA)
    opd = models.ForeignKey(
        PerangkatDaerah, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_entry = models.ForeignKey(
        PlanEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    lampiran = models.ManyToManyField("files.StoredFile", blank=True, related_name="+")
    # No constraint, no cascade (as apps.files.StoredFile.uploaded_by): the user model lives in
    # public too, where this table does not exist, so deleting a platform user must not reach it.
    diusulkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tahun", "desa_id", "prioritas", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(biaya__gte=0, volume__gt=0), name="planning_proposal_amounts"
            ),
        ]

    def __str__(self) -> str:
        return self.nomor


class Recommendation(models.Model):
    """A forum's decision on a proposal: kecamatan first, then kabupaten/kota."""

    class Level(models.TextChoices):
        KECAMATAN = "kecamatan", "Musrenbang kecamatan"
        KABKOTA = "kabkota", "Musrenbang kabupaten/kota"

    class Kind(models.TextChoices):
        ACCEPT = "terima", "Diterima"
        ACCEPT_CHANGED = "terima_ubah", "Diterima dengan perubahan"
        REJECT = "tolak", "Ditolak"
        PASS_OPD = "teruskan_opd", "Diteruskan ke OPD"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rekomendasi")
    tingkat = models.CharField(max_length=16, choices=Level.choices)
    jenis = models.CharField(max_length=16, choices=Kind.choices)
    alasan = models.TextField(blank=True, default="")
    # Accept with changes: {"field": [before, after]} kept visible on the tracking page.
    perubahan = models.JSONField(default=dict, blank=True)
    opd = models.ForeignKey(
        PerangkatDaerah, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dibuat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "dibuat_pada", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "tingkat"], name="planning_reco_once"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.tingkat}: {self.jenis}"


# The RPJMD and Renstra models live in their own module (this one stays readable); importing it
# here registers them with the app.
from apps.planning.models_rpjmd import *  # noqa: E402, F403
