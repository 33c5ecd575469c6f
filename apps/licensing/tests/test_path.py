"""The whole path of an application, with and without a fee; returns, refusals, roles."""

import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg2
import pytest
from django.db import OperationalError, connection, transaction
from django_tenants.utils import schema_context
from pypdf import PdfReader

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.licensing.errors import LicensingConflict, LicensingError, LicensingRoleError
from apps.licensing.models import Izin, Langkah, Permohonan, StandarLayanan, Step
from apps.licensing.selectors import izin_pdf_bytes
from apps.licensing.services.applications import (
    _number,
    permohonan_resubmit,
    permohonan_submit,
)
from apps.licensing.services.permits import izin_state, token_from_code, verification_code
from apps.licensing.services.steps import langkah_complete
from apps.licensing.tests.conftest import Day, documents, pdf_upload
from tenants.models import Tenant

WHO: dict[str, str] = {
    Step.BERKAS: "front",
    Step.TEKNIS: "back",
    Step.REKOMENDASI: "back",
    Step.KEPUTUSAN: "kepala",
    Step.SKRD: "back",
    Step.PEMBAYARAN: "front",
    Step.PENERBITAN: "kepala",
    Step.PENYERAHAN: "front",
}


def apply(standar: StandarLayanan, people: dict[str, User], **data: object) -> Permohonan:
    return permohonan_submit(
        standar=standar,
        actor=people["warga"],
        data={"nama_pemohon": "Budi Santoso", "lokasi": "Jl. Merdeka 1", **data},
        documents=documents(standar),
    )


def run_to_end(p: Permohonan, people: dict[str, User], day: Day) -> Permohonan:
    while p.status == Permohonan.Status.DIPROSES:
        step = p.langkah_sekarang
        day.set(day.value + timedelta(days=1))
        p = langkah_complete(
            permohonan=p,
            step=step,
            actor=people[WHO[step]],
            hasil=Langkah.Hasil.SETUJU,
            data={"referensi": "BANK-123"},
        )
    return p


def test_the_whole_path_of_a_permit_with_a_fee(standards: Any, people: Any, day: Day) -> None:
    p = apply(standards["fee"], people, besaran={"luas_m2": "120.5"})
    assert p.nomor.startswith("PZ-2026-") and p.langkah_sekarang == Step.BERKAS
    assert p.dokumen.count() == 2
    p = run_to_end(p, people, day)
    assert p.status == Permohonan.Status.SELESAI
    # 12,500.50 x 120.5 = 1,506,310.25 -> Rp 1.506.310
    assert p.retribusi == Decimal("1506310")
    assert p.bayar_referensi == "BANK-123"
    assert [s.kode for s in p.langkah.all()] == list(Step.values)
    assert all(s.oleh_id and s.selesai_pada for s in p.langkah.all())
    # eight calendar days from Monday 2 March, a weekend among them: six working days
    assert p.hari_kerja == 6 and p.tepat_waktu is True
    izin = Izin.objects.get(permohonan=p)
    assert izin_state(izin) == "berlaku" and izin.berlaku_sampai is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"licensing.applied", "licensing.step_done", "licensing.permit_issued"} <= actions
    issued = AuditEntry.objects.get(action="licensing.permit_issued")
    assert issued.changes["sha256"] == izin.sha256


def test_the_whole_path_of_a_permit_without_a_fee(standards: Any, people: Any, day: Day) -> None:
    p = run_to_end(apply(standards["free"], people), people, day)
    assert p.status == Permohonan.Status.SELESAI
    assert p.retribusi is None
    assert Step.SKRD not in [s.kode for s in p.langkah.all()]
    assert Izin.objects.filter(permohonan=p).exists()


def test_the_issued_pdf_holds_the_permit_number_and_a_verifying_link(
    standards: Any, people: Any, day: Day
) -> None:
    p = run_to_end(apply(standards["free"], people), people, day)
    izin = p.izin
    assert izin.berkas is not None
    content = izin_pdf_bytes(izin)
    assert hashlib.sha256(content).hexdigest() == izin.sha256
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert izin.nomor in text and "Budi Santoso" in text
    assert len(PdfReader(io.BytesIO(content)).pages[0].images) == 1  # the QR code
    # the printed URL may wrap across lines of the extracted text; the code is what follows
    code = "".join(text.split()).split("/layanan/verifikasi/")[1].split("/")[0]
    assert code == verification_code(izin) and token_from_code(code) == izin.token


