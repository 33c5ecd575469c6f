"""The APBD summary (for the budgeting pages and the transparency portal) and the enacted lines
priced with one standard price; a constant number of queries at any size."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Sum
from django.db.models.functions import Left

from apps.budgeting.models import Rincian, Rka, Versi
from apps.budgeting.services._common import latest_enacted
from apps.reference.models import Nomenklatur, PerangkatDaerah, Rekening

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SummaryRow:
    kode: str
    nama: str
    jumlah: Decimal


@dataclass(frozen=True)
class ApbdSummary:
    tahun: int
    versi: str
    ditetapkan_pada: datetime.datetime | None
    pendapatan: Decimal
    belanja: Decimal
    surplus_defisit: Decimal
    penerimaan_pembiayaan: Decimal
    pengeluaran_pembiayaan: Decimal
    pembiayaan_neto: Decimal
    silpa: Decimal
    per_urusan: list[SummaryRow]
    per_opd: list[SummaryRow]
    per_kelompok: list[SummaryRow]


def _rows(pairs: list[tuple[str, Decimal]], names: dict[str, str]) -> list[SummaryRow]:
    return [SummaryRow(kode, names.get(kode, kode), total or ZERO) for kode, total in pairs]


def _spending(version: Versi) -> tuple[list[Any], list[Any], list[Any]]:
    """Spending per urusan, OPD and account group from one pass over the lines (grouped by RKA
    and account group in SQL), then the RKA's OPD and sub kegiatan (one small query)."""
    cells = (
        Rincian.objects.filter(versi=version)
        .annotate(k=Left("rekening__kode", 3))
        .values("rka_id", "k")
        .annotate(s=Sum("jumlah"))
        .order_by()
        .values_list("rka_id", "k", "s")
    )
    rka = {
        pk: (opd, kode.split(".")[0])
        for pk, opd, kode in Rka.objects.filter(versi=version).values_list(
            "pk", "opd__kode", "plan_entry__sub_kegiatan__kode"
        )
    }
    urusan: dict[str, Decimal] = defaultdict(lambda: ZERO)
    per_opd: dict[str, Decimal] = defaultdict(lambda: ZERO)
    groups: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for rka_id, group, total in cells:
        opd, root = rka[rka_id]
        urusan[root] += total
        per_opd[opd] += total
        groups[group] += total
    return sorted(urusan.items()), sorted(per_opd.items()), sorted(groups.items())


def version_summary(version: Versi) -> ApbdSummary:
    """Totals of one version: the balance and the breakdowns (7 queries at any size)."""
    urusan, per_opd, belanja_groups = _spending(version)
    revenue_groups = list(
        version.pendapatan.annotate(k=Left("rekening__kode", 3))
        .values("k")
        .annotate(s=Sum("jumlah"))
        .order_by("k")
        .values_list("k", "s")
    )
    financing = dict(
        version.pembiayaan.annotate(k=Left("rekening__kode", 3))
        .values("k")
        .annotate(s=Sum("jumlah"))
        .order_by("k")
        .values_list("k", "s")
    )
    groups = revenue_groups + belanja_groups
    names = dict(
        Rekening.objects.filter(kode__in=[k for k, _ in groups]).values_list("kode", "nama")
    )
    names.update(
        Nomenklatur.objects.filter(tingkat="urusan", kode__in=[k for k, _ in urusan]).values_list(
            "kode", "nama"
        )
    )
    names.setdefault("X", "Unsur pendukung/penunjang urusan pemerintahan")
    opd_names = dict(
        PerangkatDaerah.objects.filter(kode__in=[k for k, _ in per_opd]).values_list("kode", "nama")
    )
    pendapatan = sum((s for _, s in revenue_groups), ZERO)
    belanja = sum((s for _, s in belanja_groups), ZERO)
    masuk, keluar = financing.get("6.1") or ZERO, financing.get("6.2") or ZERO
    return ApbdSummary(
        tahun=version.tahun.tahun,
        versi=version.label,
        ditetapkan_pada=version.ditetapkan_pada,
        pendapatan=pendapatan,
        belanja=belanja,
        surplus_defisit=pendapatan - belanja,
        penerimaan_pembiayaan=masuk,
        pengeluaran_pembiayaan=keluar,
        pembiayaan_neto=masuk - keluar,
        silpa=pendapatan - belanja + masuk - keluar,
        per_urusan=_rows(urusan, names),
        per_opd=_rows(per_opd, opd_names),
        per_kelompok=_rows(groups, names),
    )


def apbd_summary(tahun: int, *, enacted_only: bool = True) -> ApbdSummary | None:
    """The year's APBD as last enacted (or, with enacted_only=False, the draft being prepared
    when there is one); None when there is nothing to show."""
    version = None
    if not enacted_only:
        version = (
            Versi.objects.filter(tahun__tahun=tahun, status=Versi.Status.DRAFT)
            .select_related("tahun")
            .first()
        )
    version = version or latest_enacted(tahun)
    return None if version is None else version_summary(version)


def lines_using_standard_price(kode: str, tahun: int, *, limit: int = 200) -> list[dict[str, Any]]:
    """Lines of the year's latest enacted version priced with the standard price `kode`."""
    version = latest_enacted(tahun)
    if version is None:
        return []
    rows = (
        Rincian.objects.filter(versi=version, kode_harga=kode)
        .order_by("rka__opd__kode", "rka__plan_entry__sub_kegiatan__kode", "id")
        .values(
            "id",
            "uraian",
            "volume",
            "satuan",
            "harga",
            "jumlah",
            opd=F("rka__opd__kode"),
            opd_nama=F("rka__opd__nama"),
            sub_kegiatan=F("rka__plan_entry__sub_kegiatan__kode"),
            sub_kegiatan_nama=F("rka__plan_entry__sub_kegiatan__nama"),
            rekening_kode=F("rekening__kode"),
        )[: max(0, min(limit, 5000))]
    )
    out = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        values["rekening"] = values.pop("rekening_kode")
        out.append(values)
    return out
