"""The RPJMD of a period (visi, misi, tujuan, sasaran, strategi, arah kebijakan, program prioritas,
indicators) and each OPD's Renstra cascading to it; also the RKPD entries' further indicators.

Targets per year and the Renstra's indicative funding per year are JSON objects keyed by year
("2026": "12.50"); the services accept only years of the period, targets with at most two
decimals and funding in whole rupiah, so the JSON never holds anything else.
"""

from django.db import models

from apps.planning.models import Period, PlanEntry
from apps.reference.models import Nomenklatur, PerangkatDaerah

__all__ = [
    "ArahKebijakan",
    "EntryIndikator",
    "Misi",
    "ProgramPrioritas",
    "Renstra",
    "RenstraIndikator",
    "RenstraProgram",
    "RenstraSasaran",
    "RenstraTujuan",
    "Rpjmd",
    "RpjmdIndikator",
    "RpjmdSasaran",
    "RpjmdTujuan",
    "Strategi",
]


class Rpjmd(models.Model):
    """The RPJMD of one period: its visi; misi hang below it."""

    period = models.OneToOneField(Period, on_delete=models.PROTECT, related_name="rpjmd")
    visi = models.TextField()

    def __str__(self) -> str:
        return f"RPJMD {self.period}"


class Misi(models.Model):
    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.PROTECT, related_name="misi")
    urutan = models.PositiveSmallIntegerField()
    uraian = models.TextField()

    class Meta:
        ordering = ["urutan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rpjmd", "urutan"], name="planning_misi_order_uniq")
        ]

    def __str__(self) -> str:
        return f"Misi {self.urutan}"


class RpjmdTujuan(models.Model):
    misi = models.ForeignKey(Misi, on_delete=models.PROTECT, related_name="tujuan")
    kode = models.CharField(max_length=20)
    uraian = models.TextField()

    class Meta:
        ordering = ["kode", "id"]

    def __str__(self) -> str:
        return f"Tujuan {self.kode}"


class RpjmdSasaran(models.Model):
    tujuan = models.ForeignKey(RpjmdTujuan, on_delete=models.PROTECT, related_name="sasaran")
    kode = models.CharField(max_length=20)
    uraian = models.TextField()

    class Meta:
        ordering = ["kode", "id"]

    def __str__(self) -> str:
        return f"Sasaran {self.kode} {self.uraian[:60]}"


class Strategi(models.Model):
    sasaran = models.ForeignKey(RpjmdSasaran, on_delete=models.PROTECT, related_name="strategi")
    uraian = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.uraian[:60]


class ArahKebijakan(models.Model):
    strategi = models.ForeignKey(Strategi, on_delete=models.PROTECT, related_name="arah")
    uraian = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.uraian[:60]


class ProgramPrioritas(models.Model):
    """A nomenclature program that serves an RPJMD sasaran, carried by one OPD."""

    sasaran = models.ForeignKey(
        RpjmdSasaran, on_delete=models.PROTECT, related_name="program_prioritas"
    )
    program = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["program__kode", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sasaran", "program", "opd"], name="planning_program_prioritas_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.opd_id}"


class IndikatorBase(models.Model):
    uraian = models.TextField()
    satuan = models.CharField(max_length=100)
    baseline = models.DecimalField(max_digits=18, decimal_places=2)
    target = models.JSONField(default=dict)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.uraian[:60]


class RpjmdIndikator(IndikatorBase):
    """An indicator of an RPJMD tujuan or sasaran (exactly one)."""

    tujuan = models.ForeignKey(
        RpjmdTujuan, null=True, blank=True, on_delete=models.PROTECT, related_name="indikator"
    )
    sasaran = models.ForeignKey(
        RpjmdSasaran, null=True, blank=True, on_delete=models.PROTECT, related_name="indikator"
    )

    class Meta(IndikatorBase.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tujuan__isnull=True) ^ models.Q(sasaran__isnull=True),
                name="planning_rpjmd_indikator_one_owner",
            )
        ]


