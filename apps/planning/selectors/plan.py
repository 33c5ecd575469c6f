"""The plan as rows and as a tree with totals; a constant number of queries at any size."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from apps.planning.models import OpdCeiling, PlanEntry
from apps.planning.models_rpjmd import EntryIndikator
from apps.reference.models import Nomenklatur

ZERO = Decimal(0)
# An entry's further indicators, one query for any number of entries.
INDICATORS = Prefetch("indikator_lain", queryset=EntryIndikator.objects.order_by("urutan"))


def plan_entries(
    *,
    tahun: int,
    opd: str | None = None,
    urusan: str | None = None,
    program: str | None = None,
) -> QuerySet[PlanEntry]:
    """A year's entries with every row they show; filters by OPD code, urusan/bidang or program
    code prefix."""
    rows = (
        PlanEntry.objects.filter(tahun=tahun)
        .select_related("sub_kegiatan", "opd", "kecamatan", "desa", "sumber_dana")
        .prefetch_related(INDICATORS)
    )
    if opd:
        rows = rows.filter(opd__kode=opd)
    if urusan:
        rows = rows.filter(sub_kegiatan__kode__startswith=urusan + ".")
    if program:
        rows = rows.filter(sub_kegiatan__kode__startswith=program + ".")
    return rows.order_by("sub_kegiatan__kode", "opd__kode", "id")


def code_parts(kode: str) -> dict[str, str]:
    """urusan 1, bidang 1.02, program 1.02.02, kegiatan 1.02.02.2.01 of a sub kegiatan code."""
    p = kode.split(".")
    return {
        "urusan": p[0],
        "bidang": ".".join(p[:2]),
        "program": ".".join(p[:3]),
        "kegiatan": ".".join(p[:5]),
    }


def entry_row(entry: PlanEntry) -> dict[str, Any]:
    """One entry as the plain dict snapshots, diffs and exports share."""
    lokasi = entry.desa.nama if entry.desa else entry.kecamatan.nama if entry.kecamatan else ""
    return {
        "id": entry.pk,
        "kode": entry.sub_kegiatan.kode,
        "nama": entry.sub_kegiatan.nama,
        "opd": entry.opd.kode,
        "opd_nama": entry.opd.nama,
        "kecamatan": entry.kecamatan_id or "",
        "desa": entry.desa_id or "",
        "lokasi": lokasi,
        "indikator": entry.indikator,
        "satuan": entry.satuan,
        "target": str(entry.target),
        "target_berikut": str(entry.target_berikut),
        "pagu": str(entry.pagu),
        "pagu_berikut": str(entry.pagu_berikut),
        "sumber_dana": entry.sumber_dana.kode,
        "sumber_dana_nama": entry.sumber_dana.nama,
        "sasaran": entry.sasaran,
        "program_prioritas": entry.program_prioritas_id,
        "rpjmd_sasaran": entry.rpjmd_sasaran_id,
        "renstra_sasaran": entry.renstra_sasaran_id,
        "indikator_lain": [
            {
                "uraian": i.uraian,
                "satuan": i.satuan,
                "target": str(i.target),
                "target_berikut": str(i.target_berikut),
            }
            for i in entry.indikator_lain.all()
        ],
    }


# The columns plan_rows reads, in one joined query: entry_row's shape without model instances.
ROW_FIELDS = (
    "id",
    "sub_kegiatan__kode",
    "sub_kegiatan__nama",
    "opd__kode",
    "opd__nama",
    "kecamatan_id",
    "kecamatan__nama",
    "desa_id",
    "desa__nama",
    "indikator",
    "satuan",
    "target",
    "target_berikut",
    "pagu",
    "pagu_berikut",
    "sumber_dana__kode",
    "sumber_dana__nama",
    "sasaran",
    "program_prioritas_id",
    "rpjmd_sasaran_id",
    "renstra_sasaran_id",
)


def plan_rows(*, tahun: int, **filters: str | None) -> list[dict[str, Any]]:
    """The same dicts as entry_row for every entry of the year, read as tuples (two queries):
    building thousands of model instances cost more than the page that shows them."""
    entries = plan_entries(tahun=tahun, **filters).prefetch_related(None)
    further: dict[int, list[dict[str, str]]] = defaultdict(list)
    for entry_id, uraian, satuan, target, berikut in (
        EntryIndikator.objects.filter(entry__in=entries.values("id"))
        .order_by("entry_id", "urutan")
        .values_list("entry_id", "uraian", "satuan", "target", "target_berikut")
    ):
        further[entry_id].append(
            {
                "uraian": uraian,
                "satuan": satuan,
                "target": str(target),
                "target_berikut": str(berikut),
            }
        )
    rows = []
    for (
        pk, kode, nama, opd, opd_nama, kecamatan, kecamatan_nama, desa, desa_nama, indikator,
        satuan, target, target_berikut, pagu, pagu_berikut, dana, dana_nama, sasaran,
        prioritas, rpjmd_sasaran, renstra_sasaran,
    ) in entries.values_list(*ROW_FIELDS):  # fmt: skip
        rows.append(
            {
                "id": pk,
                "kode": kode,
                "nama": nama,
                "opd": opd,
                "opd_nama": opd_nama,
                "kecamatan": kecamatan or "",
                "desa": desa or "",
                "lokasi": desa_nama if desa else kecamatan_nama if kecamatan else "",
                "indikator": indikator,
                "satuan": satuan,
                "target": str(target),
                "target_berikut": str(target_berikut),
                "pagu": str(pagu),
                "pagu_berikut": str(pagu_berikut),
                "sumber_dana": dana,
                "sumber_dana_nama": dana_nama,
                "sasaran": sasaran,
                "program_prioritas": prioritas,
                "rpjmd_sasaran": rpjmd_sasaran,
                "renstra_sasaran": renstra_sasaran,
                "indikator_lain": further.get(pk, []),
            }
        )
    return rows


def totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, Decimal]]:
    """Pagu totals per OPD, urusan, bidang urusan and program, and the grand total."""
    out: dict[str, dict[str, Decimal]] = {
        k: defaultdict(lambda: ZERO) for k in ("opd", "urusan", "bidang", "program")
    }
    grand = ZERO
    for row in rows:
        pagu = Decimal(row["pagu"])
        parts = code_parts(row["kode"])
        out["opd"][row["opd"]] += pagu
        for level in ("urusan", "bidang", "program"):
            out[level][parts[level]] += pagu
        grand += pagu
    result = {k: dict(sorted(v.items())) for k, v in out.items()}
    result["total"] = {"": grand}
    return result


@dataclass
class TreeNode:
    kode: str
    nama: str
    tingkat: str
    pagu: Decimal = ZERO
    pagu_berikut: Decimal = ZERO
    children: dict[str, "TreeNode"] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def anak(self) -> list["TreeNode"]:
        return list(self.children.values())


def plan_tree(rows: list[dict[str, Any]]) -> TreeNode:
    """bidang > program > kegiatan > sub kegiatan rows, each level with its pagu total; level
    names come from one query on the nomenclature."""
    wanted: set[str] = set()
    for row in rows:
        parts = code_parts(row["kode"])
        wanted.update((parts["bidang"], parts["program"], parts["kegiatan"]))
    names = dict(Nomenklatur.objects.filter(kode__in=wanted).values_list("kode", "nama"))
    root = TreeNode(kode="", nama="", tingkat="root")
    for row in rows:
        parts = code_parts(row["kode"])
        node = root
        pagu, berikut = Decimal(row["pagu"]), Decimal(row["pagu_berikut"])
        node.pagu += pagu
        node.pagu_berikut += berikut
        for level in ("bidang", "program", "kegiatan"):
            kode = parts[level]
            if kode not in node.children:
                nama = names.get(kode, "Penunjang urusan" if kode.startswith("X") else kode)
                node.children[kode] = TreeNode(kode=kode, nama=nama, tingkat=level)
            node = node.children[kode]
            node.pagu += pagu
            node.pagu_berikut += berikut
        node.rows.append(row)
    return root


def ceilings(*, tahun: int) -> dict[str, Decimal]:
    return dict(
        OpdCeiling.objects.filter(tahun=tahun)
        .values_list("opd__kode", "pagu")
        .order_by("opd__kode")
    )
