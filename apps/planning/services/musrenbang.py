"""Musrenbang: proposals from a desa/kelurahan (or DPRD pokir), the kecamatan and
kabupaten/kota forums' recommendations, and attaching an accepted proposal to the RKPD."""

import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.access.roles import role_require
from apps.accounts.models import Role
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.files.services import file_store
from apps.files.validation import upload_check
from apps.planning.errors import PlanningError
from apps.planning.files import MUSRENBANG_OWNER, OWNER_APP
from apps.planning.models import PlanEntry, Proposal, Recommendation
from apps.planning.services._common import (
    opd_check,
    quantity,
    rupiah,
    stage_require,
    wilayah_check,
    writer_check,
)
from apps.planning.services.lookups import desa_get, opd_get
from apps.planning.services.plan import PLAN_WRITERS, EntryInput, _text, plan_entry_create

P = Proposal.State
R = Recommendation.Kind
PROPOSERS = (Role.OPERATOR_DESA, Role.OPERATOR_KECAMATAN, Role.BAPPEDA)
KECAMATAN_FORUM = (Role.OPERATOR_KECAMATAN, Role.BAPPEDA)
# Fields a forum may change when it accepts with changes.
CHANGEABLE = ("usulan", "volume", "satuan", "biaya")
MAX_FILES = 5
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _public_number(tahun: int, sumber: str) -> str:
    prefix = "PK" if sumber == Proposal.Source.POKIR else "MR"
    while True:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        nomor = f"{prefix}-{tahun}-{code}"
        if not Proposal.objects.filter(nomor=nomor).exists():
            return nomor


@transaction.atomic
def proposal_create(
    *,
    actor: Any,
    tahun: int,
    sumber: str,
    desa: str,
    masalah: str,
    usulan: str,
    volume: Any,
    satuan: str,
    biaya: Any,
    prioritas: int,
    berkas: Sequence[Any] = (),
) -> Proposal:
    """A desa's proposal (operator desa/kecamatan of that place) or a DPRD pokir. Every field and
    every file is checked before anything is stored."""
    writer_check(actor)
    if sumber not in Proposal.Source.values:
        raise PlanningError(_("Sumber usulan tidak dikenal."), field="sumber")
    desa_row = desa_get(desa)
    if sumber == Proposal.Source.MUSRENBANG:
        wilayah_check(actor, desa_row.kode, *PROPOSERS)
    else:
        role_require(actor, Role.DPRD)
    stage_require(write="usulan" if sumber == Proposal.Source.MUSRENBANG else "pokir", tahun=tahun)
    proposal = Proposal(
        tahun=tahun,
        sumber=sumber,
        desa=desa_row,
        masalah=_text(masalah, field="masalah", limit=4000),
        usulan=_text(usulan, field="usulan", limit=4000),
        volume=quantity(volume, field="volume", positive=True),
        satuan=_text(satuan, field="satuan", limit=60),
        biaya=rupiah(biaya, field="biaya"),
        prioritas=int(quantity(prioritas, field="prioritas", positive=True)),
        diusulkan_oleh=actor if getattr(actor, "pk", None) else None,
    )
    if len(berkas) > MAX_FILES:
        raise PlanningError(
            _("Paling banyak %(n)d berkas per usulan.") % {"n": MAX_FILES}, field="berkas"
        )
    for upload in berkas:
        upload_check(
            upload=upload,
            extensions=MUSRENBANG_OWNER.extensions,
            max_bytes=MUSRENBANG_OWNER.max_bytes,
        )
        upload.seek(0)
    proposal.nomor = _public_number(tahun, sumber)
    proposal.save()
    stored = [file_store(upload=u, owner_app=OWNER_APP, actor=actor) for u in berkas]
    proposal.lampiran.set(stored)
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_PROPOSAL_CREATED,
        target=proposal,
        changes={"nomor": proposal.nomor, "desa": desa_row.kode, "sumber": sumber},
    )
    return proposal