class Renstra(models.Model):
    """One OPD's Renstra for an RPJMD period."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="renstra")
    opd = models.ForeignKey(PerangkatDaerah, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["opd__kode"]
        constraints = [
            models.UniqueConstraint(fields=["period", "opd"], name="planning_renstra_once")
        ]

    def __str__(self) -> str:
        return f"Renstra {self.opd_id} {self.period_id}"

    @property
    def opd_code(self) -> str:
        return str(self.opd.kode)


class RenstraTujuan(models.Model):
    renstra = models.ForeignKey(Renstra, on_delete=models.PROTECT, related_name="tujuan")
    kode = models.CharField(max_length=20)
    uraian = models.TextField()
    rpjmd_sasaran = models.ForeignKey(
        RpjmdSasaran, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kode", "id"]

    def __str__(self) -> str:
        return f"Tujuan {self.kode}"

    @property
    def opd_code(self) -> str:
        return self.renstra.opd_code


class RenstraSasaran(models.Model):
    tujuan = models.ForeignKey(RenstraTujuan, on_delete=models.PROTECT, related_name="sasaran")
    kode = models.CharField(max_length=20)
    uraian = models.TextField()
    rpjmd_sasaran = models.ForeignKey(
        RpjmdSasaran,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renstra_sasaran",
    )

    class Meta:
        ordering = ["kode", "id"]

    def __str__(self) -> str:
        return f"Sasaran {self.kode} {self.uraian[:60]}"

    @property
    def opd_code(self) -> str:
        return self.tujuan.opd_code


class RenstraProgram(models.Model):
    """A program, kegiatan or sub kegiatan of the nomenclature under a Renstra sasaran, with its
    indicative funding per year of the period (whole rupiah)."""

    sasaran = models.ForeignKey(RenstraSasaran, on_delete=models.PROTECT, related_name="program")
    nomenklatur = models.ForeignKey(Nomenklatur, on_delete=models.PROTECT, related_name="+")
    pagu = models.JSONField(default=dict)

    class Meta:
        ordering = ["nomenklatur__kode", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sasaran", "nomenklatur"], name="planning_renstra_program_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomenklatur_id}"

    @property
    def opd_code(self) -> str:
        return self.sasaran.opd_code


class RenstraIndikator(IndikatorBase):
    """An indicator of a Renstra tujuan, sasaran or program/kegiatan/sub kegiatan (exactly one)."""

    tujuan = models.ForeignKey(
        RenstraTujuan, null=True, blank=True, on_delete=models.PROTECT, related_name="indikator"
    )
    sasaran = models.ForeignKey(
        RenstraSasaran, null=True, blank=True, on_delete=models.PROTECT, related_name="indikator"
    )
    program = models.ForeignKey(
        RenstraProgram, null=True, blank=True, on_delete=models.PROTECT, related_name="indikator"
    )

    class Meta(IndikatorBase.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(tujuan__isnull=False, sasaran__isnull=True, program__isnull=True)
                    | models.Q(tujuan__isnull=True, sasaran__isnull=False, program__isnull=True)
                    | models.Q(tujuan__isnull=True, sasaran__isnull=True, program__isnull=False)
                ),
                name="planning_renstra_indikator_one_owner",
            )
        ]

    @property
    def opd_code(self) -> str:
        owner = self.tujuan or self.sasaran or self.program
        return owner.opd_code if owner is not None else ""


class EntryIndikator(models.Model):
    """A further output indicator of an RKPD entry; the entry's own indikator/satuan/target
    fields stay its first one."""

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="indikator_lain")
    urutan = models.PositiveSmallIntegerField()
    uraian = models.TextField()
    satuan = models.CharField(max_length=100)
    target = models.DecimalField(max_digits=18, decimal_places=2)
    target_berikut = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["entry_id", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "urutan"], name="planning_entry_ind_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}.{self.urutan} {self.uraian[:40]}"
