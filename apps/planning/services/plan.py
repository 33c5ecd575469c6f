"""RKPD/Renja entries, OPD ceilings and the Renja review."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.planning.errors import PlanningError
from apps.planning.models import OpdCeiling, PlanEntry, RenjaReview
from apps.planning.services._common import (
    opd_check,
    quantity,
    role_check,
    rupiah,
    stage_require,
)
from apps.planning.services.entry_links import (
    entry_indicators_parse,
    entry_indicators_save,
    entry_links_apply,
)
from apps.planning.services.lookups import (
    location_get,
    opd_get,
    sub_kegiatan_get,
    sumber_dana_get,
)

PLAN_WRITERS = (Role.BAPPEDA, Role.OPD_OPERATOR, Role.KEPALA_OPD)


@dataclass(frozen=True)
class EntryInput:
    """An RKPD sub kegiatan as given by a caller: codes and raw amounts, checked by the service."""

    tahun: int
    sub_kegiatan: str
    opd: str
    indikator: str
    satuan: str
    target: Any
    target_berikut: Any
    pagu: Any
    pagu_berikut: Any
    sumber_dana: str
    kecamatan: str = ""
    desa: str = ""
    sasaran: str = ""
    # What the entry serves, by id. None: not given (an update keeps the link); 0: no link.
    program_prioritas: int | None = None
    rpjmd_sasaran: int | None = None
    renstra_sasaran: int | None = None
    # Further output indicators ({uraian, satuan, target, target_berikut}) after the first one
    # above. None: not given (an update keeps them); () : none.
    indikator_lain: tuple[dict[str, Any], ...] | list[dict[str, Any]] | None = None


def _text(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise PlanningError(_("Wajib diisi."), field=field)
    if len(value) > limit or "\x00" in value:
        raise PlanningError(_("Paling banyak %(n)d karakter.") % {"n": limit}, field=field)
    return value


def _apply(entry: PlanEntry, data: EntryInput) -> PlanEntry:
    """Check every field before anything is written; the first refusal names its field."""
    entry.tahun = data.tahun
    entry.sub_kegiatan = sub_kegiatan_get(data.sub_kegiatan)
    entry.opd = opd_get(data.opd)
    entry.kecamatan, entry.desa = location_get(data.kecamatan, data.desa)
    entry.indikator = _text(data.indikator, field="indikator", limit=2000)
    entry.satuan = _text(data.satuan, field="satuan", limit=100)
    entry.target = quantity(data.target, field="target")
    entry.target_berikut = quantity(data.target_berikut, field="target_berikut")
    entry.pagu = rupiah(data.pagu, field="pagu")
    entry.pagu_berikut = rupiah(data.pagu_berikut, field="pagu_berikut")
    entry.sumber_dana = sumber_dana_get(data.sumber_dana)
    entry.sasaran = (data.sasaran or "").strip()[:300]
    entry_links_apply(entry, data)
    return entry


def entry_snapshot(entry: PlanEntry) -> dict[str, Any]:
    return {
        "sub_kegiatan": entry.sub_kegiatan.kode,
        "opd": entry.opd.kode,
        "pagu": str(entry.pagu),
        "target": str(entry.target),
        "program_prioritas": entry.program_prioritas_id,
        "rpjmd_sasaran": entry.rpjmd_sasaran_id,
        "renstra_sasaran": entry.renstra_sasaran_id,
    }


@transaction.atomic
def plan_entry_create(*, actor: Any, data: EntryInput) -> PlanEntry:
    """Add an RKPD sub kegiatan in an open planning stage; OPD users only for their own OPD."""
    stage_require(write="rencana", tahun=data.tahun)
    entry = _apply(PlanEntry(), data)
    indicators = entry_indicators_parse(data.indikator_lain)
    opd_check(actor, entry.opd.kode, *PLAN_WRITERS)
    entry.save()
    entry_indicators_save(entry, indicators)
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_ENTRY_CREATED,
        target=entry,
        changes={**entry_snapshot(entry), "indikator_lain": indicators},
    )
    return entry


@transaction.atomic
def plan_entry_update(*, actor: Any, entry: PlanEntry, data: EntryInput) -> PlanEntry:
    """Change an entry (its year stays); both the old and the new OPD must be the writer's."""
    opd_check(actor, entry.opd.kode, *PLAN_WRITERS)
    stage_require(write="rencana", tahun=entry.tahun)
    before = entry_snapshot(entry)
    entry = _apply(entry, EntryInput(**{**data.__dict__, "tahun": entry.tahun}))
    indicators = entry_indicators_parse(data.indikator_lain)
    opd_check(actor, entry.opd.kode, *PLAN_WRITERS)
    entry.save()
    after = entry_snapshot(entry)
    if indicators is not None:
        entry_indicators_save(entry, indicators)
        after["indikator_lain"] = indicators
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_ENTRY_UPDATED,
        target=entry,
        changes={"sebelum": before, "sesudah": after},
    )
    return entry


