"""The fiscal year and its KUA-PPAS: ceilings per OPD and per sub kegiatan (from the enacted
RKPD's pagu), revenue targets (4.x) and financing (6.x) of the version being prepared."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.budgeting import roles
from apps.budgeting.errors import BudgetError
from apps.budgeting.formatting import rupiah_sen
from apps.budgeting.models import (
    PaguOpd,
    PaguSubKegiatan,
    Pembiayaan,
    Pendapatan,
    TahunAnggaran,
    Versi,
)
from apps.budgeting.services._common import (
    account_get,
    amount,
    draft_version,
    opd_get,
    rkpd_enacted_ids,
    text,
    version_editable,
    writer_check,
    year_get,
)
from apps.planning.models import PlanEntry


@transaction.atomic
def year_open(*, actor: Any, tahun: int) -> Versi:
    """Open a fiscal year with its APBD murni draft; the year's RKPD must be enacted."""
    writer_check(actor, *roles.TREASURY)
    if not 2000 <= tahun <= 2100:
        raise BudgetError(_("Tahun di luar rentang 2000-2100."), field="tahun")
    if TahunAnggaran.objects.filter(tahun=tahun).exists():
        raise BudgetError(
            _("Tahun anggaran %(year)s sudah dibuka.") % {"year": tahun}, field="tahun"
        )
    if not rkpd_enacted_ids(tahun):
        raise BudgetError(
            _("RKPD tahun %(year)s belum ditetapkan (tahap RKPD penetapan belum ditutup).")
            % {"year": tahun},
            field="tahun",
        )
    year = TahunAnggaran.objects.create(tahun=tahun)
    version = Versi.objects.create(tahun=year, jenis=Versi.Jenis.MURNI)
    audit_record(
        actor=actor, action=AuditAction.BUDGET_YEAR_OPENED, target=version, changes={"tahun": tahun}
    )
    return version


@transaction.atomic
def ceilings_from_rkpd(*, actor: Any, tahun: int) -> int:
    """KUA-PPAS ceilings taken from the enacted RKPD: each sub kegiatan its pagu indikatif, each
    OPD the sum of its own. Existing ceilings are replaced; returns the sub kegiatan count."""
    writer_check(actor, *roles.TREASURY)
    year = year_get(tahun)
    ids = rkpd_enacted_ids(tahun)
    entries = list(PlanEntry.objects.filter(pk__in=ids).values_list("pk", "opd_id", "pagu"))
    per_opd: dict[int, Decimal] = {}
    for _pk, opd_id, pagu in entries:
        per_opd[opd_id] = per_opd.get(opd_id, Decimal(0)) + pagu
    PaguSubKegiatan.objects.filter(tahun=year).delete()
    PaguSubKegiatan.objects.bulk_create(
        PaguSubKegiatan(tahun=year, plan_entry_id=pk, pagu=pagu) for pk, _opd, pagu in entries
    )
    PaguOpd.objects.filter(tahun=year).delete()
    PaguOpd.objects.bulk_create(
        PaguOpd(tahun=year, opd_id=opd_id, pagu=pagu) for opd_id, pagu in per_opd.items()
    )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_CEILINGS_SET,
        target=year,
        changes={
            "tahun": tahun,
            "sub_kegiatan": len(entries),
            "opd": len(per_opd),
            "total": str(sum(per_opd.values(), Decimal(0))),
        },
    )
    return len(entries)


@transaction.atomic
def ceiling_opd_set(*, actor: Any, tahun: int, opd: str, pagu: Any) -> PaguOpd:
    """Set one OPD's ceiling; it may not fall below what the draft version already budgets."""
    writer_check(actor, *roles.TREASURY)
    year = year_get(tahun)
    opd_row = opd_get(opd)
    value = amount(pagu, field="pagu")
    version = Versi.objects.filter(tahun=year, status=Versi.Status.DRAFT).first()
    if version is not None:
        used = version.rincian.filter(rka__opd=opd_row).aggregate(s=Sum("jumlah"))["s"] or 0
        if value < used:
            raise BudgetError(
                _("Pagu %(pagu)s lebih kecil dari belanja OPD yang sudah dianggarkan %(used)s.")
                % {"pagu": rupiah_sen(value), "used": rupiah_sen(used)},
                field="pagu",
            )
    ceiling, _created = PaguOpd.objects.update_or_create(
        tahun=year, opd=opd_row, defaults={"pagu": value}
    )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_CEILINGS_SET,
        target=ceiling,
        changes={"tahun": tahun, "opd": opd_row.kode, "pagu": str(value)},
    )
    return ceiling


@transaction.atomic
def revenue_add(
    *, actor: Any, tahun: int, opd: str, rekening: str, jumlah: Any, uraian: str = ""
) -> Pendapatan:
    """A revenue target of an OPD on a 4.x sub rincian objek account, in the draft version."""
    writer_check(actor, *roles.TREASURY)
    version = draft_version(tahun, lock=True)
    row = Pendapatan.objects.create(
        versi=version,
        opd=opd_get(opd),
        rekening=account_get(rekening, field="rekening", akun="4"),
        uraian=text(uraian, field="uraian", limit=300, required=False),
        jumlah=amount(jumlah, field="jumlah"),
    )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_REVENUE_SAVED,
        target=row,
        changes={"rekening": row.rekening.kode, "opd": row.opd.kode, "jumlah": str(row.jumlah)},
    )
    return row


@transaction.atomic
def financing_add(
    *, actor: Any, tahun: int, rekening: str, jumlah: Any, uraian: str = ""
) -> Pembiayaan:
    """A financing receipt (6.1) or expenditure (6.2) in the draft version."""
    writer_check(actor, *roles.TREASURY)
    version = draft_version(tahun, lock=True)
    row = Pembiayaan.objects.create(
        versi=version,
        rekening=account_get(rekening, field="rekening", akun="6"),
        uraian=text(uraian, field="uraian", limit=300, required=False),
        jumlah=amount(jumlah, field="jumlah"),
    )
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_FINANCING_SAVED,
        target=row,
        changes={"rekening": row.rekening.kode, "jumlah": str(row.jumlah)},
    )
    return row


@transaction.atomic
def revenue_delete(*, actor: Any, row: Pendapatan | Pembiayaan) -> None:
    writer_check(actor, *roles.TREASURY)
    version_editable(row.versi)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_REVENUE_SAVED,
        target=row,
        changes={"dihapus": True, "rekening": row.rekening.kode, "jumlah": str(row.jumlah)},
    )
    row.delete()
