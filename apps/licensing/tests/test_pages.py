"""Pages and APIs: public tracking and verification leak nothing personal and are declared
public; staff pages and APIs keep to their roles; a refusal is JSON naming the field."""

import io
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.access.drf import PUBLIC_API_VIEWS
from apps.accounts.models import Role, RoleAssignment, User
from apps.licensing.apis import LacakApi, VerifikasiApi
from apps.licensing.models import Izin, Permohonan
from apps.licensing.selectors import dashboard
from apps.licensing.services.permits import izin_revoke, verification_code
from apps.licensing.tests.conftest import Day, documents, pdf_upload
from apps.licensing.tests.test_path import apply, run_to_end
from tenants.models import Tenant
from tests.pages import host_of, region_client


def _anon(tenant: Tenant) -> Client:
    return Client(HTTP_HOST=host_of(tenant))


def _api(tenant: Tenant, user: User | None = None) -> APIClient:
    client = APIClient(HTTP_HOST=host_of(tenant))
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def issued(standards: Any, people: dict[str, User], day: Day) -> Izin:
    return run_to_end(apply(standards["fee"], people, besaran={"luas_m2": "10"}), people, day).izin


def test_tracking_and_verification_are_declared_public() -> None:
    assert {LacakApi, VerifikasiApi} <= set(PUBLIC_API_VIEWS.values())