@transaction.atomic
def plan_entry_delete(*, actor: Any, entry: PlanEntry) -> None:
    opd_check(actor, entry.opd.kode, *PLAN_WRITERS)
    stage_require(write="rencana", tahun=entry.tahun)
    if entry.proposals.exists():
        raise PlanningError(
            _("Sub kegiatan ini menampung usulan Musrenbang dan tidak dapat dihapus."),
            field="sub_kegiatan",
        )
    before = entry_snapshot(entry)
    audit_record(
        actor=actor, action=AuditAction.PLANNING_ENTRY_DELETED, target=entry, changes=before
    )
    entry.delete()


@transaction.atomic
def ceiling_set(*, actor: Any, tahun: int, opd: str, pagu: Any) -> OpdCeiling:
    """Bappeda's indicative ceiling of one OPD for one year (created or replaced)."""
    role_check(actor, Role.BAPPEDA)
    stage_require(write="pagu", tahun=tahun)
    opd_row = opd_get(opd)
    amount = rupiah(pagu, field="pagu")
    ceiling, _created = OpdCeiling.objects.update_or_create(
        tahun=tahun, opd=opd_row, defaults={"pagu": amount}
    )
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_CEILING_SET,
        target=ceiling,
        changes={"tahun": tahun, "opd": opd_row.kode, "pagu": str(amount)},
    )
    return ceiling


@transaction.atomic
def renja_submit(*, actor: Any, tahun: int, opd: str) -> RenjaReview:
    """The kepala OPD submits the OPD's Renja for Bappeda's verification."""
    opd_row = opd_get(opd)
    opd_check(actor, opd_row.kode, Role.KEPALA_OPD)
    stage_require(write="renja", tahun=tahun)
    review, _created = RenjaReview.objects.select_for_update().get_or_create(
        tahun=tahun, opd=opd_row
    )
    if review.status in (RenjaReview.State.SUBMITTED, RenjaReview.State.ACCEPTED):
        raise PlanningError(
            _("Renja ini sudah %(state)s.") % {"state": review.get_status_display().lower()},
            field="status",
        )
    review.status = RenjaReview.State.SUBMITTED
    review.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_RENJA_SUBMITTED,
        target=review,
        changes={"tahun": tahun, "opd": opd_row.kode},
    )
    return review


@transaction.atomic
def renja_verify(
    *, actor: Any, review: RenjaReview, accept: bool, catatan: str = ""
) -> RenjaReview:
    """Bappeda accepts a submitted Renja, or returns it with notes (notes required)."""
    role_check(actor, Role.BAPPEDA)
    if review.status != RenjaReview.State.SUBMITTED:
        raise PlanningError(_("Renja ini belum diajukan."), field="status")
    catatan = (catatan or "").strip()
    if not accept and not catatan:
        raise PlanningError(_("Catatan wajib diisi bila Renja dikembalikan."), field="catatan")
    review.status = RenjaReview.State.ACCEPTED if accept else RenjaReview.State.RETURNED
    review.catatan = catatan[:4000]
    review.save(update_fields=["status", "catatan"])
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_RENJA_VERIFIED,
        target=review,
        changes={"status": review.status, "catatan": review.catatan},
    )
    return review
