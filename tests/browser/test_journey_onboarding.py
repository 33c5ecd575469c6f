"""Journey (issue 15): a provincial admin provisions a region on the console; the region's first
admin opens the emailed invitation, activates the account and signs in on the region's host.
Screenshots of every page under the artefacts folder (tests/browser/artifacts.py)."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.test.utils import override_settings
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from tenants.models import Tenant
from tests.browser.artifacts import Screenshots
from tests.browser.conftest import Committed, LiveSite
from tests.browser.test_console import (
    _platform_user,
    _provisioned_cleanup,
    _sign_in,
    _totp_code,
)

pytestmark = pytest.mark.browser

KODE = "72.71"  # Kota Palu: in Sulawesi Tengah, not provisioned in the test session
ADMIN_EMAIL = "admin@palukota.go.id"
ADMIN_PASSWORD = "Sandi-admin-Palu-2026"


def _provision_on_console(page: Page, live_site: LiveSite, shots: Screenshots) -> str:
    """On /penyiapan/, provision Kota Palu with its first admin; returns the region's domain."""
    page.goto(live_site.url("/penyiapan/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Penyiapan daerah")
    row = page.locator(f'#provisioning tr[data-kode="{KODE}"]')
    expect(row).to_contain_text("Kota Palu")
    expect(row).to_contain_text("Belum disiapkan")
    shots(page, "penyiapan")
    row.get_by_label("Email admin pertama").fill(ADMIN_EMAIL)
    row.get_by_role("button", name="Siapkan").click()
    expect(row.get_by_role("progressbar")).to_have_attribute(
        "aria-valuenow", "100", timeout=120_000
    )
    status = row.locator(".provision-status")
    expect(status).to_contain_text(f"Undangan dikirim ke {ADMIN_EMAIL}.")
    shots(page, "penyiapan-selesai")
    tenant = Tenant.objects.get(region_id=KODE)
    domain = tenant.get_primary_domain()
    assert domain is not None and tenant.status == Tenant.Status.ACTIVE
    return str(domain.domain)


def _invitation_link(domain: str, port: int) -> str:
    """The one email sent to the first admin, and the acceptance link in it (on the region)."""
    sent = [message for message in mail.outbox if ADMIN_EMAIL in message.to]
    assert len(sent) == 1, [message.to for message in mail.outbox]
    links = re.findall(r"https?://\S+/akun/undangan/\S+/", str(sent[0].body))
    assert len(links) == 1, sent[0].body
    assert links[0].startswith(f"http://{domain}:{port}/"), links[0]
    return str(links[0])


def test_a_provincial_admin_provisions_a_region_and_its_admin_accepts_the_invitation(
    page: Page, browser: Browser, live_site: LiveSite, committed: Committed
) -> None:
    # given: a provincial admin of Sulawesi Tengah with TOTP; Kota Palu not provisioned
    assert not Tenant.objects.filter(region_id=KODE).exists()
    shots = Screenshots("onboarding")
    email = "penyiap.sulteng@berbagi.id"
    user = _platform_user(
        committed, email, platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="72"
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    committed.undo(lambda: _provisioned_cleanup(KODE))  # before the user's undo (job rows)
    mail.outbox.clear()

    # when: they sign in on the console with their code and provision Kota Palu
    _sign_in(page, live_site, email)
    page.get_by_label("Kode").fill(_totp_code(secret))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Masuk").click()
    shots(page, "konsol-masuk")
    # Links sent outside a request carry SITE_PORT: the live server's here.
    with override_settings(SITE_PORT=str(live_site.port)):
        domain = _provision_on_console(page, live_site, shots)
    link = _invitation_link(domain, live_site.port)

    # then: the first admin, in their own browser, opens the link and activates the account
    admin = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800}).new_page()
    admin.goto(link)
    expect(admin.get_by_role("heading", level=1)).to_have_text("Terima undangan")
    expect(admin.get_by_role("main")).to_contain_text(ADMIN_EMAIL)
    shots(admin, "undangan")
    admin.get_by_label("Nama lengkap").fill("Admin Kota Palu")
    admin.get_by_label(re.compile("^Kata sandi")).fill(ADMIN_PASSWORD)
    admin.get_by_label("Ulangi kata sandi").fill(ADMIN_PASSWORD)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Aktifkan akun").click()
    expect(admin).to_have_url(f"http://{domain}:{live_site.port}/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Kota Palu")
    expect(admin.get_by_role("status")).to_contain_text("Akun Anda sudah aktif")
    shots(admin, "beranda-pertama")

    # and signs out, then back in with the new password on the region's host
    admin.context.clear_cookies()
    admin.goto(f"http://{domain}:{live_site.port}/akun/login/")
    admin.get_by_label("Email").fill(ADMIN_EMAIL)
    admin.get_by_label("Sandi").fill(ADMIN_PASSWORD)
    shots(admin, "masuk")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Masuk").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Kota Palu")
    expect(admin.locator(".site-nav__user")).to_have_text("Admin Kota Palu")
    expect(admin.get_by_role("banner")).to_contain_text("Kota Palu")
    shots(admin, "beranda")
    admin.context.close()

    # the account lives in Palu's schema, as the region's admin, and nowhere else
    palu = Tenant.objects.get(region_id=KODE)
    with schema_context(palu.schema_name):
        account = User.objects.get(email=ADMIN_EMAIL)
        assert account.has_usable_password() and account.full_name == "Admin Kota Palu"
        assert RoleAssignment.objects.filter(user=account, role=Role.ADMIN).exists()
    for other in Tenant.objects.filter(slug__in=["medan", "buol"]):
        with schema_context(other.schema_name):
            assert not User.objects.filter(email=ADMIN_EMAIL).exists()
    assert len(shots.taken) == 7