def _changes(proposal: Proposal, perubahan: dict[str, Any]) -> dict[str, list[str]]:
    """Apply a forum's changes to the proposal; return {field: [before, after]}."""
    if not perubahan:
        raise PlanningError(
            _("Perubahan wajib diisi bila usulan diterima dengan perubahan."), field="perubahan"
        )
    out: dict[str, list[str]] = {}
    for name, raw in perubahan.items():
        if name not in CHANGEABLE:
            raise PlanningError(
                _("Bagian %(field)s tidak dapat diubah forum.") % {"field": str(name)[:30]},
                field="perubahan",
            )
        before = getattr(proposal, name)
        if name == "biaya":
            after: Any = rupiah(raw, field="perubahan.biaya")
        elif name == "volume":
            after = quantity(raw, field="perubahan.volume", positive=True)
        else:
            after = _text(str(raw), field=f"perubahan.{name}", limit=4000)
        setattr(proposal, name, after)
        out[name] = [str(before), str(after)]
    return out


@transaction.atomic
def proposal_recommend(
    *,
    actor: Any,
    proposal: Proposal,
    tingkat: str,
    jenis: str,
    alasan: str = "",
    perubahan: dict[str, Any] | None = None,
    opd: str = "",
) -> Recommendation:
    """The kecamatan forum (then the kabupaten/kota forum) accepts, accepts with changes, rejects
    with a reason or passes the proposal to an OPD."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if tingkat == Recommendation.Level.KECAMATAN:
        wilayah_check(actor, proposal.desa_id, *KECAMATAN_FORUM)
        expected, write = P.DESA, "kecamatan"
    elif tingkat == Recommendation.Level.KABKOTA:
        writer_check(actor)
        role_require(actor, Role.BAPPEDA)
        expected, write = P.KECAMATAN, "kabkota"
    else:
        raise PlanningError(_("Tingkat forum tidak dikenal."), field="tingkat")
    if jenis not in R.values:
        raise PlanningError(_("Jenis rekomendasi tidak dikenal."), field="jenis")
    if proposal.status != expected:
        raise PlanningError(
            _("Usulan ini berstatus %(state)s; rekomendasi tingkat ini tidak dapat dicatat.")
            % {"state": proposal.get_status_display().lower()},
            field="status",
        )
    stage_require(write=write, tahun=proposal.tahun)
    alasan = (alasan or "").strip()[:4000]
    reco = Recommendation(proposal=proposal, tingkat=tingkat, jenis=jenis, alasan=alasan)
    if jenis == R.REJECT and not alasan:
        raise PlanningError(_("Alasan penolakan wajib diisi."), field="alasan")
    if jenis == R.ACCEPT_CHANGED:
        reco.perubahan = _changes(proposal, perubahan or {})
    if jenis == R.PASS_OPD and not opd:
        raise PlanningError(_("OPD tujuan wajib diisi."), field="opd")
    if opd:
        reco.opd = proposal.opd = opd_get(opd)
    if jenis == R.REJECT:
        proposal.status = P.REJECTED
    elif tingkat == Recommendation.Level.KECAMATAN:
        proposal.status = P.KECAMATAN
    else:
        proposal.status = P.OPD if jenis == R.PASS_OPD else P.KABKOTA
    proposal.save()
    reco.save()
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_PROPOSAL_RECOMMENDED,
        target=proposal,
        changes={"tingkat": tingkat, "jenis": jenis, "alasan": alasan, "perubahan": reco.perubahan},
    )
    return reco


@transaction.atomic
def proposal_attach(
    *,
    actor: Any,
    proposal: Proposal,
    entry: PlanEntry | None = None,
    data: EntryInput | None = None,
) -> PlanEntry:
    """An accepted (or passed) proposal becomes part of an RKPD sub kegiatan, existing or new."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (P.KABKOTA, P.OPD):
        raise PlanningError(
            _("Hanya usulan yang diterima kabupaten/kota yang dapat masuk RKPD."),
            field="status",
        )
    stage_require(write="lampir", tahun=proposal.tahun)
    if entry is None:
        if data is None:
            raise PlanningError(_("Pilih sub kegiatan RKPD."), field="sub_kegiatan")
        entry = plan_entry_create(actor=actor, data=data)
    elif entry.tahun != proposal.tahun:
        raise PlanningError(_("Sub kegiatan bukan dari tahun usulan."), field="sub_kegiatan")
    opd_check(actor, entry.opd.kode, *PLAN_WRITERS)
    proposal.plan_entry = entry
    proposal.opd = entry.opd
    proposal.status = P.RKPD
    proposal.save(update_fields=["plan_entry", "opd", "status"])
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_PROPOSAL_ATTACHED,
        target=proposal,
        changes={"entri": entry.pk, "sub_kegiatan": entry.sub_kegiatan.kode},
    )
    return entry
