"""Reads of standard-price requests and of an item's price history."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.access.roles import (
    OBSERVER_ROLES,
    is_support_session,
    user_has_role,
    user_opd_codes,
)
from apps.reference.models import (
    PersetujuanHarga,
    Rekening,
    RiwayatHarga,
    StandarHarga,
    UsulanHarga,
)
from apps.reference.usulan.roles import DECIDERS, PROPOSERS, READERS


def usulan_visible(
    *,
    user: Any,
    status: str | None = None,
    jenis_usulan: str | None = None,
    opd: str | None = None,
    q: str | None = None,
) -> QuerySet[UsulanHarga]:
    """Requests the user may read: every one for deciders, readers and observers; an OPD's
    operator or kepala only their own OPD's."""
    rows = UsulanHarga.objects.select_related(
        "opd", "daftar", "standar_harga", "lampiran"
    ).prefetch_related(
        Prefetch("rekening", queryset=Rekening.objects.order_by("kode")),
        Prefetch("persetujuan", queryset=PersetujuanHarga.objects.order_by("pada", "id")),
    )
    sees_all = is_support_session(user) or user_has_role(user, *DECIDERS, *READERS, *OBSERVER_ROLES)
    if not sees_all:
        rows = rows.filter(opd__kode__in=sorted(user_opd_codes(user, *PROPOSERS)))
    if status:
        rows = rows.filter(status=status)
    if jenis_usulan:
        rows = rows.filter(jenis_usulan=jenis_usulan)
    if opd:
        rows = rows.filter(opd__kode=opd)
    if q:
        q = q.strip()
        rows = rows.filter(Q(nomor__iexact=q) | Q(kode__startswith=q) | Q(uraian__icontains=q))
    return rows.order_by("-diajukan_pada", "-id")


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's price history; `usulan` is None for the imported price."""

    perubahan: str
    label: str
    harga_lama: Decimal | None
    harga_baru: Decimal
    rekening: str | None
    berlaku_mulai: datetime
    usulan: str | None


def _entry(row: RiwayatHarga) -> HistoryEntry:
    return HistoryEntry(
        perubahan=row.perubahan,
        label=str(row.get_perubahan_display()),
        harga_lama=row.harga_lama,
        harga_baru=row.harga_baru,
        rekening=row.rekening.kode if row.rekening else None,
        berlaku_mulai=row.berlaku_mulai,
        usulan=row.usulan.nomor if row.usulan else None,
    )


def standar_harga_get(*, pk: int) -> StandarHarga | None:
    return (
        StandarHarga.objects.select_related("daftar")
        .prefetch_related(Prefetch("rekening", queryset=Rekening.objects.order_by("kode")))
        .filter(pk=pk)
        .first()
    )


def riwayat_harga(*, item: StandarHarga) -> list[HistoryEntry]:
    """Every price the item had, oldest first. An imported item's first entry is read from the
    import itself (its list's date, and the price before the first approved change), so a
    list of 18,000 items needs no history rows to be readable."""
    rows = list(
        RiwayatHarga.objects.filter(standar_harga=item)
        .select_related("rekening", "usulan")
        .order_by("berlaku_mulai", "id")
    )
    entries = [_entry(row) for row in rows]
    if rows and rows[0].perubahan == RiwayatHarga.Perubahan.ITEM_BARU:
        return entries
    first_price = next(
        (r.harga_lama for r in rows if r.perubahan == RiwayatHarga.Perubahan.HARGA),
        None,
    )
    imported = HistoryEntry(
        perubahan="impor",
        label=_("Harga saat daftar diimpor"),
        harga_lama=None,
        harga_baru=first_price if first_price is not None else item.harga,
        rekening=None,
        berlaku_mulai=item.daftar.dibuat_pada,
        usulan=None,
    )
    return [imported, *entries]


def standar_harga_other_lists(*, item: StandarHarga) -> QuerySet[StandarHarga]:
    """The same code in the region's other price lists (earlier years and versions)."""
    return (
        StandarHarga.objects.filter(kode=item.kode)
        .exclude(pk=item.pk)
        .select_related("daftar")
        .order_by("-daftar__tahun", "-daftar__versi")
    )
