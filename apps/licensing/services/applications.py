"""Applications: submitted online or at the counter with their documents, returned to the
applicant (the clock pauses) and resubmitted; each write audited in the same transaction."""

import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.roles import is_support_session, user_has_role
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.files.errors import FileError
from apps.files.services import file_store
from apps.files.validation import upload_check
from apps.licensing import clock
from apps.licensing.access import FRONT, staff_require
from apps.licensing.errors import LicensingConflict, LicensingError
from apps.licensing.models import Jeda, Langkah, Permohonan, Retribusi, StandarLayanan, Step
from apps.licensing.notifications import notify

MAX_QUANTITY = Decimal("1e9")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _number(year: int) -> str:
    """PZ-2026-000123-K7QX: a readable sequence plus a random tail, so numbers are not
    enumerable by the public tracking page. Two submissions at once take turns: the count is
    read under a lock held until the caller's transaction ends (one lock per region)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext('licensing.nomor:' || current_schema()))"
        )
        cursor.execute("SELECT count(*) FROM licensing_permohonan")
        (count,) = cursor.fetchone()
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(4))
    return f"PZ-{year}-{count + 1:06d}-{tail}"


def ketentuan_of(standar: StandarLayanan) -> dict[str, Any]:
    return {
        "steps": standar.steps(),
        "langkah": {s: int(standar.langkah.get(s, 1)) for s in standar.steps()},
        "retribusi_jenis": standar.retribusi_jenis,
        "retribusi_tetap": str(standar.retribusi_tetap),
        "retribusi_tarif": str(standar.retribusi_tarif),
        "retribusi_besaran": list(standar.retribusi_besaran),
        "masa_berlaku_bulan": standar.masa_berlaku_bulan,
        "opd_teknis": standar.opd_teknis,
    }


def _quantities(standar: StandarLayanan, declared: Any) -> dict[str, str]:
    if standar.retribusi_jenis != Retribusi.FORMULA:
        return {}
    declared = declared if isinstance(declared, dict) else {}
    clean = {}
    for item in standar.retribusi_besaran:
        kode = item["kode"]
        try:
            value = Decimal(str(declared.get(kode, "")).replace(",", "."))
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        if not value.is_finite() or value <= 0 or value > MAX_QUANTITY:
            raise LicensingError(
                _("%(label)s harus diisi dengan angka lebih dari 0.") % {"label": item["label"]},
                field=f"besaran.{kode}",
            )
        clean[kode] = str(value)
    return clean


def _documents_check(standar: StandarLayanan, documents: dict[str, Any]) -> None:
    """Every mandatory document present; each of its accepted types and within its size."""
    known = {p["nama"]: p for p in standar.persyaratan}
    for name in documents:
        if name not in known:
            raise LicensingError(
                _("Persyaratan tidak dikenal: %(nama)s") % {"nama": name[:80]}, field="dokumen"
            )
    for index, rule in enumerate(standar.persyaratan):
        upload = documents.get(rule["nama"])
        field = f"dokumen_{index}"
        if upload is None:
            if rule["wajib"]:
                raise LicensingError(
                    _("Dokumen wajib belum diunggah: %(nama)s") % {"nama": rule["nama"]},
                    field=field,
                )
            continue
        try:
            upload_check(
                upload=upload,
                extensions=frozenset(rule["jenis"]),
                max_bytes=int(rule["maks_kb"]) * 1024,
            )
        except FileError as error:
            raise LicensingError(f"{rule['nama']}: {error.message}", field=field) from error


def _store_documents(permohonan: Permohonan, documents: dict[str, Any], actor: Any) -> None:
    for name, upload in documents.items():
        stored = file_store(upload=upload, owner_app="perizinan", actor=actor)
        permohonan.dokumen.create(persyaratan=name, berkas=stored)


def step_open(permohonan: Permohonan, step: str, *, started: Any = None) -> Langkah:
    """Start `step` today (or on `started` when it resumes after a return), due by its SLA."""
    today = clock.today()
    start = started or today
    days = int(permohonan.ketentuan["langkah"][step])
    calendar = clock.calendar_for(start, today)
    pauses = list(permohonan.jeda.values_list("mulai", "selesai"))
    langkah = permohonan.langkah.create(
        kode=step,
        urutan=permohonan.ketentuan["steps"].index(step) + 1,
        hari_kerja=days,
        mulai=start,
        tenggat=calendar.deadline(pauses, start, days, today),
    )
    permohonan.langkah_sekarang = step
    return langkah


@transaction.atomic
def permohonan_submit(
    *,
    standar: StandarLayanan,
    actor: Any,
    data: dict[str, Any],
    documents: dict[str, Any],
) -> Permohonan:
    """A new application with its documents; the front office files at the counter on an
    applicant's behalf (`data["nama_pemohon"]`), anyone else files for themselves."""
    if is_support_session(actor) or not getattr(actor, "is_authenticated", False):
        raise LicensingError(_("Silakan masuk terlebih dahulu."), field="pemohon")
    standar = StandarLayanan.objects.select_related("jenis_izin").get(pk=standar.pk)
    if not standar.aktif or not standar.jenis_izin.berlaku or standar.jenis_izin.retired:
        raise LicensingError(_("Jenis izin ini tidak lagi dilayani."), field="jenis_izin")
    counter = user_has_role(actor, FRONT)
    nama = str(data.get("nama_pemohon") or "").strip() if counter else ""
    nama = nama or str(data.get("nama_pemohon") or getattr(actor, "full_name", "") or "").strip()
    if not nama or len(nama) > 200:
        raise LicensingError(
            _("Nama pemohon harus diisi (paling panjang 200 huruf)."), field="nama_pemohon"
        )
    quantities = _quantities(standar, data.get("besaran"))
    _documents_check(standar, documents)
    now = timezone.now()
    permohonan = Permohonan.objects.create(
        nomor=_number(now.year),
        standar=standar,
        standar_versi=standar.versi,
        ketentuan=ketentuan_of(standar),
        pemohon=None if counter else actor,
        nama_pemohon=nama,
        email_pemohon=str(data.get("email_pemohon") or "")[:254] if counter else str(actor.email),
        telepon=str(data.get("telepon") or "")[:30],
        alamat=str(data.get("alamat") or "")[:1000],
        lokasi=str(data.get("lokasi") or "")[:1000],
        besaran=quantities,
        kanal=Permohonan.Kanal.LOKET if counter else Permohonan.Kanal.DARING,
        dibuat_oleh=str(actor.email)[:255],
        diajukan_pada=now,
    )
    _store_documents(permohonan, documents, actor)
    step_open(permohonan, Step.BERKAS)
    permohonan.save(update_fields=["langkah_sekarang"])
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_APPLIED,
        target=permohonan,
        changes={
            "nomor": permohonan.nomor,
            "standar": standar.kode,
            "versi": standar.versi,
            "kanal": permohonan.kanal,
        },
    )
    notify(permohonan, "diterima")
    return permohonan


