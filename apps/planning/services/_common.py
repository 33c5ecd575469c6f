"""Shared checks: whole-rupiah amounts, open stages, OPD and wilayah scope."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.access.roles import (
    is_support_session,
    missing_role_message,
    opd_scope_allows,
    user_has_role,
    wilayah_scope_allows,
)
from apps.planning.errors import PlanningError, PlanningForbidden, StageClosedError
from apps.planning.models import Stage

K = Stage.Kind
# Which stages allow which writes: any one of them open suffices.
WRITE_STAGES: dict[str, tuple[str, ...]] = {
    "usulan": (K.MUSRENBANG_DESA,),
    "pokir": (K.MUSRENBANG_DESA, K.MUSRENBANG_KECAMATAN),
    "kecamatan": (K.MUSRENBANG_KECAMATAN,),
    "kabkota": (K.MUSRENBANG_KABKOTA,),
    "rencana": (K.FORUM_OPD, K.RKPD_AWAL, K.RKPD_RANCANGAN, K.RKPD_AKHIR, K.RENJA_RANCANGAN),
    "pagu": (K.RKPD_AWAL, K.RKPD_RANCANGAN, K.RKPD_AKHIR),
    "lampir": (K.FORUM_OPD, K.RKPD_AWAL, K.RKPD_RANCANGAN),
    "renja": (K.RENJA_RANCANGAN, K.RENJA_FINAL),
}
MAX_RUPIAH = Decimal(10) ** 17


def rupiah(value: Any, *, field: str) -> Decimal:
    """A whole, non-negative rupiah amount; anything else is refused naming `field`."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PlanningError(_("Nilai rupiah tidak valid."), field=field) from None
    if not amount.is_finite():
        raise PlanningError(_("Nilai rupiah tidak valid."), field=field)
    if amount < 0:
        raise PlanningError(_("Nilai rupiah tidak boleh negatif."), field=field)
    if amount != amount.to_integral_value():
        raise PlanningError(_("Nilai rupiah harus bilangan bulat (tanpa sen)."), field=field)
    if amount >= MAX_RUPIAH:
        raise PlanningError(_("Nilai rupiah terlalu besar."), field=field)
    return amount.quantize(Decimal(1))


def quantity(value: Any, *, field: str, positive: bool = False) -> Decimal:
    """A target or volume: at most two decimals, not negative (not zero with `positive`)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise PlanningError(_("Angka tidak valid."), field=field) from None
    if not amount.is_finite() or amount >= Decimal(10) ** 15:
        raise PlanningError(_("Angka tidak valid."), field=field)
    if amount < 0 or (positive and amount == 0):
        raise PlanningError(_("Angka harus lebih besar dari nol."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise PlanningError(_("Angka paling banyak dua desimal."), field=field)
    return amount.quantize(Decimal("0.01"))


def stage_label(stage: Stage) -> str:
    return _("%(stage)s %(year)s (%(start)s s.d. %(end)s)") % {
        "stage": stage.get_jenis_display(),
        "year": stage.tahun,
        "start": date_format(stage.dibuka_pada, "j N Y"),
        "end": date_format(stage.ditutup_pada, "j N Y"),
    }


def stage_is_open(stage: Stage) -> bool:
    today = timezone.localdate()
    return stage.status == Stage.State.OPEN and stage.dibuka_pada <= today <= stage.ditutup_pada


def stage_require(*, write: str, tahun: int) -> Stage:
    """The open stage that allows `write` in `tahun`; else a refusal naming the stage and dates."""
    kinds = WRITE_STAGES[write]
    stages = list(Stage.objects.filter(tahun=tahun, jenis__in=kinds))
    for stage in stages:
        if stage_is_open(stage):
            return stage
    if not stages:
        names = ", ".join(str(Stage.Kind(k).label) for k in kinds)
        raise StageClosedError(
            _("Tahap %(stages)s tahun %(year)s belum dijadwalkan.")
            % {"stages": names, "year": tahun},
            field="tahap",
        )
    stages.sort(key=lambda s: kinds.index(s.jenis))
    raise StageClosedError(
        _("Tahap %(stage)s tidak sedang dibuka.") % {"stage": stage_label(stages[0])},
        field="tahap",
    )


def writer_check(actor: Any) -> None:
    if is_support_session(actor):
        raise PlanningForbidden(
            _("Akses dukungan hanya dapat membaca data; perubahan ditolak."), field="role"
        )


def role_check(actor: Any, *roles: str) -> None:
    """The actor is a region user holding one of `roles` (a support session, a system label or
    anyone else is refused, naming the roles): checked before anything is written."""
    writer_check(actor)
    if not user_has_role(actor, *roles):
        raise PlanningForbidden(missing_role_message(roles), field="role")


def opd_check(actor: Any, opd_kode: str, *roles: str) -> None:
    """The actor holds one of `roles`; OPD-bound writers reach only their own OPD."""
    role_check(actor, *roles)
    if not opd_scope_allows(actor, opd_kode, *roles):
        raise PlanningForbidden(
            _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {"opd": opd_kode},
            field="opd",
        )


def wilayah_check(actor: Any, desa_kode: str, *roles: str) -> None:
    """Desa and kecamatan operators reach only their own place."""
    writer_check(actor)
    if not wilayah_scope_allows(actor, desa_kode, *roles):
        raise PlanningForbidden(
            _("Akses ditolak: desa/kelurahan %(desa)s di luar wilayah tugas Anda.")
            % {"desa": desa_kode},
            field="desa",
        )