def test_a_forged_or_altered_code_is_refused(standards: Any, people: Any, day: Day) -> None:
    izin = run_to_end(apply(standards["free"], people), people, day).izin
    code = verification_code(izin)
    assert token_from_code(code[:-1] + ("0" if code[-1] != "0" else "1")) is None
    assert token_from_code("x" * 12 + "." + "0" * 20) is None
    assert token_from_code("") is None and token_from_code("abc") is None


def test_a_return_pauses_the_clock_until_the_application_comes_back(
    standards: Any, people: Any, day: Day
) -> None:
    p = apply(standards["free"], people)
    due = p.langkah.get().tenggat
    assert due == date(2026, 3, 3)
    p = langkah_complete(
        permohonan=p,
        step=Step.BERKAS,
        actor=people["front"],
        hasil=Langkah.Hasil.KEMBALIKAN,
        catatan="KTP buram",
    )
    assert p.status == Permohonan.Status.DIKEMBALIKAN
    with pytest.raises(LicensingConflict):
        langkah_complete(
            permohonan=p, step=Step.BERKAS, actor=people["front"], hasil=Langkah.Hasil.SETUJU
        )
    day.set(date(2026, 3, 9))  # a week with the applicant
    p = permohonan_resubmit(permohonan=p, actor=people["warga"], documents={"KTP": pdf_upload()})
    assert p.status == Permohonan.Status.DIPROSES
    resumed = p.langkah.filter(selesai_pada__isnull=True).get()
    assert resumed.mulai == date(2026, 3, 2)
    assert resumed.tenggat == date(2026, 3, 10)  # one day, pushed by the five paused days
    p = run_to_end(p, people, day)
    assert p.tepat_waktu is True


@pytest.mark.parametrize("step", [s for s in Step.values if s != Step.BERKAS])
def test_a_step_out_of_order_is_refused_and_nothing_changes(
    standards: Any, people: Any, day: Day, step: Any
) -> None:
    p = apply(standards["fee"], people, besaran={"luas_m2": "10"})
    with pytest.raises(LicensingConflict) as refused:
        langkah_complete(
            permohonan=p,
            step=step,
            actor=people[WHO[step]],
            hasil=Langkah.Hasil.SETUJU,
            data={"referensi": "X"},
        )
    assert refused.value.field == "langkah"
    p.refresh_from_db()
    assert p.langkah_sekarang == Step.BERKAS and p.retribusi is None


@pytest.mark.parametrize("step", Step.values)
def test_every_step_refuses_every_other_role(
    standards: Any, people: Any, day: Day, step: Any
) -> None:
    p = apply(standards["fee"], people, besaran={"luas_m2": "10"})
    while p.langkah_sekarang != step:
        current = p.langkah_sekarang
        p = langkah_complete(
            permohonan=p,
            step=current,
            actor=people[WHO[current]],
            hasil=Langkah.Hasil.SETUJU,
            data={"referensi": "X"},
        )
    for who in ("front", "back", "kepala", "bappeda", "warga"):
        if who == WHO[step]:
            continue
        with pytest.raises(LicensingRoleError):
            langkah_complete(
                permohonan=p,
                step=step,
                actor=people[who],
                hasil=Langkah.Hasil.SETUJU,
                data={"referensi": "X"},
            )
    p.refresh_from_db()
    assert p.langkah_sekarang == step


def test_payment_needs_a_reference_and_issuance_is_refused_while_unpaid(
    standards: Any, people: Any, day: Day
) -> None:
    p = apply(standards["fee"], people, besaran={"luas_m2": "10"})
    while p.langkah_sekarang != Step.PEMBAYARAN:
        current = p.langkah_sekarang
        p = langkah_complete(
            permohonan=p, step=current, actor=people[WHO[current]], hasil=Langkah.Hasil.SETUJU
        )
    with pytest.raises(LicensingError) as refused:
        langkah_complete(
            permohonan=p, step=Step.PEMBAYARAN, actor=people["front"], hasil=Langkah.Hasil.SETUJU
        )
    assert refused.value.field == "referensi"
    with pytest.raises(LicensingConflict):
        langkah_complete(
            permohonan=p, step=Step.PENERBITAN, actor=people["kepala"], hasil=Langkah.Hasil.SETUJU
        )
    assert not Izin.objects.filter(permohonan=p).exists()


