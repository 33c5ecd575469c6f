"""The consistency report: what in a year's plan does not hold together."""

from collections import Counter
from decimal import Decimal
from typing import Any

from apps.planning.selectors.plan import ceilings, code_parts, plan_rows, totals
from apps.planning.selectors.rpjmd import indicators_without_target, renstra_sasaran_unlinked
from apps.reference.models import PerangkatDaerah


def _opd_bidang(kode: str) -> list[str]:
    return PerangkatDaerah(kode=kode).bidang_kode


def _no_target(row: dict[str, Any]) -> bool:
    targets = [row["target"]] + [i["target"] for i in row["indikator_lain"]]
    return any(Decimal(t) == 0 for t in targets)


def consistency_report(*, tahun: int) -> dict[str, Any]:
    """Entries without an RPJMD/Renstra link, Renstra sasaran without an RPJMD sasaran, OPD totals
    over their ceiling, indicators without a target (entries; RPJMD and Renstra per year), sub
    kegiatan outside the OPD's bidang urusan, duplicates. Constant queries at any size."""
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
    links = ("program_prioritas", "rpjmd_sasaran", "renstra_sasaran")
    unlinked = [r for r in rows if not any(r[k] for k in links)]
    return {
        "tanpa_tautan": [pick(r) for r in unlinked],
        "tanpa_sasaran": [pick(r) for r in unlinked if not r["sasaran"].strip()],
        "renstra_tanpa_rpjmd": renstra_sasaran_unlinked(tahun=tahun),
        "indikator_tanpa_target": indicators_without_target(tahun=tahun),
        "melebihi_pagu": over,
        "tanpa_target": [pick(r) for r in rows if _no_target(r)],
        "di_luar_bidang_opd": outside,
        "duplikat": [
            pick(r) for r in rows if seen[(r["kode"], r["opd"], r["kecamatan"], r["desa"])] > 1
        ],
    }
