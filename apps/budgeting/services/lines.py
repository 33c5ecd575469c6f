"""RKA-SKPD lines: priced from the standard-price list in force, never typed; checked against
the enacted RKPD, the account, the item's allowed accounts and both ceilings."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.budgeting import roles
from apps.budgeting.errors import BudgetError, BudgetLockedError
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Rincian, Rka, Versi
from apps.budgeting.services._common import (
    account_get,
    draft_version,
    line_total,
    opd_check,
    over_ceiling,
    price_list_in_force,
    rkpd_enacted_ids,
    text,
    version_editable,
    volume,
)
from apps.planning.models import PlanEntry
from apps.reference.models import Rekening, StandarHarga, StandarHargaRekening, SumberDana

EDITABLE_RKA = (Rka.Status.DRAFT, Rka.Status.RETURNED)


@dataclass(frozen=True)
class LineInput:
    """A line as a caller gives it: codes and volumes. `harga` exists only to be refused: the
    unit price always comes from the standard price."""

    plan_entry: Any  # the PlanEntry id, checked by the service
    rekening: str
    standar_harga: str
    volume_1: Any
    satuan_1: str
    volume_2: Any = None
    satuan_2: str = ""
    volume_3: Any = None
    satuan_3: str = ""
    volume_4: Any = None
    satuan_4: str = ""
    ppn: bool = False
    sumber_dana: str = ""
    lokasi: str = ""
    harga: Any = None


def plan_entry_get(pk: Any, *, tahun: int) -> PlanEntry:
    """A sub kegiatan of the year's enacted RKPD, nothing else."""
    try:
        entry_id = int(pk)
    except (TypeError, ValueError):
        raise BudgetError(_("Sub kegiatan tidak dikenal."), field="plan_entry") from None
    entry = PlanEntry.objects.select_related("opd", "sub_kegiatan").filter(pk=entry_id).first()
    if entry is None or entry.tahun != tahun or entry_id not in rkpd_enacted_ids(tahun):
        raise BudgetError(
            _("Sub kegiatan %(id)s tidak termasuk RKPD tahun %(year)s yang telah ditetapkan.")
            % {"id": entry.sub_kegiatan.kode if entry else entry_id, "year": tahun},
            field="plan_entry",
        )
    return entry


def price_get(kode: str, *, tahun: int, rekening: Rekening) -> StandarHarga:
    """The item of the price list in force, allowed on `rekening`."""
    daftar = price_list_in_force(tahun)
    kode = str(kode or "").strip()[:40]
    item = None
    if daftar is not None:
        item = StandarHarga.objects.filter(daftar=daftar, kode=kode, retired_at=None).first()
    if item is None:
        raise BudgetError(
            _("Standar harga %(kode)s tidak ada dalam daftar harga yang berlaku.") % {"kode": kode},
            field="standar_harga",
        )
    if not StandarHargaRekening.objects.filter(standar_harga=item, rekening=rekening).exists():
        raise BudgetError(
            _("Standar harga %(kode)s (%(nama)s) tidak boleh dianggarkan pada rekening %(rek)s.")
            % {"kode": item.kode, "nama": item.nama, "rek": rekening.kode},
            field="standar_harga",
        )
    return item


def _volumes(line: Rincian, data: LineInput) -> None:
    line.volume_1 = volume(data.volume_1, field="volume_1")
    line.satuan_1 = text(data.satuan_1, field="satuan_1", limit=40)
    product = line.volume_1
    for n in (2, 3, 4):
        raw, unit = getattr(data, f"volume_{n}"), getattr(data, f"satuan_{n}")
        if raw in (None, "") and not (unit or "").strip():
            setattr(line, f"volume_{n}", None)
            setattr(line, f"satuan_{n}", "")
            continue
        factor = volume(raw if raw not in (None, "") else "0", field=f"volume_{n}")
        setattr(line, f"volume_{n}", factor)
        setattr(line, f"satuan_{n}", text(unit, field=f"satuan_{n}", limit=40))
        product *= factor
    line.volume = product


def _apply(line: Rincian, data: LineInput, *, tahun: int) -> Rincian:
    """Check every field before anything is written; the first refusal names its field."""
    if data.harga not in (None, ""):
        raise BudgetError(
            _(
                "Harga satuan tidak dapat diketik: harga diambil dari standar harga "
                "(diketik %(value)s)."
            )
            % {"value": str(data.harga)[:30]},
            field="harga",
        )
    before = (line.kode_harga, line.rekening_id) if line.pk else None
    line.rekening = account_get(data.rekening, field="rekening", akun="5")
    reprice = before != (str(data.standar_harga).strip(), line.rekening.pk)
    if reprice:
        item = price_get(data.standar_harga, tahun=tahun, rekening=line.rekening)
        line.standar_harga = item
        line.jenis_harga, line.kode_harga = item.jenis, item.kode
        line.uraian, line.spesifikasi = item.nama, item.spesifikasi
        line.satuan, line.harga = item.satuan, item.harga
    _volumes(line, data)
    line.ppn = bool(data.ppn)
    line.jumlah = line_total(volume=line.volume, harga=line.harga, ppn=line.ppn)
    dana = SumberDana.objects.filter(kode=str(data.sumber_dana or "").strip()[:40]).first()
    if dana is None:
        raise BudgetError(_("Sumber dana tidak dikenal."), field="sumber_dana")
    line.sumber_dana = dana
    line.lokasi = text(data.lokasi, field="lokasi", limit=200, required=False)
    return line


