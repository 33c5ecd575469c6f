"""Reads of the collection only (public tables): the regions on the platform, a province's
regions side by side, and standard prices compared across regions."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Max, Q, QuerySet

from apps.portal.documents import capital_share, per_capita
from apps.portal.platform.models import KoleksiDaerah, KoleksiHarga, KoleksiPublikasi
from tenants.models import Region

DEFAULT_MULTIPLE = Decimal("3")
MAX_ITEMS = 300


def regions_listed() -> QuerySet[KoleksiDaerah]:
    return KoleksiDaerah.objects.order_by("provinsi_kode", "kode_wilayah", "schema_name")


def data_date() -> datetime | None:
    """When the collection last ran (the date the console pages' figures are from)."""
    found: datetime | None = KoleksiDaerah.objects.aggregate(d=Max("dikumpulkan_pada"))["d"]
    return found


def province_names(codes: list[str]) -> dict[str, str]:
    return dict(Region.objects.filter(kode__in=codes).values_list("kode", "nama"))


def _latest(rows: list[KoleksiPublikasi]) -> dict[tuple[int, str], KoleksiPublikasi]:
    """Region id and kind -> its publication of the latest year collected."""
    latest: dict[tuple[int, str], KoleksiPublikasi] = {}
    for row in rows:
        key = (row.daerah_id, row.jenis)
        if key not in latest or row.tahun > latest[key].tahun:
            latest[key] = row
    return latest


def _apbd_columns(doc: KoleksiPublikasi | None, penduduk: int | None) -> dict[str, Any]:
    if doc is None:
        return {"apbd_tahun": None, "belanja_per_kapita": None, "porsi_modal": None, "fungsi": {}}
    data = doc.isi["data"]
    people = doc.isi.get("penduduk") or penduduk
    return {
        "apbd_tahun": doc.tahun,
        "belanja_per_kapita": per_capita(data["belanja"], people),
        "porsi_modal": capital_share(data),
        "fungsi": {r["kode"]: per_capita(r["jumlah"], people) for r in data["per_urusan"]},
    }


def _permit_columns(doc: KoleksiPublikasi | None) -> dict[str, Any]:
    if doc is None:
        return {"izin_tahun": None, "persen_tepat_waktu": None, "median_hari": None, "ikm": None}
    data = doc.isi["data"]
    return {
        "izin_tahun": doc.tahun,
        "persen_tepat_waktu": data["persen_tepat_waktu"],
        "median_hari": data["median_hari_kerja"],
        "ikm": data["ikm"],
    }


def province_comparison(*, provinsi_kode: str) -> dict[str, Any]:
    """The province's regions side by side: budget per capita overall and by function (urusan),
    share of capital spending, permit figures; from their latest collected publications."""
    regions = list(regions_listed().filter(provinsi_kode=provinsi_kode))
    docs = _latest(
        list(
            KoleksiPublikasi.objects.filter(
                daerah__in=regions, jenis__in=["apbd", "perizinan"]
            ).only("daerah_id", "jenis", "tahun", "isi")
        )
    )
    rows, functions = [], set()
    for region in regions:
        row = {
            "daerah": region,
            **_apbd_columns(docs.get((region.pk, "apbd")), region.penduduk),
            **_permit_columns(docs.get((region.pk, "perizinan"))),
        }
        functions |= set(row["fungsi"])
        rows.append(row)
    return {"rows": rows, "fungsi": sorted(functions)}


@dataclass
class PriceItem:
    """One item matched across regions: by code, or by normalised name and unit."""

    kode: str
    nama: str
    satuan: str
    prices: list[KoleksiHarga] = field(default_factory=list)
    median: Decimal = Decimal(0)
    flagged: list[KoleksiHarga] = field(default_factory=list)


def _groups(rows: list[KoleksiHarga]) -> list[list[KoleksiHarga]]:
    """Connected rows: same code, or same normalised name and unit (union-find)."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, row in enumerate(rows):
        for key in ("k:" + row.kode, "n:" + row.kunci):
            j = first.setdefault(key, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[KoleksiHarga]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[find(i)].append(row)
    return list(groups.values())


def _item(group: list[KoleksiHarga], multiple: Decimal) -> PriceItem:
    group.sort(key=lambda r: (r.harga, r.daerah.nama))
    head = group[0]
    mid = Decimal(median([r.harga for r in group])).quantize(Decimal("0.01"))
    item = PriceItem(kode=head.kode, nama=head.nama, satuan=head.satuan, prices=group, median=mid)
    item.flagged = [r for r in group if mid and r.harga > mid * multiple]
    return item


def price_comparison(
    *,
    tahun: int,
    provinces: list[str] | None,
    multiple: Decimal = DEFAULT_MULTIPLE,
    q: str = "",
    flagged_only: bool = False,
) -> list[PriceItem]:
    """Items priced in at least two regions of `provinces` (None: the whole country) for
    `tahun`, with the median and the regions above `multiple` times it; at most MAX_ITEMS."""
    rows = KoleksiHarga.objects.filter(tahun=tahun).select_related("daerah")
    if provinces is not None:
        rows = rows.filter(daerah__provinsi_kode__in=provinces)
    if q:
        rows = rows.filter(Q(kode__istartswith=q) | Q(nama__icontains=q))
    items = []
    for group in _groups(list(rows.order_by("kode", "id"))):
        if len({r.daerah_id for r in group}) < 2:
            continue
        item = _item(group, multiple)
        if flagged_only and not item.flagged:
            continue
        items.append(item)
    items.sort(key=lambda i: (not i.flagged, i.kode))
    return items[:MAX_ITEMS]


# The budget lines that used a standard price in one region, once e-budgeting lands: the
# integrator registers apps.budgeting.selectors.summary.lines_using_standard_price(kode, tahun)
# here. It runs inside that ONE region's schema (a drill-down names its region).
BudgetLines = Callable[[str, int], list[dict[str, Any]]]
BUDGET_LINES: dict[str, BudgetLines] = {}


def budget_lines_register(selector: BudgetLines) -> None:
    BUDGET_LINES["lines_using_standard_price"] = selector


def price_drilldown(*, daerah: KoleksiDaerah, kode: str, tahun: int) -> dict[str, Any]:
    """A region's collected rows of an item, and its budget lines when a selector is registered."""
    from django_tenants.utils import schema_context

    rows = list(KoleksiHarga.objects.filter(daerah=daerah, tahun=tahun, kode=kode))
    selector = BUDGET_LINES.get("lines_using_standard_price")
    lines: list[dict[str, Any]] | None = None
    if selector is not None:
        with schema_context(daerah.schema_name):
            lines = selector(kode, tahun)
    return {"daerah": daerah, "rows": rows, "lines": lines}