@transaction.atomic
def permohonan_resubmit(
    *, permohonan: Permohonan, actor: Any, documents: dict[str, Any]
) -> Permohonan:
    """The applicant (or the counter) sends a returned application back: the pause ends and the
    step it was returned from resumes with its deadline pushed back."""
    permohonan = Permohonan.objects.select_for_update().get(pk=permohonan.pk)
    own = permohonan.pemohon_id is not None and permohonan.pemohon_id == actor.pk
    if not own:
        staff_require(actor, FRONT)
    if permohonan.status != Permohonan.Status.DIKEMBALIKAN:
        raise LicensingConflict(
            _("Permohonan ini tidak sedang dikembalikan ke pemohon."), field="status"
        )
    known = {p["nama"] for p in permohonan.standar.persyaratan}
    for name in documents:
        if name not in known:
            raise LicensingError(
                _("Persyaratan tidak dikenal: %(nama)s") % {"nama": name[:80]}, field="dokumen"
            )
    for index, rule in enumerate(permohonan.standar.persyaratan):
        if rule["nama"] not in documents:
            continue
        try:
            upload_check(
                upload=documents[rule["nama"]],
                extensions=frozenset(rule["jenis"]),
                max_bytes=int(rule["maks_kb"]) * 1024,
            )
        except FileError as error:
            raise LicensingError(
                f"{rule['nama']}: {error.message}", field=f"dokumen_{index}"
            ) from error
    _store_documents(permohonan, documents, actor)
    today = clock.today()
    Jeda.objects.filter(permohonan=permohonan, selesai__isnull=True).update(selesai=today)
    first = permohonan.langkah.filter(kode=permohonan.langkah_sekarang).order_by("id").first()
    permohonan.status = Permohonan.Status.DIPROSES
    step_open(permohonan, permohonan.langkah_sekarang, started=first.mulai if first else None)
    permohonan.save(update_fields=["status", "langkah_sekarang"])
    audit_record(
        actor=actor,
        action=AuditAction.LICENSING_RESUBMITTED,
        target=permohonan,
        changes={"dokumen": sorted(documents)},
    )
    return permohonan