def _ceilings_check(line: Rincian, version: Versi, rka: Rka) -> None:
    """The sub kegiatan and the OPD stay within their KUA-PPAS ceilings (both amounts named)."""
    opd_ceiling = PaguOpd.objects.select_for_update().filter(tahun=version.tahun, opd=rka.opd)
    opd_pagu = opd_ceiling.values_list("pagu", flat=True).first()
    sub_pagu = (
        PaguSubKegiatan.objects.filter(plan_entry=rka.plan_entry_id)
        .values_list("pagu", flat=True)
        .first()
    )
    if opd_pagu is None or sub_pagu is None:
        raise BudgetError(
            _("Pagu KUA-PPAS untuk OPD %(opd)s / sub kegiatan ini belum ditetapkan.")
            % {"opd": rka.opd.kode},
            field="pagu",
        )
    others = version.rincian.exclude(pk=line.pk) if line.pk else version.rincian.all()
    sub_total = (others.filter(rka=rka).aggregate(s=Sum("jumlah"))["s"] or 0) + line.jumlah
    if sub_total > sub_pagu:
        what = _("sub kegiatan %(kode)s") % {"kode": rka.plan_entry.sub_kegiatan.kode}
        raise over_ceiling(what=what, total=sub_total, pagu=sub_pagu, field="volume_1")
    opd_total = (others.filter(rka__opd=rka.opd).aggregate(s=Sum("jumlah"))["s"] or 0) + line.jumlah
    if opd_total > opd_pagu:
        what = _("OPD %(opd)s") % {"opd": rka.opd.kode}
        raise over_ceiling(what=what, total=opd_total, pagu=opd_pagu, field="volume_1")


def rka_locked(pk: int) -> Rka:
    """The RKA as it is now in the database, locked for this transaction."""
    return (
        Rka.objects.select_for_update(of=("self",))
        .select_related("versi__tahun", "opd", "plan_entry__sub_kegiatan")
        .get(pk=pk)
    )


def rka_editable(rka: Rka) -> None:
    version_editable(rka.versi)
    if rka.status not in EDITABLE_RKA:
        raise BudgetLockedError(
            _("RKA sub kegiatan ini sudah %(state)s; rincian tidak dapat diubah.")
            % {"state": rka.get_status_display().lower()},
            field="status",
        )


def line_snapshot(line: Rincian) -> dict[str, str]:
    return {
        "rekening": line.rekening.kode,
        "standar_harga": line.kode_harga,
        "harga": str(line.harga),
        "volume": str(line.volume),
        "ppn": str(line.ppn),
        "jumlah": str(line.jumlah),
    }


@transaction.atomic
def line_create(*, actor: Any, tahun: int, data: LineInput) -> Rincian:
    """Add a line to the RKA of a sub kegiatan in the year's draft version (the OPD operator,
    own OPD only)."""
    version = draft_version(tahun)
    entry = plan_entry_get(data.plan_entry, tahun=tahun)
    opd_check(actor, entry.opd.kode, *roles.DRAFTERS)
    rka, _created = Rka.objects.select_related("versi__tahun", "opd").get_or_create(
        versi=version, plan_entry=entry, defaults={"opd": entry.opd}
    )
    rka_editable(rka)
    line = _apply(Rincian(versi=version, rka=rka, dibuat_oleh_id=actor.pk), data, tahun=tahun)
    _ceilings_check(line, version, rka)
    line.save()
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_LINE_CREATED,
        target=line,
        changes=line_snapshot(line),
    )
    return line


@transaction.atomic
def line_update(*, actor: Any, line: Rincian, data: LineInput) -> Rincian:
    """Change volumes, account or item of a draft line; the copied price stays unless the item
    or account changes (then the line is priced again from the list in force)."""
    rka = rka_locked(line.rka_id)
    opd_check(actor, rka.opd.kode, *roles.DRAFTERS)
    rka_editable(rka)
    if int(data.plan_entry) != rka.plan_entry_id:
        raise BudgetError(
            _("Sub kegiatan sebuah rincian tidak dapat dipindah."), field="plan_entry"
        )
    before = line_snapshot(line)
    line.rka = rka
    line = _apply(line, data, tahun=rka.versi.tahun.tahun)
    _ceilings_check(line, rka.versi, rka)
    line.save()
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_LINE_UPDATED,
        target=line,
        changes={"sebelum": before, "sesudah": line_snapshot(line)},
    )
    return line


@transaction.atomic
def line_delete(*, actor: Any, line: Rincian) -> None:
    rka = rka_locked(line.rka_id)
    opd_check(actor, rka.opd.kode, *roles.DRAFTERS)
    rka_editable(rka)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_LINE_DELETED,
        target=line,
        changes=line_snapshot(line),
    )
    line.delete()
    if not rka.rincian.exists():
        rka.delete()  # an RKA without lines is no RKA: nothing left to verify
