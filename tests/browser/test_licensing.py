"""Perizinan as an applicant meets it: sign in on the region's host, apply with documents, get
the receipt with the application number, then track it by that number without signing in."""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditChainHead, AuditEntry
from apps.files.models import StoredFile
from apps.files.storage import RegionFileStorage
from apps.licensing.models import Permohonan, StandarLayanan
from apps.licensing.services.standards import standar_adopt, standar_update
from apps.reference.models import JenisIzin
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"
KODE = "UJI-PERAMBAN"


def _setup(committed: Committed, schema: str) -> None:
    """An applicant and a service standard in `schema`; undo removes all the test made."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash
        applicant = User.objects.create_user(
            email="pemohon@example.org", password=PASSWORD, full_name="Dewi Lestari"
        )
        EmailAddress.objects.create(
            user=applicant, email=applicant.email, verified=True, primary=True
        )
        kepala = User.objects.create_user(email="kadis-uji@medan.go.id")
        RoleAssignment.objects.create(user=kepala, role=Role.KEPALA_DPMPTSP)
        jenis = JenisIzin.objects.create(
            kode=KODE, nama="Izin Uji Peramban", berlaku=True, persyaratan=["KTP"]
        )
        standar = standar_adopt(jenis_izin=jenis, actor=kepala)
        standar_update(
            standar=standar,
            actor=kepala,
            data={
                "persyaratan": [{"nama": "KTP", "wajib": True, "jenis": ["pdf"], "maks_kb": 100}],
            },
        )

    def undo() -> None:
        with schema_context(schema):
            files = list(StoredFile.objects.filter(owner_app="perizinan"))
            Permohonan.objects.all().delete()
            for stored in files:
                RegionFileStorage().delete(stored.path)
                stored.delete()
            StandarLayanan.objects.filter(kode=KODE).delete()
            JenisIzin.objects.filter(kode=KODE).delete()
            AuditEntry.objects.filter(seq__gt=seq).delete()
            AuditChainHead.objects.filter(singleton=True).update(seq=seq, hash=hash_)
            Session.objects.all().delete()
            User.objects.filter(pk__in=[applicant.pk, kepala.pk]).delete()

    committed.undo(undo)


def test_an_applicant_applies_and_tracks_the_application(
    page: Page, browser: Browser, live_site: LiveSite, committed: Committed, tmp_path: Path
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _setup(committed, medan.schema_name)
    ktp = tmp_path / "ktp.pdf"
    ktp.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill("pemohon@example.org")
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()

    page.goto(live_site.url("/layanan/", region="medan"))
    row = page.get_by_role("row").filter(has_text="Izin Uji Peramban")
    with page.expect_navigation():
        row.get_by_role("link", name="Ajukan").click()
    expect(page.get_by_label("Nama pemohon")).to_have_value("Dewi Lestari")
    page.get_by_label("Lokasi kegiatan").fill("Jl. Gatot Subroto 10")
    page.get_by_label("KTP").set_input_files(str(ktp))
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tanda terima permohonan")
    nomor = page.locator("#nomor-permohonan").inner_text().strip()
    assert nomor.startswith("PZ-")

    # Anyone may track it by its number, without signing in, and sees no name.
    visitor = browser.new_context(locale="id-ID").new_page()
    visitor.goto(live_site.url("/layanan/lacak/", region="medan"))
    visitor.get_by_label("Nomor permohonan").fill(nomor)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Lacak").click()
    expect(visitor.locator("#tracking-status")).to_have_text("Diproses")
    expect(visitor.locator("#tracking")).to_contain_text("D. L.")
    expect(visitor.get_by_role("cell", name="Pemeriksaan berkas")).to_be_visible()
    assert "Dewi" not in visitor.content()
    visitor.context.close()
