"""Journey (issue 15): an applicant applies for a permit on the region's host; front office,
back office and the head of DPMPTSP take every step to issuance and handover in their own
browsers; the applicant scans the QR code printed on the permit (decoded from the PDF's image)
and the verification page it opens says the permit is genuine and in force.
Screenshots of every page under the artefacts folder (tests/browser/artifacts.py)."""

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test.utils import override_settings
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditChainHead, AuditEntry
from apps.files.models import StoredFile
from apps.files.storage import RegionFileStorage
from apps.licensing.access import STEP_ROLES
from apps.licensing.models import Izin, Permohonan, StandarLayanan, Step
from apps.licensing.services.standards import standar_adopt, standar_update
from apps.reference.models import JenisIzin
from tenants.models import Tenant
from tests.browser.artifacts import Screenshots
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-perjalanan-2026"
KODE = "UJI-PERJALANAN"
APPLICANT = "warga.pemohon@example.org"
FETCH_BYTES = """async (url) => {
    const answer = await fetch(url);
    const bytes = new Uint8Array(await answer.arrayBuffer());
    const type = answer.headers.get("content-type");
    return {status: answer.status, type: type, bytes: Array.from(bytes)};
}"""
STAFF: dict[str, str] = {
    Role.PERIZINAN_FRONT.value: "front.office@medan.go.id",
    Role.PERIZINAN_BACK.value: "back.office@medan.go.id",
    Role.KEPALA_DPMPTSP.value: "kepala.dpmptsp@medan.go.id",
}


def _user(email: str, name: str, role: str | None = None) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        RoleAssignment.objects.create(user=user, role=role)
    return user


def _setup(committed: Committed, schema: str) -> None:
    """The applicant, one officer per DPMPTSP role and an adopted service standard in `schema`;
    undo removes everything the journey made and puts the audit chain back."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash
        users = [_user(APPLICANT, "Budi Santoso")]
        users += [_user(email, f"Petugas {role}", role) for role, email in STAFF.items()]
        jenis = JenisIzin.objects.create(
            kode=KODE, nama="Izin Uji Perjalanan", berlaku=True, persyaratan=["KTP"]
        )
        standar = standar_adopt(jenis_izin=jenis, actor=users[-1])
        standar_update(
            standar=standar,
            actor=users[-1],
            data={
                "persyaratan": [{"nama": "KTP", "wajib": True, "jenis": ["pdf"], "maks_kb": 100}],
            },
        )

    def undo() -> None:
        with schema_context(schema):
            files = list(StoredFile.objects.filter(owner_app__in=["perizinan", "izin_terbit"]))
            Izin.objects.filter(permohonan__standar__kode=KODE).delete()
            Permohonan.objects.filter(standar__kode=KODE).delete()
            for stored in files:
                RegionFileStorage().delete(stored.path)
                stored.delete()
            StandarLayanan.objects.filter(kode=KODE).delete()
            JenisIzin.objects.filter(kode=KODE).delete()
            AuditEntry.objects.filter(seq__gt=seq).delete()
            AuditChainHead.objects.filter(singleton=True).update(seq=seq, hash=hash_)
            Session.objects.all().delete()
            User.objects.filter(pk__in=[user.pk for user in users]).delete()

    committed.undo(undo)


def _signed_in(browser: Browser, live_site: LiveSite, email: str) -> Page:
    page = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    return page


def _apply(page: Page, live_site: LiveSite, shots: Screenshots, ktp: Path) -> str:
    """The applicant applies with their KTP; returns the application number."""
    page.goto(live_site.url("/layanan/", region="medan"))
    shots(page, "layanan")
    row = page.get_by_role("row").filter(has_text="Izin Uji Perjalanan")
    with page.expect_navigation():
        row.get_by_role("link", name="Ajukan").click()
    page.get_by_label("Lokasi kegiatan").fill("Jl. Sisingamangaraja 21")
    page.get_by_label("KTP").set_input_files(str(ktp))
    shots(page, "ajukan")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima permohonan")
    shots(page, "tanda-terima")
    return page.locator("#nomor-permohonan").inner_text().strip()


def _process(officers: dict[str, Page], live_site: LiveSite, shots: Screenshots, nomor: str) -> int:
    """Each current step taken, approved, by an officer holding its role, until the application
    is finished; returns how many steps were taken."""
    taken = 0
    while True:
        permohonan = Permohonan.objects.get(nomor=nomor)
        if permohonan.status != Permohonan.Status.DIPROSES:
            return taken
        step = Step(permohonan.langkah_sekarang)
        page = officers[STEP_ROLES[step][0]]
        page.goto(live_site.url(f"/perizinan/permohonan/{nomor}/", region="medan"))
        expect(page.locator("#step-form")).to_be_visible()
        expect(page.get_by_role("heading", level=2, name=f"Tahap saat ini: {step.label}"))
        page.get_by_label("Hasil").select_option("setuju")
        if step == Step.PEMBAYARAN:
            page.get_by_label("Referensi pembayaran").fill("NTPD-2026-000123")
        with page.expect_navigation():
            page.get_by_role("button", name="Simpan tahap").click()
        expect(page.get_by_role("status")).to_contain_text("Tahap disimpan.")
        taken += 1
        shots(page, f"tahap-{taken}-{step.value}")
        assert taken <= len(Step.values), "the application never finished"


def _qr_url(pdf: bytes) -> str:
    """The URL in the permit's QR code, decoded from the image inside the PDF."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="the QR decoder (zxing-cpp) is missing")
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1, [image.name for image in images]
    found: list[Any] = zxingcpp.read_barcodes(images[0].image)
    assert [code.format for code in found] == [zxingcpp.BarcodeFormat.QRCode]
    return str(found[0].text)


