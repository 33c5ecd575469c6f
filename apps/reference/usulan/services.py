"""Writes of standard-price requests, each audited in the caller's transaction.

A request changes nothing in the price list until BPKAD and TAPD have both approved it, by two
different people; the second approval applies it (new item, new price or new allowed account)
to the list in force and writes the item's history (RiwayatHarga) in the same transaction.
Budget lines copy an item's code, name, unit and price when they are priced, so a change here
never touches an existing line.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.roles import (
    is_support_session,
    missing_role_message,
    opd_scope_allows,
    support_read_only_message,
    user_has_role,
)
from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.files.services import file_store
from apps.files.validation import upload_check
from apps.reference.errors import UsulanHargaConflict, UsulanHargaError, UsulanHargaForbidden
from apps.reference.models import (
    DaftarHarga,
    PerangkatDaerah,
    PersetujuanHarga,
    Rekening,
    RiwayatHarga,
    StandarHarga,
    StandarHargaRekening,
    UsulanHarga,
)
from apps.reference.selectors import daftar_harga_current
from apps.reference.usulan.files import OWNER_APP, USULAN_OWNER
from apps.reference.usulan.roles import APPROVERS, DECIDERS, PROPOSERS

J = UsulanHarga.Jenis
MAX_HARGA = Decimal(10) ** 16
MAX_REKENING = 20
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class UsulanInput:
    """What an OPD proposes; `item` is the code of an existing item of the list in force."""

    jenis_usulan: str
    opd: str
    alasan: str
    item: str = ""
    jenis_standar: str = ""
    kode: str = ""
    uraian: str = ""
    spesifikasi: str = ""
    satuan: str = ""
    harga: Any = None
    rekening: list[str] = field(default_factory=list)


def _writer(actor: Any) -> None:
    if is_support_session(actor):
        raise UsulanHargaForbidden(support_read_only_message(), field="role")


def _text(value: Any, *, field: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise UsulanHargaError(_("Bagian ini wajib diisi."), field=field)
    if len(text) > limit:
        raise UsulanHargaError(_("Paling banyak %(n)d karakter.") % {"n": limit}, field=field)
    return text


def harga_check(value: Any, *, field: str = "harga") -> Decimal:
    """A unit price in rupiah: more than zero, at most two decimals (sen)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise UsulanHargaError(_("Harga tidak valid."), field=field) from None
    if value is None or str(value).strip() == "" or not amount.is_finite():
        raise UsulanHargaError(_("Harga tidak valid."), field=field)
    if amount <= 0:
        raise UsulanHargaError(
            _("Harga harus lebih besar dari nol (diisi %(harga)s).") % {"harga": value},
            field=field,
        )
    if amount >= MAX_HARGA or amount != amount.quantize(Decimal("0.01")):
        raise UsulanHargaError(
            _("Harga paling banyak dua desimal dan kurang dari 10^16."), field=field
        )
    return amount.quantize(Decimal("0.01"))


def rekening_check(codes: list[str], *, field: str = "rekening") -> list[Rekening]:
    """Current belanja accounts (5.x) at sub rincian objek level, at least one; each refusal
    names the code."""
    wanted = list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))
    if not wanted:
        raise UsulanHargaError(_("Pilih paling sedikit satu kode rekening."), field=field)
    if len(wanted) > MAX_REKENING:
        raise UsulanHargaError(
            _("Paling banyak %(n)d kode rekening.") % {"n": MAX_REKENING}, field=field
        )
    found = {r.kode: r for r in Rekening.objects.filter(kode__in=[c[:40] for c in wanted])}
    for code in wanted:
        row = found.get(code)
        if row is None:
            message = _("Kode rekening %(kode)s tidak dikenal.")
        elif row.retired:
            message = _("Kode rekening %(kode)s sudah tidak berlaku.")
        elif not code.startswith("5."):
            message = _("Kode rekening %(kode)s bukan rekening belanja (5).")
        elif row.tingkat != Rekening.Level.SUB_RINCIAN_OBJEK:
            message = _(
                "Kode rekening %(kode)s bukan tingkat sub rincian objek; standar harga hanya "
                "boleh pada rekening sub rincian objek."
            )
        else:
            continue
        raise UsulanHargaError(message % {"kode": code[:40]}, field=field)
    return [found[c] for c in wanted]


def _daftar_in_force() -> DaftarHarga:
    daftar = daftar_harga_current()
    if daftar is None:
        raise UsulanHargaError(
            _("Belum ada daftar standar harga yang berlaku di daerah ini."), field="daftar"
        )
    return daftar


