"""Taking a step of an application: only the current step, only by its role; a return pauses
the clock, a refusal ends the application, the last step (handover) finishes it."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.roles import is_support_session
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.licensing import clock
from apps.licensing.access import step_role_require
from apps.licensing.errors import LicensingConflict, LicensingError
from apps.licensing.models import Jeda, Langkah, Permohonan, Retribusi, Step
from apps.licensing.notifications import notify
from apps.licensing.services.applications import step_open

RETURNABLE = frozenset({Step.BERKAS.value, Step.TEKNIS.value})
REFUSABLE = frozenset(
    {Step.BERKAS.value, Step.TEKNIS.value, Step.REKOMENDASI.value, Step.KEPUTUSAN.value}
)


def fee_amount(ketentuan: dict[str, Any], besaran: dict[str, Any]) -> Decimal:
    """The SKRD amount in whole rupiah: the fixed tariff, or tariff x each declared quantity
    (rounded half up once, at the end)."""
    kind = ketentuan.get("retribusi_jenis")
    if kind == Retribusi.FIXED:
        return Decimal(ketentuan["retribusi_tetap"]).quantize(Decimal(1), ROUND_HALF_UP)
    if kind == Retribusi.FORMULA:
        amount = Decimal(ketentuan["retribusi_tarif"])
        for item in ketentuan["retribusi_besaran"]:
            amount *= Decimal(besaran[item["kode"]])
        return amount.quantize(Decimal(1), ROUND_HALF_UP)
    return Decimal(0)


def _current(permohonan: Permohonan, step: str) -> Langkah:
    if permohonan.status == Permohonan.Status.DIKEMBALIKAN:
        raise LicensingConflict(
            _("Permohonan sedang dikembalikan ke pemohon; tunggu sampai diajukan kembali."),
            field="status",
        )
    if permohonan.status != Permohonan.Status.DIPROSES:
        raise LicensingConflict(_("Permohonan ini sudah selesai diproses."), field="status")
    if step not in Step.values:
        raise LicensingError(_("Tahap tidak dikenal."), field="langkah")
    if step != permohonan.langkah_sekarang:
        raise LicensingConflict(
            _("Tahap %(step)s belum dapat dilakukan: tahap saat ini adalah %(current)s.")
            % {
                "step": Step(step).label,
                "current": Step(permohonan.langkah_sekarang).label,
            },
            field="langkah",
        )
    langkah = permohonan.langkah.filter(kode=step, selesai_pada__isnull=True).last()
    assert langkah is not None
    return langkah


def _finish(permohonan: Permohonan, status: str) -> None:
    now = timezone.now()
    permohonan.status = status
    permohonan.selesai_pada = now
    permohonan.langkah_sekarang = ""
    first = permohonan.langkah.order_by("id").first()
    start = first.mulai if first else clock.today()
    end = clock.today()
    calendar = clock.calendar_for(start, end)
    pauses = list(permohonan.jeda.values_list("mulai", "selesai"))
    permohonan.hari_kerja = calendar.elapsed(pauses, start, end)
    total = sum(int(d) for d in permohonan.ketentuan["langkah"].values())
    permohonan.tepat_waktu = permohonan.hari_kerja <= total


def _step_extra(permohonan: Permohonan, step: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a step records besides its outcome: the SKRD amount, the payment reference."""
    if step == Step.SKRD:
        permohonan.retribusi = fee_amount(permohonan.ketentuan, permohonan.besaran)
        permohonan.skrd_nomor = f"SKRD-{permohonan.nomor}"
        return {"retribusi": str(permohonan.retribusi)}
    if step == Step.PEMBAYARAN:
        referensi = str(data.get("referensi") or "").strip()
        if not referensi or len(referensi) > 100:
            raise LicensingError(
                _("Nomor referensi pembayaran harus diisi (paling panjang 100 huruf)."),
                field="referensi",
            )
        permohonan.bayar_referensi = referensi
        permohonan.dibayar_pada = timezone.now()
        return {"referensi": referensi, "jumlah": str(permohonan.retribusi)}
    return {}


@transaction.atomic
def langkah_complete(
    *,
    permohonan: Permohonan,
    step: str,
    actor: Any,
    hasil: str,
    catatan: str = "",
    data: dict[str, Any] | None = None,
) -> Permohonan:
    """Record the outcome of the current step and move on; issuance makes the permit."""
    data = data or {}
    permohonan = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    langkah = _current(permohonan, step)
    step_role_require(actor, step)
    if hasil not in Langkah.Hasil.values:
        raise LicensingError(_("Hasil tahap tidak dikenal."), field="hasil")
    if hasil == Langkah.Hasil.KEMBALIKAN and step not in RETURNABLE:
        raise LicensingError(
            _("Permohonan hanya dapat dikembalikan pada pemeriksaan berkas atau kajian teknis."),
            field="hasil",
        )
    if hasil == Langkah.Hasil.TOLAK and step not in REFUSABLE:
        raise LicensingError(_("Tahap ini tidak dapat menolak permohonan."), field="hasil")
    catatan = str(catatan or "").strip()[:4000]
    if hasil != Langkah.Hasil.SETUJU and not catatan:
        raise LicensingError(_("Catatan alasan harus diisi."), field="catatan")
    changes: dict[str, Any] = {"langkah": step, "hasil": hasil}
    if hasil == Langkah.Hasil.SETUJU:
        changes |= _step_extra(permohonan, step, data)
    langkah.selesai_pada = timezone.now()
    langkah.hasil = hasil
    langkah.catatan = catatan
    langkah.oleh = actor if not is_support_session(actor) else None
    langkah.oleh_label = str(getattr(actor, "email", actor))[:255]
    langkah.save()
    if hasil == Langkah.Hasil.KEMBALIKAN:
        permohonan.status = Permohonan.Status.DIKEMBALIKAN
        Jeda.objects.create(permohonan=permohonan, mulai=clock.today(), alasan=catatan)
        action = AuditAction.LICENSING_RETURNED
        notify(permohonan, "dikembalikan", catatan=catatan)
    elif hasil == Langkah.Hasil.TOLAK:
        _finish(permohonan, Permohonan.Status.DITOLAK)
        action = AuditAction.LICENSING_STEP_DONE
        notify(permohonan, "ditolak", catatan=catatan)
    else:
        action = AuditAction.LICENSING_STEP_DONE
        _advance(permohonan, step, actor)
    permohonan.save()
    audit_record(actor=actor, action=action, target=permohonan, changes=changes)
    return permohonan


def _advance(permohonan: Permohonan, step: str, actor: Any) -> None:
    steps: list[str] = permohonan.ketentuan["steps"]
    if step == Step.PENERBITAN:
        from apps.licensing.services.permits import izin_issue

        if (
            permohonan.ketentuan["retribusi_jenis"] != Retribusi.NONE
            and not permohonan.dibayar_pada
        ):
            raise LicensingConflict(
                _("Izin belum dapat diterbitkan: retribusi belum dibayar."), field="pembayaran"
            )
        izin = izin_issue(permohonan=permohonan, actor=actor)
        notify(permohonan, "terbit", izin=izin)
    index = steps.index(step)
    if index + 1 == len(steps):
        _finish(permohonan, Permohonan.Status.SELESAI)
        notify(permohonan, "diserahkan")
        return
    if step == Step.SKRD:
        notify(permohonan, "skrd")
    step_open(permohonan, steps[index + 1])
