"""The consistency report: what in a year's plan does not hold together."""

from collections import Counter
from decimal import Decimal
from typing import Any

from apps.planning.selectors.plan import ceilings, code_parts, plan_rows, totals
from apps.reference.models import PerangkatDaerah


def _opd_bidang(kode: str) -> list[str]:
    return PerangkatDaerah(kode=kode).bidang_kode


def consistency_report(*, tahun: int) -> dict[str, Any]:
    """Entries without an RPJMD/Renstra link, OPD totals over their ceiling, indicators without
    a target, sub kegiatan outside the OPD's bidang urusan, duplicates."""
    rows = plan_rows(tahun=tahun)
    keep = ("id", "kode", "nama", "opd")

    def pick(row: dict[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in keep}

    limits = ceilings(tahun=tahun)
    sums = totals(rows)["opd"]
    over = [
        {"opd": opd, "total": str(sums.get(opd, Decimal(0))), "pagu": str(limit)}
        for opd, limit in limits.items()
        if sums.get(opd, Decimal(0)) > limit
    ]
    seen = Counter((r["kode"], r["opd"], r["kecamatan"], r["desa"]) for r in rows)
    bidang_cache: dict[str, list[str]] = {}
    outside = []
    for row in rows:
        bidang = bidang_cache.setdefault(row["opd"], _opd_bidang(row["opd"]))
        if not row["kode"].startswith("X.") and code_parts(row["kode"])["bidang"] not in bidang:
            outside.append(pick(row))
    return {
        "tanpa_sasaran": [pick(r) for r in rows if not r["sasaran"].strip()],
        "melebihi_pagu": over,
        "tanpa_target": [pick(r) for r in rows if Decimal(r["target"]) == 0],
        "di_luar_bidang_opd": outside,
        "duplikat": [
            pick(r) for r in rows if seen[(r["kode"], r["opd"], r["kecamatan"], r["desa"])] > 1
        ],
    }