def _item(daftar: DaftarHarga, kode: str) -> StandarHarga:
    item = StandarHarga.objects.filter(daftar=daftar, kode=kode.strip()[:40]).first()
    if item is None:
        raise UsulanHargaError(
            _("Item %(kode)s tidak ada di daftar standar harga %(tahun)s yang berlaku.")
            % {"kode": kode.strip()[:40], "tahun": daftar.tahun},
            field="item",
        )
    if item.retired:
        raise UsulanHargaError(
            _("Item %(kode)s sudah tidak berlaku.") % {"kode": item.kode}, field="item"
        )
    return item


def _kode_free(daftar: DaftarHarga, kode: str) -> None:
    if StandarHarga.objects.filter(daftar=daftar, kode=kode).exists():
        raise UsulanHargaError(
            _("Kode %(kode)s sudah ada di daftar standar harga %(tahun)s.")
            % {"kode": kode, "tahun": daftar.tahun},
            field="kode",
        )
    open_request = UsulanHarga.objects.filter(
        daftar=daftar, kode=kode, jenis_usulan=J.ITEM_BARU, status=UsulanHarga.Status.DIAJUKAN
    ).first()
    if open_request is not None:
        raise UsulanHargaError(
            _("Kode %(kode)s sudah diusulkan dalam usulan %(nomor)s yang belum diputus.")
            % {"kode": kode, "nomor": open_request.nomor},
            field="kode",
        )


def _opd(actor: Any, kode: str) -> PerangkatDaerah:
    opd = PerangkatDaerah.objects.filter(kode=str(kode).strip()[:40], retired_at=None).first()
    if opd is None:
        raise UsulanHargaError(
            _("OPD %(kode)s tidak dikenal.") % {"kode": str(kode)[:40]}, field="opd"
        )
    if not user_has_role(actor, *PROPOSERS):
        raise UsulanHargaForbidden(missing_role_message(PROPOSERS), field="role")
    if not opd_scope_allows(actor, opd.kode, *PROPOSERS):
        raise UsulanHargaForbidden(
            _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {"opd": opd.kode},
            field="opd",
        )
    return opd


def _fill(usulan: UsulanHarga, data: UsulanInput) -> list[Rekening]:
    """Check the kind's fields into `usulan`; the accounts it will add (none for a price)."""
    daftar = usulan.daftar
    if data.jenis_usulan == J.ITEM_BARU:
        if data.jenis_standar not in StandarHarga.Jenis.values:
            raise UsulanHargaError(
                _("Jenis standar harga harus SSH, HSPK, ASB atau SBU."), field="jenis_standar"
            )
        usulan.jenis_standar = data.jenis_standar
        usulan.kode = _text(data.kode, field="kode", limit=40)
        _kode_free(daftar, usulan.kode)
        usulan.uraian = _text(data.uraian, field="uraian", limit=2000)
        usulan.spesifikasi = _text(
            data.spesifikasi, field="spesifikasi", limit=2000, required=False
        )
        usulan.satuan = _text(data.satuan, field="satuan", limit=40)
        usulan.harga = harga_check(data.harga)
        return rekening_check(data.rekening)
    item = _item(daftar, data.item)
    usulan.standar_harga, usulan.kode = item, item.kode
    usulan.uraian, usulan.satuan, usulan.jenis_standar = item.nama, item.satuan, item.jenis
    if data.jenis_usulan == J.HARGA_BARU:
        usulan.harga = harga_check(data.harga)
        usulan.harga_lama = item.harga
        if usulan.harga == item.harga:
            raise UsulanHargaError(
                _("Harga usulan sama dengan harga yang berlaku (%(harga)s).")
                % {"harga": item.harga},
                field="harga",
            )
        return []
    accounts = rekening_check(data.rekening)
    allowed = set(item.rekening.values_list("kode", flat=True))
    already = [r.kode for r in accounts if r.kode in allowed]
    if already:
        raise UsulanHargaError(
            _("Rekening %(kode)s sudah diizinkan untuk item %(item)s.")
            % {"kode": ", ".join(already), "item": item.kode},
            field="rekening",
        )
    return accounts


def _nomor(tahun: int) -> str:
    while True:
        nomor = f"USH-{tahun}-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))
        if not UsulanHarga.objects.filter(nomor=nomor).exists():
            return nomor


