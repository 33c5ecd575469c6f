"""Issued permits: the PDF with its QR code, its SHA-256 in the audit chain, a signed
verification code, revocation with a reason; and the satisfaction survey after handover."""

import hashlib
import hmac
import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.files.services import file_store
from apps.licensing import clock
from apps.licensing.access import KEPALA, staff_require
from apps.licensing.errors import LicensingConflict, LicensingError
from apps.licensing.models import Izin, Permohonan, SurveiIkm
from apps.licensing.pdf import permit_pdf
from tenants.db import schema_current
from tenants.models import Tenant

IKM_ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


def _signature(schema: str, token: str) -> str:
    key = f"licensing.verify:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{schema}:{token}".encode(), hashlib.sha256).hexdigest()[:20]


def verification_code(izin: Izin) -> str:
    """`<token>.<signature>`: the signature binds the token to this region's schema."""
    return f"{izin.token}.{_signature(schema_current(), izin.token)}"


def token_from_code(code: str) -> str | None:
    """The token of a well-signed code of this region, or None (forged, altered, foreign)."""
    token, _dot, signature = code.partition(".")
    if not token or len(token) > 32 or not signature:
        return None
    expected = _signature(schema_current(), token)
    return token if hmac.compare_digest(expected, signature) else None


def _region() -> Tenant | None:
    return Tenant.objects.filter(schema_name=schema_current()).first()


def verify_url(izin: Izin) -> str:
    from apps.accounts.services.invitations import site_base_url

    return f"{site_base_url(tenant=_region())}/layanan/verifikasi/{verification_code(izin)}/"


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    day = min(start.day, 28)
    return date(start.year + year, month + 1, day)


def izin_issue(*, permohonan: Permohonan, actor: Any) -> Izin:
    """Called by the issuance step (inside its transaction): number, PDF, SHA-256, audit."""
    staff_require(actor, KEPALA)
    today = clock.today()
    months = permohonan.ketentuan.get("masa_berlaku_bulan")
    izin = Izin.objects.create(
        permohonan=permohonan,
        nomor=f"{permohonan.standar.kode}/{permohonan.nomor[3:]}/DPMPTSP",
        token=secrets.token_urlsafe(12),
        diterbitkan_pada=timezone.now(),
        berlaku_sampai=_add_months(today, int(months)) if months else None,
        penandatangan=str(getattr(actor, "full_name", "") or actor.email)[:255],
    )
    region = _region()
    content = permit_pdf(
        region=region.name if region else schema_current(),
        nomor_izin=izin.nomor,
        nama_izin=permohonan.standar.nama,
        nomor_permohonan=permohonan.nomor,
        pemegang=permohonan.nama_pemohon,
        lokasi=permohonan.lokasi,
        diterbitkan=today,
        berlaku_sampai=izin.berlaku_sampai,
        penandatangan=izin.penandatangan,
        verify_url=verify_url(izin),
    )
    safe = "".join(c if c.isalnum() else "-" for c in izin.nomor)
    upload = SimpleUploadedFile(f"Izin-{safe}.pdf", content, content_type="application/pdf")
    izin.berkas = file_store(upload=upload, owner_app="izin_terbit", actor=actor)
    izin.sha256 = hashlib.sha256(content).hexdigest()
    izin.save(update_fields=["berkas", "sha256"])
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_PERMIT_ISSUED,
        target=izin,
        changes={"nomor": izin.nomor, "permohonan": permohonan.nomor, "sha256": izin.sha256},
    )
    return izin


@transaction.atomic
def izin_revoke(*, izin: Izin, actor: Any, alasan: str) -> Izin:
    staff_require(actor, KEPALA)
    izin = Izin.objects.select_for_update().get(pk=izin.pk)
    alasan = str(alasan or "").strip()
    if not alasan:
        raise LicensingError(_("Alasan pencabutan harus diisi."), field="alasan")
    if izin.status == Izin.Status.DICABUT:
        raise LicensingConflict(_("Izin ini sudah dicabut."), field="status")
    izin.status = Izin.Status.DICABUT
    izin.alasan_cabut = alasan[:4000]
    izin.save(update_fields=["status", "alasan_cabut"])
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_PERMIT_REVOKED,
        target=izin,
        changes={"nomor": izin.nomor, "alasan": izin.alasan_cabut},
    )
    return izin


def izin_state(izin: Izin) -> str:
    """berlaku, dicabut or kedaluwarsa (past its validity)."""
    if izin.status == Izin.Status.DICABUT:
        return "dicabut"
    if izin.berlaku_sampai and izin.berlaku_sampai < clock.today():
        return "kedaluwarsa"
    return "berlaku"


@transaction.atomic
def survei_submit(
    *, permohonan: Permohonan, actor: Any, nilai: dict[str, Any], saran: str = ""
) -> SurveiIkm:
    """The applicant rates the nine elements (1 to 4) once the permit was handed over."""
    if permohonan.pemohon_id is None or permohonan.pemohon_id != getattr(actor, "pk", None):
        raise LicensingError(_("Survei hanya dapat diisi oleh pemohon."), field="pemohon")
    if permohonan.status != Permohonan.Status.SELESAI:
        raise LicensingConflict(_("Survei dibuka setelah izin diserahkan."), field="status")
    if SurveiIkm.objects.filter(permohonan=permohonan).exists():
        raise LicensingConflict(_("Survei permohonan ini sudah diisi."), field="survei")
    values = {}
    for element in IKM_ELEMENTS:
        try:
            value = int(nilai.get(element, 0))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            raise LicensingError(_("Setiap unsur dinilai 1 sampai 4."), field=element)
        values[element] = value
    survei = SurveiIkm.objects.create(permohonan=permohonan, saran=str(saran)[:2000], **values)
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_SURVEY,
        target=survei,
        changes={"permohonan": permohonan.nomor},
    )
    return survei
