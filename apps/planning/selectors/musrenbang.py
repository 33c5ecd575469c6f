"""Proposals each person may see, and the public view of one proposal."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.access.roles import user_has_role, user_roles, user_wilayah_codes
from apps.accounts.models import WILAYAH_BOUND_ROLES
from apps.planning.errors import PlanningNotFound
from apps.planning.models import Proposal


def proposals_list(*, tahun: int | None = None, status: str | None = None) -> QuerySet[Proposal]:
    rows = Proposal.objects.select_related(
        "desa", "desa__kecamatan", "opd", "plan_entry", "plan_entry__sub_kegiatan"
    ).prefetch_related("rekomendasi", "rekomendasi__opd")
    if tahun:
        rows = rows.filter(tahun=tahun)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("desa__kecamatan_id", "desa_id", "prioritas", "id")


def proposals_visible(
    *, user: Any, tahun: int | None = None, status: str | None = None
) -> QuerySet[Proposal]:
    """Desa and kecamatan operators (holding no wider role) see their own place only."""
    rows = proposals_list(tahun=tahun, status=status)
    held = user_roles(user)
    if held and held <= WILAYAH_BOUND_ROLES and not user_has_role(user, "inspektorat"):
        codes = sorted(user_wilayah_codes(user))
        rows = rows.filter(Q(desa_id__in=codes) | Q(desa__kecamatan_id__in=codes))
    return rows


def _recommendations(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            "tingkat": r.tingkat,
            "tingkat_nama": r.get_tingkat_display(),
            "jenis": r.jenis,
            "jenis_nama": r.get_jenis_display(),
            "alasan": r.alasan,
            "perubahan": r.perubahan,
            "opd": r.opd.nama if r.opd else "",
        }
        for r in proposal.rekomendasi.all()
    ]


def _became(proposal: Proposal) -> dict[str, str] | None:
    entry = proposal.plan_entry
    if entry is None:
        return None
    return {"kode": entry.sub_kegiatan.kode, "nama": entry.sub_kegiatan.nama}


def proposal_row(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "nomor": proposal.nomor,
        "tahun": proposal.tahun,
        "sumber": proposal.sumber,
        "desa": proposal.desa_id,
        "desa_nama": proposal.desa.nama,
        "kecamatan": proposal.desa.kecamatan_id,
        "masalah": proposal.masalah,
        "usulan": proposal.usulan,
        "volume": str(proposal.volume),
        "satuan": proposal.satuan,
        "biaya": str(proposal.biaya),
        "prioritas": proposal.prioritas,
        "status": proposal.status,
        "status_nama": proposal.get_status_display(),
        "opd": proposal.opd.kode if proposal.opd else "",
        "rekomendasi": _recommendations(proposal),
        "sub_kegiatan": _became(proposal),
        "lampiran": [str(pk) for pk in proposal.lampiran.values_list("id", flat=True)],
    }


def proposal_public(*, nomor: str) -> dict[str, Any]:
    """What anyone may read: no proposer, no attachments, only the village and its kecamatan."""
    proposal = proposals_list().filter(nomor=nomor.strip().upper()[:32]).first()
    if proposal is None:
        raise PlanningNotFound(_("Nomor usulan tidak ditemukan."), field="nomor")
    return {
        "nomor": proposal.nomor,
        "tahun": proposal.tahun,
        "sumber": proposal.get_sumber_display(),
        "desa": proposal.desa.nama,
        "kecamatan": proposal.desa.kecamatan.nama,
        "usulan": proposal.usulan,
        "volume": str(proposal.volume),
        "satuan": proposal.satuan,
        "biaya": str(proposal.biaya),
        "status": proposal.get_status_display(),
        "rekomendasi": _recommendations(proposal),
        "sub_kegiatan": _became(proposal),
    }
