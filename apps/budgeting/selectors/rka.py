"""Lines of a version as rows (pages, exports, API), grouped by OPD and sub kegiatan."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, Sum

from apps.budgeting.models import Rincian, Rka, Versi

ZERO = Decimal("0.00")
LINE_FIELDS = (
    "id",
    "rka_id",
    "kode_harga",
    "jenis_harga",
    "uraian",
    "spesifikasi",
    "satuan",
    "harga",
    "volume_1",
    "satuan_1",
    "volume_2",
    "satuan_2",
    "volume_3",
    "satuan_3",
    "volume_4",
    "satuan_4",
    "volume",
    "ppn",
    "jumlah",
    "lokasi",
    "catatan",
    "asal_id",
)


def version_lines(version: Versi, *, opd: str | None = None) -> QuerySet[Rincian]:
    rows = Rincian.objects.filter(versi=version)
    if opd:
        rows = rows.filter(rka__opd__kode=opd)
    return rows.order_by(
        "rka__opd__kode", "rka__plan_entry__sub_kegiatan__kode", "rekening__kode", "id"
    )


def line_rows(version: Versi, *, opd: str | None = None) -> list[dict[str, Any]]:
    """Every line with its RKA, sub kegiatan, OPD, account and funding source (one query)."""
    return list(
        version_lines(version, opd=opd).values(
            *LINE_FIELDS,
            opd=F("rka__opd__kode"),
            opd_nama=F("rka__opd__nama"),
            sub_kegiatan=F("rka__plan_entry__sub_kegiatan__kode"),
            sub_kegiatan_nama=F("rka__plan_entry__sub_kegiatan__nama"),
            plan_entry_id=F("rka__plan_entry_id"),
            rka_status=F("rka__status"),
            rekening_kode=F("rekening__kode"),
            rekening_nama=F("rekening__nama"),
            sumber_dana_kode=F("sumber_dana__kode"),
        )
    )


def grouped(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OPD > sub kegiatan > lines, each level with its total."""
    opds: dict[str, dict[str, Any]] = {}
    for row in rows:
        opd = opds.setdefault(
            row["opd"], {"kode": row["opd"], "nama": row["opd_nama"], "total": ZERO, "sub": {}}
        )
        sub = opd["sub"].setdefault(
            row["rka_id"],
            {
                "rka_id": row["rka_id"],
                "kode": row["sub_kegiatan"],
                "nama": row["sub_kegiatan_nama"],
                "status": row["rka_status"],
                "total": ZERO,
                "lines": [],
            },
        )
        sub["lines"].append(row)
        sub["total"] += row["jumlah"]
        opd["total"] += row["jumlah"]
    return [{**o, "sub": list(o["sub"].values())} for o in opds.values()]


def rka_board(version: Versi) -> list[dict[str, Any]]:
    """The TAPD verification board: each RKA with its OPD, status, line count and total."""
    rows = (
        Rka.objects.filter(versi=version)
        .annotate(total=Sum("rincian__jumlah"))
        .values(
            "id",
            "status",
            "catatan",
            "total",
            opd_kode=F("opd__kode"),
            opd_nama=F("opd__nama"),
            kode=F("plan_entry__sub_kegiatan__kode"),
            nama=F("plan_entry__sub_kegiatan__nama"),
        )
        .order_by("opd__kode", "plan_entry__sub_kegiatan__kode")
    )
    return [dict(row) for row in rows]


def totals_by(rows: list[dict[str, Any]], key: str) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        out[row[key]] += row["jumlah"]
    return dict(out)
