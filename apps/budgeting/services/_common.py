"""Shared checks of e-budgeting: amounts and volumes, roles and OPD scope, the year's versions,
the enacted RKPD and the standard-price list in force."""

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from apps.access.roles import (
    is_support_session,
    missing_role_message,
    opd_scope_allows,
    user_has_role,
)
from apps.budgeting.errors import BudgetError, BudgetForbidden, BudgetLockedError, BudgetNotFound
from apps.budgeting.formatting import rupiah_sen
from apps.budgeting.models import TahunAnggaran, Versi
from apps.planning.models import Snapshot, Stage
from apps.reference.models import DaftarHarga, PerangkatDaerah, Rekening

SEN = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 17
PPN_RATE = Decimal("0.11")  # UU 7/2021 (HPP): 11% since 1 April 2022


def amount(value: Any, *, field: str) -> Decimal:
    """A non-negative rupiah amount with at most two decimals (sen)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise BudgetError(_("Nilai rupiah tidak valid."), field=field) from None
    if not number.is_finite() or number >= MAX_AMOUNT:
        raise BudgetError(_("Nilai rupiah tidak valid."), field=field)
    if number < 0:
        raise BudgetError(_("Nilai rupiah tidak boleh negatif."), field=field)
    if number != number.quantize(SEN):
        raise BudgetError(_("Nilai rupiah paling banyak dua desimal (sen)."), field=field)
    return number.quantize(SEN)


def volume(value: Any, *, field: str) -> Decimal:
    """A volume factor: greater than zero, at most two decimals."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise BudgetError(_("Volume tidak valid."), field=field) from None
    if not number.is_finite() or number >= Decimal(10) ** 11:
        raise BudgetError(_("Volume tidak valid."), field=field)
    if number <= 0:
        raise BudgetError(
            _("Volume harus lebih besar dari nol (diisi %(value)s).") % {"value": number},
            field=field,
        )
    if number != number.quantize(SEN):
        raise BudgetError(_("Volume paling banyak dua desimal."), field=field)
    return number.quantize(SEN)


def line_total(*, volume: Decimal, harga: Decimal, ppn: bool) -> Decimal:
    """volume x unit price, plus PPN where due, rounded half up to the sen."""
    total = volume * harga
    if ppn:
        total += total * PPN_RATE
    return total.quantize(SEN, rounding=ROUND_HALF_UP)


def text(value: Any, *, field: str, limit: int, required: bool = True) -> str:
    cleaned = str(value or "").strip()
    if required and not cleaned:
        raise BudgetError(_("Wajib diisi."), field=field)
    if len(cleaned) > limit or "\x00" in cleaned:
        raise BudgetError(_("Paling banyak %(n)d karakter.") % {"n": limit}, field=field)
    return cleaned


def writer_check(actor: Any, *roles: str) -> None:
    if is_support_session(actor):
        raise BudgetForbidden(
            _("Akses dukungan hanya dapat membaca data; perubahan ditolak."), field="role"
        )
    if roles and not user_has_role(actor, *roles):
        raise BudgetForbidden(missing_role_message(roles), field="role")


def opd_check(actor: Any, opd_kode: str, *roles: str) -> None:
    """The actor holds one of `roles`; OPD-bound roles reach only their own OPD."""
    writer_check(actor, *roles)
    if not opd_scope_allows(actor, opd_kode, *roles):
        raise BudgetForbidden(
            _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {"opd": opd_kode},
            field="opd",
        )


def opd_get(kode: str) -> PerangkatDaerah:
    row = PerangkatDaerah.objects.filter(kode=str(kode or "").strip()[:64]).first()
    if row is None:
        raise BudgetError(_("OPD %(kode)s tidak dikenal.") % {"kode": kode}, field="opd")
    return row


def year_get(tahun: int) -> TahunAnggaran:
    row = TahunAnggaran.objects.filter(tahun=tahun).first()
    if row is None:
        raise BudgetNotFound(
            _("Tahun anggaran %(year)s belum dibuka.") % {"year": tahun}, field="tahun"
        )
    return row


