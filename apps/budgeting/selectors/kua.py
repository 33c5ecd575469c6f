"""What the KUA-PPAS page shows of a year: each OPD's ceiling beside what the version budgets,
one OPD's sub kegiatan ceilings, the revenue targets and the financing rows (a constant number
of queries at any size)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Pembiayaan, Pendapatan, Rincian, Versi
from apps.reference.models import Rekening

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CeilingRow:
    kode: str
    nama: str
    pagu: Decimal
    terpakai: Decimal

    @property
    def sisa(self) -> Decimal:
        return self.pagu - self.terpakai


@dataclass(frozen=True)
class KuaOverview:
    opd: list[CeilingRow]
    sub_kegiatan: list[CeilingRow]
    pendapatan: list[Pendapatan]
    pembiayaan: list[Pembiayaan]


def _used(version: Versi | None, key: str, **where: str) -> dict[str, Decimal]:
    if version is None:
        return {}
    rows = (
        Rincian.objects.filter(versi=version, **where)
        .values(key)
        .annotate(s=Sum("jumlah"))
        .order_by()
        .values_list(key, "s")
    )
    return {str(k): s for k, s in rows}


def kua_overview(tahun: int, version: Versi | None, *, opd: str) -> KuaOverview:
    """The year's ceilings (per OPD; per sub kegiatan of `opd`) against the lines of `version`,
    and the version's revenue and financing rows."""
    used_opd = _used(version, "rka__opd__kode")
    per_opd = [
        CeilingRow(kode, nama, pagu, used_opd.get(kode, ZERO))
        for kode, nama, pagu in PaguOpd.objects.filter(tahun__tahun=tahun).values_list(
            "opd__kode", "opd__nama", "pagu"
        )
    ]
    used_sub = _used(version, "rka__plan_entry_id", rka__opd__kode=opd)
    sub = (
        PaguSubKegiatan.objects.filter(tahun__tahun=tahun, plan_entry__opd__kode=opd)
        .order_by("plan_entry__sub_kegiatan__kode", "plan_entry_id")
        .values_list(
            "plan_entry_id",
            "plan_entry__sub_kegiatan__kode",
            "plan_entry__sub_kegiatan__nama",
            "pagu",
        )
    )
    per_sub = [
        CeilingRow(kode, nama, pagu, used_sub.get(str(pk), ZERO)) for pk, kode, nama, pagu in sub
    ]
    revenue: list[Pendapatan] = []
    financing: list[Pembiayaan] = []
    if version is not None:
        revenue = list(version.pendapatan.select_related("opd", "rekening"))
        financing = list(version.pembiayaan.select_related("rekening"))
    return KuaOverview(per_opd, per_sub, revenue, financing)


def account_choices(akun: str) -> list[tuple[str, str]]:
    """Current sub rincian objek accounts under `akun` (the revenue and financing forms' lists)."""
    return list(
        Rekening.objects.filter(
            tingkat=Rekening.Level.SUB_RINCIAN_OBJEK, kode__startswith=f"{akun}.", retired_at=None
        )
        .order_by("kode")
        .values_list("kode", "nama")
    )
