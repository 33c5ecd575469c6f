"""Providers: per document kind, the function that computes a year's public figures when the
admin daerah publishes (once; the result is frozen). `apbd` freezes apps.budgeting's enacted
APBD summary (documents.apbd_document); the others read planning and licensing."""

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg
from django.utils.translation import gettext as _

from apps.budgeting.selectors.summary import apbd_summary
from apps.licensing.models import SurveiIkm
from apps.licensing.selectors import dashboard, ikm, ikm_grade
from apps.licensing.services.permits import IKM_ELEMENTS
from apps.planning.models import Proposal, Snapshot, Stage
from apps.planning.selectors.musrenbang import proposals_list
from apps.portal.documents import (
    MusrenbangDocument,
    PerizinanDocument,
    RkpdDocument,
    RkpdProgram,
    Row,
    amount,
    apbd_document,
)
from apps.portal.errors import PortalError
from apps.reference.models import Nomenklatur
from apps.wilayah.models import Kecamatan

Provider = Callable[[int], Mapping[str, Any]]

PROVIDERS: dict[str, Provider] = {}


def provider_register(jenis: str, provider: Provider) -> None:
    """Register (or replace) the provider of one document kind."""
    PROVIDERS[jenis] = provider


def provider_get(jenis: str) -> Provider:
    provider = PROVIDERS.get(jenis)
    if provider is None:
        raise PortalError(
            _("Dokumen jenis %(jenis)s belum dapat diterbitkan di daerah ini.") % {"jenis": jenis},
            field="jenis",
        )
    return provider


def _share(part: int, whole: int) -> str:
    return str((Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0))


def rkpd_provider(tahun: int) -> RkpdDocument:
    """The enacted RKPD: the snapshot frozen when the year's RKPD penetapan stage closed (never
    the live draft); refused while that stage is not closed."""
    snapshot = (
        Snapshot.objects.filter(
            tahun=tahun, stage__jenis=Stage.Kind.RKPD_PENETAPAN, stage__status=Stage.State.CLOSED
        )
        .order_by("-dibuat_pada")
        .first()
    )
    if snapshot is None:
        raise PortalError(
            _("RKPD tahun %(tahun)s belum ditetapkan (tahapan penetapan belum ditutup).")
            % {"tahun": tahun},
            field="tahun",
        )
    rows = json.loads(snapshot.isi)["entri"]
    programs: dict[str, list[Decimal]] = defaultdict(list)
    opds: dict[str, tuple[str, list[Decimal]]] = {}
    for row in rows:
        pagu = Decimal(row["pagu"])
        programs[".".join(row["kode"].split(".")[:3])].append(pagu)
        opds.setdefault(row["opd"], (row["opd_nama"], []))[1].append(pagu)
    names = dict(Nomenklatur.objects.filter(kode__in=programs).values_list("kode", "nama"))
    per_program: list[RkpdProgram] = [
        {"kode": k, "nama": names.get(k, k), "jumlah": amount(sum(v)), "sub_kegiatan": len(v)}
        for k, v in sorted(programs.items())
    ]
    per_opd: list[Row] = [
        {"kode": k, "nama": nama, "jumlah": amount(sum(v))} for k, (nama, v) in sorted(opds.items())
    ]
    return {
        "tahun": tahun,
        "snapshot_sha256": snapshot.sha256,
        "ditetapkan_pada": snapshot.dibuat_pada.isoformat(),
        "total": amount(sum((Decimal(r["pagu"]) for r in rows), Decimal(0))),
        "sub_kegiatan": len(rows),
        "per_program": per_program,
        "per_opd": per_opd,
    }


ACCEPTED = {Proposal.State.KABKOTA, Proposal.State.OPD, Proposal.State.RKPD}