def test_a_missing_mandatory_document_saves_nothing(standards: Any, people: Any, day: Day) -> None:
    docs = documents(standards["fee"])
    docs.pop("Gambar rencana")
    with pytest.raises(LicensingError) as refused:
        permohonan_submit(
            standar=standards["fee"],
            actor=people["warga"],
            data={"besaran": {"luas_m2": "1"}},
            documents=docs,
        )
    assert refused.value.field == "dokumen_1" and "Gambar rencana" in refused.value.message
    assert not Permohonan.objects.exists()


@pytest.mark.parametrize(
    ("upload", "word"),
    [
        (pdf_upload("ktp.png", b"%PDF-1.4 not a png"), "jenis"),
        (pdf_upload("ktp.pdf", b"%PDF-1.4\n" + b"0" * 200_000), "besar"),
        (pdf_upload("ktp.pdf", b"GIF89a not a pdf"), ""),
    ],
)
def test_a_document_of_the_wrong_type_or_size_is_refused(
    standards: Any, people: Any, day: Day, upload: Any, word: Any
) -> None:
    docs = documents(standards["fee"])
    docs["KTP"] = upload
    with pytest.raises(LicensingError) as refused:
        permohonan_submit(
            standar=standards["fee"],
            actor=people["warga"],
            data={"besaran": {"luas_m2": "1"}},
            documents=docs,
        )
    assert refused.value.field == "dokumen_0"
    assert word in refused.value.message.lower()
    assert not Permohonan.objects.exists()


@pytest.mark.parametrize("value", ["", "0", "-3", "abc", "NaN", "1e20"])
def test_declared_quantities_must_be_positive_numbers(
    standards: Any, people: Any, day: Day, value: Any
) -> None:
    with pytest.raises(LicensingError) as refused:
        apply(standards["fee"], people, besaran={"luas_m2": value})
    assert refused.value.field == "besaran.luas_m2"


def test_a_permit_type_no_longer_in_force_is_refused(standards: Any, people: Any, day: Day) -> None:
    standar = standards["free"]
    standar.jenis_izin.berlaku = False
    standar.jenis_izin.save()
    with pytest.raises(LicensingError) as refused:
        apply(standar, people)
    assert refused.value.field == "jenis_izin"


def test_the_counter_files_on_behalf_of_an_applicant(standards: Any, people: Any, day: Day) -> None:
    p = permohonan_submit(
        standar=standards["free"],
        actor=people["front"],
        data={"nama_pemohon": "Siti Aminah"},
        documents=documents(standards["free"]),
    )
    assert p.kanal == Permohonan.Kanal.LOKET and p.pemohon is None
    assert p.nama_pemohon == "Siti Aminah"


def test_the_clock_of_an_application_costs_the_same_queries_at_any_step(
    standards: Any, people: Any, day: Day
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.licensing.selectors import tracking

    early = apply(standards["fee"], people, besaran={"luas_m2": "10"})
    late = run_to_end(apply(standards["fee"], people, besaran={"luas_m2": "10"}), people, day)
    day.set(day.value + timedelta(days=400))  # a long span: still no query per day
    counts = []
    for p in (early, late):
        with CaptureQueriesContext(connection) as queries:
            assert tracking(p.nomor) is not None
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] <= 6


def test_the_applicant_is_emailed_when_the_application_is_returned(
    standards: Any, people: Any, day: Day, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    p = apply(standards["free"], people)
    with django_capture_on_commit_callbacks(execute=True):
        langkah_complete(
            permohonan=p,
            step=Step.BERKAS,
            actor=people["front"],
            hasil=Langkah.Hasil.KEMBALIKAN,
            catatan="KTP buram",
        )
    assert [m.to for m in mail.outbox] == [["warga@example.org"]]
    assert p.nomor in mail.outbox[0].subject and "KTP buram" in mail.outbox[0].body


def test_application_numbers_are_taken_in_turn_within_a_region(medan: Tenant) -> None:
    """Two submissions at the same moment must not read the same count: the number is read
    under a per-region lock that another transaction holding it makes this one wait for."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:  # another submission in Medan, mid-transaction
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext('licensing.nomor:' || %s))",
                [medan.schema_name],
            )
        with (
            schema_context(medan.schema_name),
            pytest.raises(OperationalError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
            _number(2026)
        # while Buol numbers its own applications without waiting
        with schema_context("daerah_72_05"), transaction.atomic():
            assert _number(2026).startswith("PZ-2026-")
    finally:
        other.rollback()
        other.close()