def test_an_applicant_gets_a_permit_issued_and_verifies_its_qr_code(
    page: Page, browser: Browser, live_site: LiveSite, committed: Committed, tmp_path: Path
) -> None:
    # given: an applicant, the three DPMPTSP officers and a service standard in Medan
    shots = Screenshots("permit")
    medan = Tenant.objects.get(slug="medan")
    _setup(committed, medan.schema_name)
    ktp = tmp_path / "ktp.pdf"
    ktp.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    opened: list[Page] = []
    try:
        _journey(browser, page, live_site, shots, ktp, opened, medan.schema_name)
    finally:
        for other in opened:  # before the server stops: open connections keep its threads
            other.context.close()


def _journey(
    browser: Browser,
    page: Page,
    live_site: LiveSite,
    shots: Screenshots,
    ktp: Path,
    opened: list[Page],
    schema: str,
) -> None:
    # when: the applicant applies
    applicant = _signed_in(browser, live_site, APPLICANT)
    opened.append(applicant)
    nomor = _apply(applicant, live_site, shots, ktp)

    # and the officers take every step; the permit's QR names the live server's port
    officers = {role: _signed_in(browser, live_site, email) for role, email in STAFF.items()}
    opened += officers.values()
    with override_settings(SITE_PORT=str(live_site.port)), schema_context(schema):
        steps = _process(officers, live_site, shots, nomor)
        permohonan = Permohonan.objects.get(nomor=nomor)
        izin = Izin.objects.get(permohonan=permohonan)
    assert permohonan.status == Permohonan.Status.SELESAI
    assert steps == len(permohonan.ketentuan["langkah"])

    # then: the officer's page links the permit's PDF, whose bytes match the published SHA-256
    kepala = officers[Role.KEPALA_DPMPTSP.value]
    kepala.goto(live_site.url(f"/perizinan/permohonan/{nomor}/", region="medan"))
    expect(kepala.locator("#status")).to_have_text("Selesai")
    expect(kepala.get_by_role("main")).to_contain_text(izin.nomor)
    shots(kepala, "izin-terbit")
    href = kepala.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    # Fetched by the page itself (Chromium resolves *.localhost; Playwright's own client not).
    answer = kepala.evaluate(FETCH_BYTES, href)
    assert answer["status"] == 200 and answer["type"] == "application/pdf", answer["status"]
    pdf = bytes(answer["bytes"])

    # when: anyone scans the QR code printed on it, without signing in
    url = _qr_url(pdf)
    assert url.startswith(live_site.url("/layanan/verifikasi/", region="medan")), url
    response = page.goto(url)

    # then: the verification page says genuine and in force, with the PDF's own SHA-256
    assert response is not None and response.status == 200
    expect(page.locator("#verify-status")).to_have_text("Izin ini ASLI dan BERLAKU.")
    expect(page.get_by_role("main")).to_contain_text(izin.nomor)
    expect(page.get_by_role("main")).to_contain_text(hashlib.sha256(pdf).hexdigest())
    shots(page, "verifikasi")