@transaction.atomic
def usulan_harga_create(*, actor: Any, data: UsulanInput, lampiran: Any = None) -> UsulanHarga:
    """An OPD's request (operator or kepala of that OPD). Every field and the document are
    checked before anything is stored; the price list is not touched."""
    _writer(actor)
    if data.jenis_usulan not in J.values:
        raise UsulanHargaError(
            _("Jenis usulan harus item baru, harga baru atau rekening baru."),
            field="jenis_usulan",
        )
    opd = _opd(actor, data.opd)
    daftar = _daftar_in_force()
    usulan = UsulanHarga(
        jenis_usulan=data.jenis_usulan,
        opd=opd,
        daftar=daftar,
        alasan=_text(data.alasan, field="alasan", limit=4000),
        diusulkan_oleh=actor if isinstance(actor, User) else None,
    )
    accounts = _fill(usulan, data)
    if lampiran is not None:
        upload_check(
            upload=lampiran, extensions=USULAN_OWNER.extensions, max_bytes=USULAN_OWNER.max_bytes
        )
        lampiran.seek(0)
    usulan.nomor = _nomor(daftar.tahun)
    usulan.save()
    usulan.rekening.set(accounts)
    if lampiran is not None:
        usulan.lampiran = file_store(upload=lampiran, owner_app=OWNER_APP, actor=actor)
        usulan.save(update_fields=["lampiran"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_PRICE_REQUEST_CREATED,
        target=usulan,
        changes={
            "nomor": usulan.nomor,
            "jenis": usulan.jenis_usulan,
            "opd": opd.kode,
            "kode": usulan.kode,
            "harga": str(usulan.harga) if usulan.harga is not None else None,
            "rekening": [r.kode for r in accounts],
        },
    )
    return usulan


def _open(usulan: UsulanHarga) -> UsulanHarga:
    """The request locked for a decision; refused unless still undecided."""
    locked = UsulanHarga.objects.select_for_update().select_related("opd").get(pk=usulan.pk)
    if locked.status != UsulanHarga.Status.DIAJUKAN:
        raise UsulanHargaConflict(
            _("Usulan %(nomor)s sudah %(status)s; keputusan tidak dapat diubah.")
            % {"nomor": locked.nomor, "status": locked.get_status_display().lower()},
            field="status",
        )
    return locked


def _approval_role(actor: Any, usulan: UsulanHarga, peran: str | None) -> str:
    """The approval the actor gives: refused for a wrong role, a role already approved, or a
    person who already gave the other approval (even holding both roles)."""
    held = [approval for role, approval in APPROVERS.items() if user_has_role(actor, role)]
    if not held:
        raise UsulanHargaForbidden(missing_role_message(DECIDERS), field="role")
    given = list(usulan.persetujuan.all())
    mine = next((p for p in given if p.oleh_id == getattr(actor, "pk", None)), None)
    if mine is not None:
        raise UsulanHargaForbidden(
            _(
                "Anda sudah memberikan persetujuan %(peran)s atas usulan %(nomor)s; persetujuan "
                "kedua harus diberikan orang lain."
            )
            % {"peran": mine.get_peran_display(), "nomor": usulan.nomor},
            field="persetujuan",
        )
    done = {p.peran: p for p in given}
    if peran:
        if peran not in held:
            roles = [r for r, a in APPROVERS.items() if a == peran] or list(DECIDERS)
            raise UsulanHargaForbidden(missing_role_message(roles), field="peran")
        candidates = [peran]
    else:
        candidates = [str(approval) for approval in held]
    for candidate in candidates:
        if candidate not in done:
            return candidate
    first = done[candidates[0]]
    raise UsulanHargaConflict(
        _("Persetujuan %(peran)s atas usulan %(nomor)s sudah diberikan oleh %(oleh)s.")
        % {"peran": first.get_peran_display(), "nomor": usulan.nomor, "oleh": first.oleh_label},
        field="peran",
    )


@transaction.atomic
def usulan_harga_approve(
    *, actor: Any, usulan: UsulanHarga, peran: str | None = None, catatan: str = ""
) -> UsulanHarga:
    """BPKAD's or TAPD's approval; the second one (by another person) applies the request to
    the price list in force."""
    _writer(actor)
    usulan = _open(usulan)
    approval = _approval_role(actor, usulan, peran)
    PersetujuanHarga.objects.create(
        usulan=usulan,
        peran=approval,
        oleh=actor,
        oleh_label=str(getattr(actor, "email", "") or actor)[:255],
        catatan=_text(catatan, field="catatan", limit=4000, required=False),
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_PRICE_REQUEST_APPROVED,
        target=usulan,
        changes={"nomor": usulan.nomor, "peran": approval},
    )
    if usulan.persetujuan.count() == len(APPROVERS):
        _apply(actor, usulan)
    return usulan


def _item_in_force(usulan: UsulanHarga) -> StandarHarga:
    item = (
        StandarHarga.objects.select_for_update()
        .select_related("daftar")
        .get(pk=int(usulan.standar_harga_id or 0))
    )
    if item.daftar.status != DaftarHarga.Status.BERLAKU or item.retired:
        raise UsulanHargaConflict(
            _("Item %(kode)s tidak lagi ada di daftar standar harga yang berlaku.")
            % {"kode": item.kode},
            field="item",
        )
    return item


def _apply_new_item(usulan: UsulanHarga, now: Any) -> list[RiwayatHarga]:
    daftar = DaftarHarga.objects.select_for_update().get(pk=_daftar_in_force().pk)
    if StandarHarga.objects.filter(daftar=daftar, kode=usulan.kode).exists():
        raise UsulanHargaConflict(
            _("Kode %(kode)s sudah ada di daftar standar harga %(tahun)s.")
            % {"kode": usulan.kode, "tahun": daftar.tahun},
            field="kode",
        )
    assert usulan.harga is not None
    item = StandarHarga.objects.create(
        daftar=daftar,
        kode=usulan.kode,
        nama=usulan.uraian,
        jenis=usulan.jenis_standar,
        spesifikasi=usulan.spesifikasi,
        satuan=usulan.satuan,
        harga=usulan.harga,
    )
    StandarHargaRekening.objects.bulk_create(
        StandarHargaRekening(standar_harga=item, rekening=r) for r in usulan.rekening.all()
    )
    daftar.jumlah += 1
    daftar.save(update_fields=["jumlah"])
    usulan.standar_harga = item
    return [
        RiwayatHarga(
            standar_harga=item,
            perubahan=RiwayatHarga.Perubahan.ITEM_BARU,
            harga_baru=usulan.harga,
            berlaku_mulai=now,
            usulan=usulan,
        )
    ]


def _apply_change(usulan: UsulanHarga, now: Any) -> list[RiwayatHarga]:
    item = _item_in_force(usulan)
    if usulan.jenis_usulan == J.HARGA_BARU:
        assert usulan.harga is not None
        usulan.harga_lama, item.harga = item.harga, usulan.harga
        item.save(update_fields=["harga"])
        return [
            RiwayatHarga(
                standar_harga=item,
                perubahan=RiwayatHarga.Perubahan.HARGA,
                harga_lama=usulan.harga_lama,
                harga_baru=item.harga,
                berlaku_mulai=now,
                usulan=usulan,
            )
        ]
    allowed = set(item.rekening.values_list("pk", flat=True))
    accounts = [r for r in usulan.rekening.all() if r.pk not in allowed]
    if not accounts:
        raise UsulanHargaConflict(
            _("Semua rekening usulan %(nomor)s sudah diizinkan untuk item %(kode)s.")
            % {"nomor": usulan.nomor, "kode": item.kode},
            field="rekening",
        )
    StandarHargaRekening.objects.bulk_create(
        StandarHargaRekening(standar_harga=item, rekening=r) for r in accounts
    )
    return [
        RiwayatHarga(
            standar_harga=item,
            perubahan=RiwayatHarga.Perubahan.REKENING,
            harga_lama=item.harga,
            harga_baru=item.harga,
            rekening=r,
            berlaku_mulai=now,
            usulan=usulan,
        )
        for r in accounts
    ]


def _apply(actor: Any, usulan: UsulanHarga) -> None:
    """Make the approved request effective and record the item's history."""
    now = timezone.now()
    if usulan.jenis_usulan == J.ITEM_BARU:
        history = _apply_new_item(usulan, now)
    else:
        history = _apply_change(usulan, now)
    RiwayatHarga.objects.bulk_create(history)
    usulan.status = UsulanHarga.Status.DISETUJUI
    usulan.diputus_pada = now
    usulan.save(update_fields=["status", "diputus_pada", "standar_harga", "harga_lama"])
    item = history[0].standar_harga
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_PRICE_REQUEST_APPLIED,
        target=item,
        changes={
            "nomor": usulan.nomor,
            "jenis": usulan.jenis_usulan,
            "kode": item.kode,
            "daftar": item.daftar_id,
            "harga_lama": str(history[0].harga_lama) if history[0].harga_lama else None,
            "harga_baru": str(history[0].harga_baru),
            "rekening": [h.rekening.kode for h in history if h.rekening is not None],
        },
    )


@transaction.atomic
def usulan_harga_reject(*, actor: Any, usulan: UsulanHarga, alasan: str) -> UsulanHarga:
    """BPKAD or TAPD rejects an undecided request with a reason; nothing else changes."""
    _writer(actor)
    if not user_has_role(actor, *DECIDERS):
        raise UsulanHargaForbidden(missing_role_message(DECIDERS), field="role")
    usulan = _open(usulan)
    usulan.alasan_penolakan = _text(alasan, field="alasan", limit=4000)
    usulan.status = UsulanHarga.Status.DITOLAK
    usulan.ditolak_oleh = actor
    usulan.diputus_pada = timezone.now()
    usulan.save(update_fields=["alasan_penolakan", "status", "ditolak_oleh", "diputus_pada"])
    audit_record(
        actor=actor,
        action=AuditAction.REFERENCE_PRICE_REQUEST_REJECTED,
        target=usulan,
        changes={"nomor": usulan.nomor, "alasan": usulan.alasan_penolakan},
    )
    return usulan
