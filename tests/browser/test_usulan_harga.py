"""A standard-price request as people meet it: an OPD operator proposes a new price from the
menu's "Usulan SSH" page, BPKAD and TAPD approve it on the request's page (the first approver
is refused a second approval), and the item's price history shows both prices."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.reference.models import (
    DaftarHarga,
    PersetujuanHarga,
    RiwayatHarga,
    StandarHarga,
    StandarHargaRekening,
    UsulanHarga,
)
from apps.reference.services import STARTER_RELEASE_DIR, reference_import
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"
DINKES = "1.02.0.00.0.00.01.0000"


def _sign_in(page: Page, live_site: LiveSite, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def _people(medan: Tenant, committed: Committed) -> dict[str, str]:
    with schema_context(medan.schema_name):
        loader = reference_import(
            path=STARTER_RELEASE_DIR / "standar_harga.csv", kind="harga", tahun=2026
        )
        daftar = DaftarHarga.objects.get(pk=int(loader.daftar_id or 0))
        emails = {}
        for name, roles in {
            "operator": [(Role.OPD_OPERATOR, DINKES)],
            "bpkad": [(Role.BPKAD, "")],
            "tapd": [(Role.TAPD, "")],
        }.items():
            user = User.objects.create_user(email=f"{name}.ssh@example.org", password=PASSWORD)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            for role, opd in roles:
                RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
            emails[name] = user.email

    def undo() -> None:
        with schema_context(medan.schema_name):
            Session.objects.all().delete()
            RiwayatHarga.objects.all().delete()
            PersetujuanHarga.objects.all().delete()
            UsulanHarga.objects.all().delete()
            StandarHargaRekening.objects.filter(standar_harga__daftar=daftar).delete()
            StandarHarga.objects.filter(daftar=daftar).delete()
            DaftarHarga.objects.filter(pk=daftar.pk).delete()
            User.objects.filter(email__in=emails.values()).delete()

    committed.undo(undo)
    return emails


def test_an_opd_proposes_a_price_that_two_people_approve(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    emails = _people(medan, committed)
    # the operator proposes a new price through the menu and the form
    _sign_in(page, live_site, emails["operator"])
    with page.expect_navigation():
        page.get_by_role("navigation", name="Navigasi utama").get_by_role(
            "link", name="Usulan SSH"
        ).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Ajukan usulan").click()
    page.get_by_label("Jenis usulan").select_option("harga_baru")
    page.get_by_label("Kode item yang ada").fill("SSH.01.0001")
    page.get_by_label("Harga satuan (Rp)").fill("5000")
    page.get_by_label("Justifikasi").fill("Harga pasar naik")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim usulan").click()
    expect(page.locator("#usulan-status")).to_have_text("Diajukan")
    detail = page.url
    # BPKAD approves; TAPD approves and the price takes effect
    _sign_in(page, live_site, emails["bpkad"])
    page.goto(detail)
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#persetujuan")).to_contain_text("BPKAD")
    expect(page.locator("#usulan-status")).to_have_text("Diajukan")
    _sign_in(page, live_site, emails["tapd"])
    page.goto(detail)
    with page.expect_navigation():
        page.get_by_role("button", name="Setujui").click()
    expect(page.locator("#usulan-status")).to_have_text("Disetujui dan berlaku")
    # the item's history reads the imported price, then the approved one
    with page.expect_navigation():
        page.get_by_role("link", name="riwayat harga").click()
    table = page.locator("#riwayat-table")
    expect(table).to_contain_text("Rp 4.500,00")
    expect(table).to_contain_text("Rp 5.000,00")
