"""Traceability: a budget line up to its sub kegiatan, RKPD entry, sasaran (RPJMD priority) and
the Musrenbang proposals or pokir behind it; and back, from a proposal to enacted lines."""

from typing import Any

from apps.budgeting.models import Rincian
from apps.budgeting.services._common import latest_enacted
from apps.planning.models import Proposal


def line_trace(line: Rincian) -> dict[str, Any]:
    rka = line.rka
    entry = rka.plan_entry
    proposals = Proposal.objects.filter(plan_entry=entry).order_by("nomor")
    return {
        "rincian": {
            "id": line.pk,
            "uraian": line.uraian,
            "rekening": line.rekening.kode,
            "standar_harga": line.kode_harga,
            "jumlah": line.jumlah,
        },
        "versi": line.versi.label,
        "sub_kegiatan": {"kode": entry.sub_kegiatan.kode, "nama": entry.sub_kegiatan.nama},
        "rkpd": {
            "id": entry.pk,
            "tahun": entry.tahun,
            "opd": entry.opd.kode,
            "indikator": entry.indikator,
            "pagu": entry.pagu,
        },
        "sasaran": entry.sasaran,
        "usulan": [
            {"nomor": p.nomor, "sumber": p.get_sumber_display(), "usulan": p.usulan}
            for p in proposals
        ],
    }


def enacted_lines_of_proposal(proposal: Proposal) -> list[dict[str, Any]]:
    """The lines the proposal's RKPD entry became in the year's latest enacted version."""
    if proposal.plan_entry_id is None:
        return []
    entry = proposal.plan_entry
    assert entry is not None
    version = latest_enacted(entry.tahun)
    if version is None:
        return []
    rows = (
        Rincian.objects.filter(versi=version, rka__plan_entry=proposal.plan_entry_id)
        .order_by("id")
        .values("uraian", "jumlah", "satuan", "volume", "rekening__kode")[:50]
    )
    out = []
    for row in rows:
        values: dict[str, Any] = dict(row)
        values["rekening"] = values.pop("rekening__kode")
        values["versi"] = version.label
        out.append(values)
    return out
