"""Service standards (the region's own copy of a reference permit type) and the region's days
off; kepala DPMPTSP edits both, every change audited and the previous standard kept."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.licensing.access import KEPALA, staff_require
from apps.licensing.errors import LicensingConflict, LicensingError, LicensingNotFound
from apps.licensing.models import FEE_STEPS, STEP_ORDER, HariLibur, Retribusi, StandarLayanan
from apps.reference.models import JenisIzin, PerangkatDaerah

ACCEPTED_TYPES = ("pdf", "png", "jpg")
MAX_KB = 10240
MAX_STEP_DAYS = 120
_KODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

EDITABLE = (
    "nama",
    "aktif",
    "persyaratan",
    "langkah",
    "retribusi_jenis",
    "retribusi_tetap",
    "retribusi_tarif",
    "retribusi_besaran",
    "opd_teknis",
    "masa_berlaku_bulan",
)


def _snapshot(standar: StandarLayanan) -> dict[str, Any]:
    return {
        name: str(getattr(standar, name))
        if isinstance(getattr(standar, name), Decimal)
        else getattr(standar, name)
        for name in EDITABLE
    }


def _default_steps(total: int) -> dict[str, int]:
    """Spread a reference total of working days over the steps (at least one day each)."""
    steps = {s: 1 for s in STEP_ORDER}
    steps["teknis"] = max(1, total - 5)
    return steps


def _requirements_check(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise LicensingError(
            _("Persyaratan dokumen harus berisi paling sedikit satu dokumen."), field="persyaratan"
        )
    clean = []
    for item in value:
        nama = str(item.get("nama", "")).strip() if isinstance(item, dict) else ""
        jenis = item.get("jenis") if isinstance(item, dict) else None
        if not nama or len(nama) > 300:
            raise LicensingError(
                _("Setiap persyaratan harus bernama (paling panjang 300 huruf)."),
                field="persyaratan",
            )
        if not isinstance(jenis, list) or not jenis or set(jenis) - set(ACCEPTED_TYPES):
            raise LicensingError(
                _("Jenis berkas persyaratan %(nama)s harus dari: %(jenis)s.")
                % {"nama": nama[:60], "jenis": ", ".join(ACCEPTED_TYPES)},
                field="persyaratan",
            )
        try:
            maks_kb = int(item.get("maks_kb", 2048))
        except (TypeError, ValueError):
            maks_kb = 0
        if not 1 <= maks_kb <= MAX_KB:
            raise LicensingError(
                _("Ukuran maksimum persyaratan %(nama)s harus 1 sampai %(max)s KB.")
                % {"nama": nama[:60], "max": MAX_KB},
                field="persyaratan",
            )
        clean.append(
            {
                "nama": nama,
                "wajib": bool(item.get("wajib", True)),
                "jenis": sorted(set(jenis)),
                "maks_kb": maks_kb,
            }
        )
    if len({c["nama"] for c in clean}) != len(clean):
        raise LicensingError(_("Nama persyaratan tidak boleh berulang."), field="persyaratan")
    return clean


def _steps_check(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise LicensingError(_("Tahapan harus diisi."), field="langkah")
    clean = {}
    for step in STEP_ORDER:
        try:
            days = int(value.get(step, 1 if step in FEE_STEPS else -1))
        except (TypeError, ValueError):
            days = -1
        if not 1 <= days <= MAX_STEP_DAYS:
            raise LicensingError(
                _("Lama tahap %(step)s harus 1 sampai %(max)s hari kerja.")
                % {"step": step, "max": MAX_STEP_DAYS},
                field="langkah",
            )
        clean[step] = days
    return clean


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise LicensingError(_("Nilai harus berupa angka."), field=field) from None
    if not number.is_finite() or number < 0 or number > Decimal("1e13"):
        raise LicensingError(_("Nilai harus angka 0 sampai 10 triliun."), field=field)
    return number


def _fee_check(standar: StandarLayanan) -> None:
    standar.retribusi_tetap = _decimal(standar.retribusi_tetap, "retribusi_tetap")
    standar.retribusi_tarif = _decimal(standar.retribusi_tarif, "retribusi_tarif")
    if standar.retribusi_jenis not in Retribusi.values:
        raise LicensingError(_("Jenis retribusi tidak dikenal."), field="retribusi_jenis")
    if standar.retribusi_jenis == Retribusi.FIXED and standar.retribusi_tetap <= 0:
        raise LicensingError(_("Tarif tetap harus lebih dari 0."), field="retribusi_tetap")
    if standar.retribusi_jenis == Retribusi.FORMULA:
        if standar.retribusi_tarif <= 0:
            raise LicensingError(_("Tarif rumus harus lebih dari 0."), field="retribusi_tarif")
        besaran = standar.retribusi_besaran
        if (
            not isinstance(besaran, list)
            or not besaran
            or not all(isinstance(b, dict) and _KODE.match(str(b.get("kode", ""))) for b in besaran)
        ):
            raise LicensingError(
                _("Rumus retribusi memerlukan besaran dengan kode huruf kecil, mis. luas_m2."),
                field="retribusi_besaran",
            )
        standar.retribusi_besaran = [
            {"kode": b["kode"], "label": str(b.get("label") or b["kode"])[:100]} for b in besaran
        ]
    else:
        standar.retribusi_besaran = []


def _opd_check(code: str) -> str:
    code = (code or "").strip()
    if code and not PerangkatDaerah.objects.filter(kode=code).exists():
        raise LicensingError(
            _("OPD teknis tidak dikenal: %(kode)s") % {"kode": code[:64]}, field="opd_teknis"
        )
    return code


@transaction.atomic
def standar_adopt(*, jenis_izin: JenisIzin, actor: Any) -> StandarLayanan:
    """The region's own standard of a reference permit type, started from the reference."""
    staff_require(actor, KEPALA)
    if not jenis_izin.berlaku or jenis_izin.retired:
        raise LicensingError(_("Jenis izin ini tidak berlaku lagi."), field="jenis_izin")
    if StandarLayanan.objects.filter(jenis_izin=jenis_izin).exists():
        raise LicensingConflict(
            _("Standar pelayanan jenis izin ini sudah ada."), field="jenis_izin"
        )
    persyaratan = [
        {"nama": str(n)[:300], "wajib": True, "jenis": ["pdf"], "maks_kb": 2048}
        for n in dict.fromkeys(jenis_izin.persyaratan or [])
        if str(n).strip()
    ] or [{"nama": "Surat permohonan", "wajib": True, "jenis": ["pdf"], "maks_kb": 2048}]
    standar = StandarLayanan.objects.create(
        jenis_izin=jenis_izin,
        kode=jenis_izin.kode,
        nama=jenis_izin.nama,
        sektor=jenis_izin.sektor,
        persyaratan=persyaratan,
        langkah=_default_steps(jenis_izin.waktu_hari_kerja or 10),
    )
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_STANDARD_SAVED,
        target=standar,
        changes={"versi": 1, "dari": jenis_izin.kode},
    )
    return standar