def draft_version(tahun: int, *, lock: bool = False) -> Versi:
    """The year's version being prepared; refused when there is none (all enacted)."""
    rows = Versi.objects.filter(tahun__tahun=tahun, status=Versi.Status.DRAFT)
    version = (rows.select_for_update() if lock else rows).first()
    if version is None:
        raise BudgetLockedError(
            _(
                "Tidak ada APBD tahun %(year)s yang sedang disusun: APBD yang telah ditetapkan "
                "hanya dapat diubah melalui pergeseran atau APBD-Perubahan."
            )
            % {"year": tahun},
            field="versi",
        )
    return version


def version_editable(version: Versi) -> None:
    if version.status != Versi.Status.DRAFT:
        raise BudgetLockedError(
            _("%(versi)s tahun %(year)s telah ditetapkan dan terkunci; perubahan ditolak.")
            % {"versi": version.label, "year": version.tahun.tahun},
            field="versi",
        )


def latest_enacted(tahun: int) -> Versi | None:
    return (
        Versi.objects.filter(tahun__tahun=tahun, status=Versi.Status.ENACTED)
        .select_related("tahun")
        .order_by("-ditetapkan_pada", "-id")
        .first()
    )


_RKPD_CACHE: dict[str, frozenset[int]] = {}


def rkpd_enacted_ids(tahun: int) -> frozenset[int]:
    """Ids of the PlanEntry rows frozen in the year's closed RKPD penetapan snapshot (empty when
    the RKPD is not enacted). Parsed once per snapshot digest."""
    snapshot = (
        Snapshot.objects.filter(
            stage__tahun=tahun,
            stage__jenis=Stage.Kind.RKPD_PENETAPAN,
            stage__status=Stage.State.CLOSED,
        )
        .only("sha256")
        .first()
    )
    if snapshot is None:
        return frozenset()
    cached = _RKPD_CACHE.get(snapshot.sha256)
    if cached is None:
        isi = Snapshot.objects.filter(pk=snapshot.pk).values_list("isi", flat=True).get()
        cached = frozenset(int(row["id"]) for row in json.loads(isi).get("entri", []))
        _RKPD_CACHE[snapshot.sha256] = cached
    return cached


def price_list_in_force(tahun: int) -> DaftarHarga | None:
    """The year's enacted price list, else the newest enacted list of any year."""
    lists = DaftarHarga.objects.filter(status=DaftarHarga.Status.BERLAKU)
    return (
        lists.filter(tahun=tahun).order_by("-versi").first()
        or lists.order_by("-tahun", "-versi").first()
    )


def account_get(kode: str, *, field: str, akun: str) -> Rekening:
    """An account at sub rincian objek level under `akun` (4 revenue, 5 spending, 6 financing)."""
    kode = str(kode or "").strip()[:40]
    row = Rekening.objects.filter(kode=kode).first()
    if row is None or row.retired_at is not None:
        raise BudgetError(_("Kode rekening %(kode)s tidak dikenal.") % {"kode": kode}, field=field)
    if row.tingkat != Rekening.Level.SUB_RINCIAN_OBJEK:
        raise BudgetError(
            _(
                "Rekening %(kode)s berada pada tingkat %(level)s; rincian harus memakai rekening "
                "tingkat sub rincian objek."
            )
            % {"kode": kode, "level": row.get_tingkat_display().lower()},
            field=field,
        )
    if not kode.startswith(akun + "."):
        raise BudgetError(
            _("Rekening %(kode)s bukan rekening akun %(akun)s.") % {"kode": kode, "akun": akun},
            field=field,
        )
    return row


def over_ceiling(*, what: str, total: Decimal, pagu: Decimal, field: str) -> BudgetError:
    return BudgetError(
        _("Jumlah %(what)s menjadi %(total)s, melebihi pagu %(pagu)s.")
        % {"what": what, "total": rupiah_sen(total), "pagu": rupiah_sen(pagu)},
        field=field,
    )