def musrenbang_provider(tahun: int) -> MusrenbangDocument:
    """Proposals of the year per kecamatan, the share accepted by the kabupaten/kota forum (or
    later), and the RKPD sub kegiatan they became."""
    names = dict(Kecamatan.objects.values_list("kode", "nama"))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    became: dict[str, dict[str, Any]] = {}
    for p in proposals_list(tahun=tahun):
        c = counts[p.desa.kecamatan_id]
        c["diusulkan"] += 1
        c["diterima"] += p.status in ACCEPTED
        c["ditolak"] += p.status == Proposal.State.REJECTED
        c["masuk_rkpd"] += p.plan_entry_id is not None
        if p.plan_entry is not None:
            sub = p.plan_entry.sub_kegiatan
            became.setdefault(sub.kode, {"kode": sub.kode, "nama": sub.nama, "usulan": 0})
            became[sub.kode]["usulan"] += 1
    total = sum(c["diusulkan"] for c in counts.values())
    accepted = sum(c["diterima"] for c in counts.values())
    return {
        "tahun": tahun,
        "diusulkan": total,
        "diterima": accepted,
        "persen_diterima": _share(accepted, total),
        "per_kecamatan": [
            {
                "kode": kode,
                "nama": names.get(kode, kode),
                "diusulkan": c["diusulkan"],
                "diterima": c["diterima"],
                "ditolak": c["ditolak"],
                "diproses": c["diusulkan"] - c["diterima"] - c["ditolak"],
                "masuk_rkpd": c["masuk_rkpd"],
                "persen_diterima": _share(c["diterima"], c["diusulkan"]),
            }
            for kode, c in sorted(counts.items())
        ],
        "menjadi": [became[k] for k in sorted(became)],
    }


def _year_ikm(quarters: list[dict[str, Any]]) -> tuple[Decimal | None, int]:
    """The year's IKM from its quarters: each element's mean weighted by respondents (the mean
    over every response), averaged with equal weights and times 25."""
    n = sum(q["responden"] for q in quarters)
    if not n:
        return None, 0
    elements = quarters[0]["unsur"].keys()
    means = [sum(q["unsur"][e] * q["responden"] for q in quarters) / n for e in elements]
    index = sum(means, Decimal(0)) / len(means) * 25
    return index.quantize(Decimal("0.01"), ROUND_HALF_UP), n


def _ikm_per_type(tahun: int) -> dict[str, str]:
    """Permit type code -> the year's IKM over its surveys (the same formula as licensing's)."""
    averages = {e: Avg(e) for e in IKM_ELEMENTS}
    query = SurveiIkm.objects.filter(dibuat_pada__year=tahun).values("permohonan__standar__kode")
    # each row: the type's code and one average per element (keys the stubs cannot see)
    rows: list[dict[str, Any]] = [dict(r) for r in query.annotate(**averages)]
    return {
        r["permohonan__standar__kode"]: amount(
            (
                sum((Decimal(str(r[e])) for e in IKM_ELEMENTS), Decimal(0)) / len(IKM_ELEMENTS) * 25
            ).quantize(Decimal("0.01"), ROUND_HALF_UP)
        )
        for r in rows
    }


def perizinan_provider(tahun: int) -> PerizinanDocument:
    """Licensing's service figures of the year (finished applications and the IKM survey)."""
    figures = dashboard(year=tahun)
    quarters = ikm(year=tahun)["triwulan"]
    index, respondents = _year_ikm(quarters)
    per_type_ikm = _ikm_per_type(tahun)
    overall = figures["median_hari_kerja"]
    return {
        "tahun": tahun,
        "selesai": figures["selesai"],
        "tepat_waktu": figures["tepat_waktu"],
        "persen_tepat_waktu": amount(figures["persen_tepat_waktu"]),
        "median_hari_kerja": amount(overall) if overall is not None else None,
        "ikm": amount(index) if index is not None else None,
        "responden_ikm": respondents,
        "per_jenis": [
            {
                "kode": r["kode"],
                "nama": r["nama"],
                "sektor": r["sektor"] or "",
                "selesai": r["selesai"],
                "tepat_waktu": r["tepat_waktu"],
                "persen_tepat_waktu": amount(r["persen_tepat_waktu"]),
                "median_hari_kerja": amount(r["median_hari_kerja"]),
                "ikm": per_type_ikm.get(r["kode"]),
            }
            for r in figures["per_jenis"]
        ],
        "ikm_triwulan": [
            {
                "triwulan": q["triwulan"],
                "responden": q["responden"],
                "ikm": amount(q["ikm"]),
                "mutu": ikm_grade(q["ikm"]),
            }
            for q in quarters
        ],
    }


def apbd_provider(tahun: int) -> Mapping[str, Any]:
    """The enacted APBD of the year (its newest enacted version: murni, or a pergeseran or
    perubahan enacted after it); refused while nothing of that year is enacted."""
    summary = apbd_summary(tahun, enacted_only=True)
    if summary is None:
        raise PortalError(
            _("APBD tahun %(tahun)s belum ditetapkan.") % {"tahun": tahun}, field="tahun"
        )
    return apbd_document(asdict(summary))


def builtin_providers_register() -> None:
    provider_register("apbd", apbd_provider)
    provider_register("rkpd", rkpd_provider)
    provider_register("musrenbang", musrenbang_provider)
    provider_register("perizinan", perizinan_provider)