def test_public_tracking_shows_the_steps_and_nothing_personal(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(
        standards["fee"],
        people,
        besaran={"luas_m2": "10"},
        telepon="08123456789",
        alamat="Jl. Rahasia 9",
    )
    page = _anon(medan).get("/layanan/lacak/", {"nomor": p.nomor})
    api = _anon(medan).get(f"/api/perizinan/lacak/{p.nomor}/")
    assert page.status_code == api.status_code == 200
    for body in (page.content.decode(), api.content.decode()):
        assert "B. S." in body and p.standar.nama in body
        for secret in ("Budi", "Santoso", "warga@example.org", "08123456789", "Rahasia", "Merdeka"):
            assert secret not in body
    assert api.json()["langkah"][0]["kode"] == "berkas"


def test_an_unknown_number_and_a_forged_code_are_the_same_404(medan: Tenant, issued: Izin) -> None:
    client = _anon(medan)
    code = verification_code(issued)
    forged = code[:-2] + ("00" if not code.endswith("00") else "11")
    assert client.get("/layanan/lacak/", {"nomor": "PZ-2026-999999-AAAA"}).status_code == 404
    assert client.get("/api/perizinan/lacak/PZ-2026-999999-AAAA/").status_code == 404
    for bad in (forged, "tidak-ada", issued.token, "x" * 500):
        assert client.get(f"/layanan/verifikasi/{bad}/").status_code == 404
        assert client.get(f"/api/perizinan/verifikasi/{bad}/").status_code == 404


def test_verification_of_a_valid_revoked_and_expired_permit(
    medan: Tenant, issued: Izin, people: dict[str, User], day: Day
) -> None:
    client = _anon(medan)
    url = f"/api/perizinan/verifikasi/{verification_code(issued)}/"
    body = client.get(url).json()
    assert body["status"] == "berlaku" and body["sha256"] == issued.sha256
    assert body["pemegang"] == "Budi Santoso" and "email" not in str(body)
    page = client.get(f"/layanan/verifikasi/{verification_code(issued)}/").content.decode()
    assert "BERLAKU" in page and issued.sha256 in page and "warga@example.org" not in page
    assert issued.berlaku_sampai is not None
    day.set(issued.berlaku_sampai + timedelta(days=1))
    assert client.get(url).json()["status"] == "kedaluwarsa"
    izin_revoke(izin=issued, actor=people["kepala"], alasan="Pelanggaran tata ruang")
    assert client.get(url).json()["status"] == "dicabut"


def test_a_code_of_one_region_does_not_verify_in_another(
    medan: Tenant, buol: Tenant, issued: Izin
) -> None:
    code = verification_code(issued)
    nomor = issued.permohonan.nomor
    assert _anon(buol).get(f"/api/perizinan/verifikasi/{code}/").status_code == 404
    assert _anon(buol).get(f"/api/perizinan/lacak/{nomor}/").status_code == 404
    kepala_buol, _u = region_client(buol, Role.KEPALA_DPMPTSP)
    assert kepala_buol.get(f"/perizinan/permohonan/{nomor}/").status_code == 404
    with schema_context(buol.schema_name):
        assert not Permohonan.objects.exists()


STAFF_PAGES = ["/perizinan/", "/perizinan/standar/", "/perizinan/libur/"]


@pytest.mark.parametrize("path", [*STAFF_PAGES, "/perizinan/dasbor/"])
def test_staff_pages_refuse_applicants_and_other_roles(medan: Tenant, path: str) -> None:
    for roles in ((), (Role.BAPPEDA,), (Role.OPD_OPERATOR,)):
        client, _user = region_client(medan, *roles)
        assert client.get(path).status_code == 403
    assert _anon(medan).get(path).status_code == 302


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_open_to_licensing_staff(medan: Tenant, path: str) -> None:
    for role in (Role.PERIZINAN_FRONT, Role.PERIZINAN_BACK, Role.KEPALA_DPMPTSP):
        client, user = region_client(medan, role)
        assert client.get(path).status_code == 200
        with schema_context(medan.schema_name):
            user.delete()


def test_a_step_by_the_wrong_role_through_the_api_is_a_json_403(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(standards["free"], people)
    response = _api(medan, people["back"]).post(
        f"/api/perizinan/permohonan/{p.nomor}/langkah/",
        {"langkah": "berkas", "hasil": "setuju"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["field"] == "role"
    assert "Front office" in response.json()["message"]
    response = _api(medan, people["front"]).post(
        f"/api/perizinan/permohonan/{p.nomor}/langkah/",
        {"langkah": "teknis", "hasil": "setuju"},
        format="json",
    )
    assert response.status_code == 409 and response.json()["field"] == "langkah"


def test_applying_through_the_api_without_a_mandatory_document_is_a_400(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    response = _api(medan, people["warga"]).post(
        "/api/perizinan/permohonan/",
        {
            "jenis_izin": "UJI-PBG",
            "nama_pemohon": "Budi",
            "besaran_luas_m2": "3",
            "dokumen_0": pdf_upload(),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "dokumen_1"
    assert "Dokumen wajib belum diunggah" in response.json()["message"]
    with schema_context(medan.schema_name):
        assert not Permohonan.objects.exists()


def test_an_applicant_applies_on_the_page_and_gets_a_receipt(
    medan: Tenant, standards: Any, day: Day
) -> None:
    client, user = region_client(medan)
    form = {
        "nama_pemohon": "Rina Wati",
        "lokasi": "Medan",
        "besaran_luas_m2": "100",
        "dokumen_0": pdf_upload(),
        "dokumen_1": pdf_upload(),
    }
    response = client.post("/layanan/ajukan/UJI-PBG/", form)
    assert response.status_code == 302
    with schema_context(medan.schema_name):
        p = Permohonan.objects.get(pemohon=user)
    receipt = client.get(response["Location"]).content.decode()
    assert p.nomor in receipt and "Rina Wati" in receipt
    assert client.get("/api/perizinan/permohonan/").json()["count"] == 1
    other, _other = region_client(medan, Role.BAPPEDA)
    assert other.get(f"/layanan/permohonan/{p.nomor}/").status_code == 404


def test_sign_up_sends_a_verification_email_and_grants_no_role(
    medan: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _anon(medan).post(
            "/layanan/daftar/",
            {
                "full_name": "Ani Pemohon",
                "email": "ani@example.org",
                "password": "kata-sandi-yang-panjang-77",
            },
        )
    assert response.status_code == 200 and "signup-sent" in response.content.decode()
    with schema_context(medan.schema_name):
        user = User.objects.get(email="ani@example.org")
        assert not RoleAssignment.objects.filter(user=user).exists()
        assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1 and "ani@example.org" in mail.outbox[0].to
    # Signing in before verifying does not give a session.
    login = _anon(medan).post(
        "/akun/login/", {"login": "ani@example.org", "password": "kata-sandi-yang-panjang-77"}
    )
    assert "_auth_user_id" not in login.wsgi_request.session


def test_the_dashboard_export_totals_equal_the_page(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    run_to_end(apply(standards["fee"], people, besaran={"luas_m2": "2"}), people, day)
    run_to_end(apply(standards["free"], people), people, day)
    figures = dashboard()
    client, _u = region_client(medan, Role.KEPALA_DPMPTSP)
    page = client.get("/perizinan/dasbor/").content.decode()
    assert f'<dd id="sla-selesai">{figures["selesai"]}</dd>' in page
    book = load_workbook(io.BytesIO(client.get("/perizinan/dasbor/?format=xlsx").content))
    summary = list(book["Ringkasan"].values)
    assert summary[1][0] == figures["selesai"] == 2
    assert summary[1][1] == figures["tepat_waktu"]
    by_type = list(book["Per jenis izin"].values)[1:]
    assert sum(r[3] for r in by_type) == figures["selesai"]
    api = client.get("/api/perizinan/dasbor/").json()
    assert api["sla"]["selesai"] == 2


def test_the_worklist_export_has_a_row_per_application(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    numbers = {apply(standards["free"], people).nomor for _ in range(3)}
    client, _u = region_client(medan, Role.PERIZINAN_FRONT)
    book = load_workbook(io.BytesIO(client.get("/perizinan/?format=xlsx").content))
    rows = list(book.active.values)[1:]
    assert {r[0] for r in rows} == numbers


def test_documents_are_visible_to_the_applicant_and_staff_only(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(standards["free"], people)
    with schema_context(medan.schema_name):
        file_id = p.dokumen.get().berkas_id
    url = f"/api/berkas/{file_id}/"
    assert _api(medan, people["warga"]).get(url).status_code == 200
    assert _api(medan, people["back"]).get(url).status_code == 200
    assert _api(medan, people["bappeda"]).get(url).status_code == 404
    with schema_context(medan.schema_name):
        stranger = User.objects.create_user(email="orang-lain@example.org")
    assert _api(medan, stranger).get(url).status_code == 404


def test_the_counter_files_through_the_page(medan: Tenant, standards: Any, day: Day) -> None:
    client, _u = region_client(medan, Role.PERIZINAN_FRONT)
    response = client.post(
        "/layanan/ajukan/UJI-SLF/",
        {
            "nama_pemohon": "Pak Loket",
            "email_pemohon": "loket@example.org",
            "dokumen_0": pdf_upload(),
        },
    )
    assert response.status_code == 302
    with schema_context(medan.schema_name):
        assert Permohonan.objects.get().kanal == Permohonan.Kanal.LOKET


def test_documents_helper_covers_every_mandatory_requirement(standards: Any) -> None:
    assert set(documents(standards["fee"])) == {"KTP", "Gambar rencana"}


def test_refusals_are_indonesian_by_default_and_english_with_the_cookie(
    medan: Tenant, standards: Any, people: dict[str, User], day: Day
) -> None:
    p = apply(standards["free"], people)
    url = f"/api/perizinan/permohonan/{p.nomor}/langkah/"
    payload = {"langkah": "penyerahan", "hasil": "setuju"}
    default = _api(medan, people["front"]).post(url, payload, format="json")
    english = _api(medan, people["front"])
    english.cookies["django_language"] = "en"
    answer = english.post(url, payload, format="json")
    assert default.json()["message"].startswith("Tahap Penyerahan izin belum dapat dilakukan")
    assert answer.json()["message"].startswith("Step Penyerahan izin cannot be taken yet")