@transaction.atomic
def standar_update(*, standar: StandarLayanan, actor: Any, data: dict[str, Any]) -> StandarLayanan:
    """Change the editable fields; the previous state is kept as a version in the history."""
    staff_require(actor, KEPALA)
    standar = StandarLayanan.objects.select_for_update().get(pk=standar.pk)
    before = _snapshot(standar)
    for name in EDITABLE:
        if name in data:
            setattr(standar, name, data[name])
    standar.nama = str(standar.nama).strip()[:500]
    if not standar.nama:
        raise LicensingError(_("Nama layanan harus diisi."), field="nama")
    standar.persyaratan = _requirements_check(standar.persyaratan)
    standar.langkah = _steps_check(standar.langkah)
    _fee_check(standar)
    standar.opd_teknis = _opd_check(standar.opd_teknis)
    if standar.masa_berlaku_bulan is not None and not 1 <= int(standar.masa_berlaku_bulan) <= 600:
        raise LicensingError(
            _("Masa berlaku harus 1 sampai 600 bulan."), field="masa_berlaku_bulan"
        )
    after = _snapshot(standar)
    if after == before:
        return standar
    standar.riwayat.create(versi=standar.versi, isi=before, diubah_oleh=str(actor)[:255])
    standar.versi += 1
    standar.save()
    changed = sorted(k for k in EDITABLE if before[k] != after[k])
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_STANDARD_SAVED,
        target=standar,
        changes={"versi": standar.versi, "diubah": changed},
    )
    return standar


@transaction.atomic
def hari_libur_add(*, tanggal: date, nama: str, jenis: str, actor: Any) -> HariLibur:
    staff_require(actor, KEPALA)
    nama = (nama or "").strip()
    if not nama:
        raise LicensingError(_("Nama hari libur harus diisi."), field="nama")
    if jenis not in HariLibur.Jenis.values:
        raise LicensingError(_("Jenis hari libur tidak dikenal."), field="jenis")
    if HariLibur.objects.filter(tanggal=tanggal).exists():
        raise LicensingConflict(
            _("Tanggal ini sudah tercatat sebagai hari libur."), field="tanggal"
        )
    libur = HariLibur.objects.create(tanggal=tanggal, nama=nama[:200], jenis=jenis)
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_DAY_OFF_ADDED,
        target=libur,
        changes={"tanggal": tanggal.isoformat(), "jenis": jenis},
    )
    return libur


@transaction.atomic
def hari_libur_remove(*, libur_id: int, actor: Any) -> None:
    staff_require(actor, KEPALA)
    libur = HariLibur.objects.filter(pk=libur_id).first()
    if libur is None:
        raise LicensingNotFound(_("Hari libur tidak ditemukan."), field="id")
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_DAY_OFF_REMOVED,
        target=libur,
        changes={"tanggal": libur.tanggal.isoformat()},
    )
    libur.delete()
