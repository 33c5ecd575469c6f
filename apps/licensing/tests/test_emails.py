"""Every email perizinan sends: to whom, about what, in Bahasa Indonesia (even when the staff
member works in English), and each link in it opens the right page on the region's host."""

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.licensing.models import Langkah, Permohonan, Step
from apps.licensing.services.applications import permohonan_resubmit, permohonan_submit
from apps.licensing.services.steps import langkah_complete
from apps.licensing.tests.conftest import Day, documents, pdf_upload
from apps.licensing.tests.test_path import WHO, apply
from tenants.models import Tenant
from tests.pages import host_of

ENGLISH = ("Your application", "has been", "received", "Track")


def _links(message: Any) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _opens(tenant: Tenant, url: str, user: User | None = None) -> str:
    """GET the link on the host it names (signed in as `user`); the page's text."""
    parts = urlsplit(url)
    assert parts.hostname == host_of(tenant)
    client = Client(HTTP_HOST=parts.netloc)
    if user is not None:
        client.force_login(user)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    return response.content.decode()


def _step(p: Permohonan, people: dict[str, User], hasil: str = "setuju", catatan: str = "") -> Any:
    return langkah_complete(
        permohonan=p,
        step=p.langkah_sekarang,
        actor=people[WHO[p.langkah_sekarang]],
        hasil=hasil,
        catatan=catatan,
        data={"referensi": "BANK-9"},
    )


def test_an_online_applicant_is_emailed_at_each_change_in_indonesian_with_working_links(
    medan: Tenant,
    standards: Any,
    people: dict[str, User],
    day: Day,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        p = apply(standards["fee"], people, besaran={"luas_m2": "10"})
        while p.status == Permohonan.Status.DIPROSES:
            day.set(day.value + timedelta(days=1))
            p = _step(p, people)
    events = [m.subject for m in mail.outbox]
    assert events == [
        f"Permohonan {p.nomor} telah kami terima",
        f"Permohonan {p.nomor} menunggu pembayaran retribusi",
        f"Permohonan {p.nomor} telah diterbitkan izinnya",
        f"Permohonan {p.nomor} selesai: izin telah diserahkan",
    ]
    for message in mail.outbox:
        assert message.to == ["warga@example.org"]
        assert message.body.startswith("Yth. Budi Santoso,")
        assert not any(word in message.body for word in ENGLISH)
    assert "Rp 125.005" in mail.outbox[1].body  # 12,500.50 x 10, whole rupiah
    assert p.izin.nomor in mail.outbox[2].body
    track, receipt, survey = (
        _links(mail.outbox[3])[1],
        _links(mail.outbox[3])[2],
        _links(mail.outbox[3])[0],
    )
    assert "/survei/" in survey and "/lacak/" in track and receipt.endswith(f"/{p.nomor}/")
    assert "B. S." in _opens(medan, track) and p.nomor in _opens(medan, track)
    assert p.nomor in _opens(medan, receipt, people["warga"])
    assert "survei" in _opens(medan, survey, people["warga"]).lower()


def test_a_returned_application_mail_names_the_reason_and_links_the_resubmission(
    medan: Tenant,
    standards: Any,
    people: dict[str, User],
    day: Day,
    django_capture_on_commit_callbacks: Any,
) -> None:
    p = apply(standards["free"], people)
    with django_capture_on_commit_callbacks(execute=True):
        p = _step(p, people, Langkah.Hasil.KEMBALIKAN, "KTP buram & terpotong")
    (message,) = mail.outbox
    assert message.subject == f"Permohonan {p.nomor} dikembalikan kepada Anda untuk dilengkapi"
    assert "Catatan petugas: KTP buram & terpotong" in message.body  # not HTML-escaped
    resubmit = next(link for link in _links(message) if "kirim-ulang" in link)
    assert p.nomor in _opens(medan, resubmit, people["warga"])
    with django_capture_on_commit_callbacks(execute=True):
        p = permohonan_resubmit(
            permohonan=p, actor=people["warga"], documents={"KTP": pdf_upload()}
        )
        day.set(day.value + timedelta(days=1))
        p = _step(p, people)  # berkas
        p = _step(p, people, Langkah.Hasil.TOLAK, "Lokasi di kawasan lindung")
    assert [m.subject for m in mail.outbox][1:] == [f"Permohonan {p.nomor} ditolak"]
    assert "Catatan petugas: Lokasi di kawasan lindung" in mail.outbox[1].body


def test_a_counter_application_mails_the_given_address_with_the_tracking_link_only(
    medan: Tenant,
    standards: Any,
    people: dict[str, User],
    day: Day,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        p = permohonan_submit(
            standar=standards["free"],
            actor=people["front"],
            data={"nama_pemohon": "Siti Aminah", "email_pemohon": "siti@example.org"},
            documents=documents(standards["free"]),
        )
        silent = permohonan_submit(
            standar=standards["free"],
            actor=people["front"],
            data={"nama_pemohon": "Tanpa Surel"},
            documents=documents(standards["free"]),
        )
    (message,) = mail.outbox
    assert message.to == ["siti@example.org"] and p.nomor in message.subject
    (track,) = _links(message)  # no account: nothing to sign in to
    assert "S. A." in _opens(medan, track)
    assert silent.email_pemohon == "" and p.langkah_sekarang == Step.BERKAS


def test_the_sign_up_mail_confirms_the_address_through_its_link(
    medan: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client(HTTP_HOST=host_of(medan))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/layanan/daftar/",
            {
                "full_name": "Ani Pemohon",
                "email": "ani@example.org",
                "password": "kata-sandi-yang-panjang-77",
            },
        )
    (message,) = mail.outbox
    assert message.to == ["ani@example.org"]
    assert not any(word in message.subject for word in ("Please", "Confirm"))
    (link,) = [u for u in _links(message) if "konfirmasi" in u or "confirm" in u]
    parts = urlsplit(link)
    assert parts.hostname == host_of(medan)
    page = client.get(parts.path)
    assert page.status_code == 200
    assert client.post(parts.path).status_code == 302
    with schema_context(medan.schema_name):
        assert EmailAddress.objects.get(email="ani@example.org").verified
