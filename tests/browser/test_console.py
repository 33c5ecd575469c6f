"""The platform console as its staff meet it: sign-in with TOTP, provisioning a region from the
page, monitoring and suspending a region from the support console. Everything written is undone."""

import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.sessions.models import Session
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import Dialog, Page, expect

from apps.accounts.models import User
from apps.audit.models import AuditChainHead, AuditEntry
from provisioning.models import LifecycleRecord, ProvisioningJob, RegionLifecycle, RegionSnapshot
from tenants import services
from tenants.models import Domain, Tenant
from tenants.routing import routing_cache
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-konsol-2026"
NEW_KODE = "72.03"  # Kabupaten Donggala: in Sulawesi Tengah, not provisioned in the test session


def _totp_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last seconds of a 30 s window so
    the code is still valid when the server checks it."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.2)
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def _platform_user(committed: Committed, email: str, **fields: str) -> User:
    """A verified console user (public schema); undo removes it and the console's sessions."""
    user = User.objects.create_user(
        email=email, password=PASSWORD, full_name="Staf Peramban", **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)

    def undo() -> None:
        Session.objects.all().delete()
        User.objects.filter(pk=user.pk).delete()

    committed.undo(undo)
    return user


def _sign_in(page: Page, live_site: LiveSite, email: str) -> None:
    page.goto(live_site.url("/akun/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def _region_audit_checkpoint(committed: Committed, schema: str) -> None:
    """Undo puts the region's audit chain back where it is now."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash

    def undo() -> None:
        with schema_context(schema):
            AuditEntry.objects.filter(seq__gt=seq).delete()
            AuditChainHead.objects.filter(singleton=True).update(seq=seq, hash=hash_)

    committed.undo(undo)


def _provisioned_cleanup(kode: str) -> None:
    """Everything provisioning a region leaves: its schema, domain, tenant and job rows."""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{Tenant.schema_name_for(kode)}" CASCADE')
    Domain.objects.filter(tenant__region_id=kode).delete()
    RegionSnapshot.objects.filter(tenant__region_id=kode).delete()
    LifecycleRecord.objects.filter(tenant__region_id=kode).delete()
    RegionLifecycle.objects.filter(tenant__region_id=kode).delete()
    Tenant.objects.filter(region_id=kode).delete()
    ProvisioningJob.objects.filter(region_id=kode).delete()
    routing_cache.clear()


def test_a_provincial_admin_sets_up_totp_and_provisions_a_region(
    page: Page, live_site: LiveSite, committed: Committed, results_dir: Path
) -> None:
    # given: a provincial admin of Sulawesi Tengah without MFA; Donggala not provisioned
    assert not Tenant.objects.filter(region_id=NEW_KODE).exists()
    email = "admin.sulteng@berbagi.id"
    _platform_user(
        committed,
        email,
        platform_role=User.PlatformRole.PROVINCIAL_ADMIN,
        province_code="72",
    )
    # Runs before the user's undo: the job row refers to the user.
    committed.undo(lambda: _provisioned_cleanup(NEW_KODE))

    # when: they sign in, the console sends them to set up TOTP first (allauth asks for the
    # password once more before it shows a secret)
    _sign_in(page, live_site, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Konfirmasi Akses")
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Konfirmasi").click()
    expect(page).to_have_url(live_site.url("/akun/2fa/totp/activate/?wajib=1"))
    expect(page.get_by_role("alert")).to_contain_text("wajib mengaktifkan autentikasi dua faktor")
    page.screenshot(path=results_dir / "console-totp-activate.png", full_page=True)
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    page.get_by_label("Kode autentikator").fill(_totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan").click()

    # then: the provisioning page lists the province's kab/kota only
    page.goto(live_site.url("/penyiapan/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Penyiapan daerah")
    table = page.locator("#provisioning table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(13)
    codes = rows.evaluate_all("rows => rows.map(r => r.dataset.kode)")
    assert all(code.startswith("72.") for code in codes)
    assert "12.71" not in codes
    expect(table).not_to_contain_text("Medan")
    buol = table.locator('tr[data-kode="72.05"]')
    expect(buol).to_contain_text("Aktif")
    page.screenshot(path=results_dir / "console-penyiapan.png", full_page=True)

    # when: they provision Donggala with its first admin's email
    row = table.locator(f'tr[data-kode="{NEW_KODE}"]')
    expect(row).to_contain_text("Belum disiapkan")
    row.get_by_label("Email admin pertama").fill("admin@donggalakab.go.id")
    row.get_by_role("button", name="Siapkan").click()

    # then: the bar reaches 100% and the message names the new region's address
    progress = row.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=120_000)
    status = row.locator(".provision-status")
    expect(status).to_contain_text("Selesai. Daerah siap di")
    tenant = Tenant.objects.get(region_id=NEW_KODE)
    domain = tenant.get_primary_domain()
    assert domain is not None and tenant.status == Tenant.Status.ACTIVE
    expect(status.get_by_role("link", name=domain.domain)).to_be_visible()
    expect(status).to_contain_text("Undangan dikirim ke admin@donggalakab.go.id.")
    expect(row.locator(".provision-state")).to_have_text("Aktif")
    expect(row.get_by_role("button", name="Siapkan")).to_be_hidden()
    page.screenshot(path=results_dir / "console-penyiapan-selesai.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=results_dir / "console-penyiapan-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    # and the new region's host answers in the browser
    with page.expect_response(live_site.url(region=tenant.slug)) as answer:
        status.get_by_role("link", name=domain.domain).click()
    assert answer.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabupaten Donggala")
    expect(page.get_by_role("banner")).to_contain_text("Kabupaten Donggala")


def test_central_support_suspends_and_resumes_a_region_from_the_console(
    page: Page, live_site: LiveSite, committed: Committed, results_dir: Path
) -> None:
    # given: central support with TOTP; whatever the console writes is removed afterwards
    email = "dukungan.pusat@berbagi.id"
    user = _platform_user(committed, email, platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    buol = Tenant.objects.get(slug="buol")
    _region_audit_checkpoint(committed, buol.schema_name)
    last_snapshot = RegionSnapshot.objects.order_by("-id").values_list("id", flat=True).first()
    last_record = LifecycleRecord.objects.order_by("-id").values_list("id", flat=True).first()
    had_lifecycle = RegionLifecycle.objects.filter(tenant=buol).exists()

    def restore() -> None:
        RegionSnapshot.objects.filter(id__gt=last_snapshot or 0).delete()
        LifecycleRecord.objects.filter(id__gt=last_record or 0).delete()
        if not had_lifecycle:
            RegionLifecycle.objects.filter(tenant=buol).delete()
        services.tenant_set_status(tenant=buol, status=Tenant.Status.ACTIVE)

    committed.undo(restore)

    # when: they sign in with their authenticator code
    _sign_in(page, live_site, email)
    expect(page).to_have_url(live_site.url("/akun/2fa/authenticate/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Autentikasi Dua Faktor")
    page.get_by_label("Kode").fill(_totp_code(secret))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Masuk").click()

    # and open the monitoring overview, taking a snapshot from the page
    page.goto(live_site.url("/operasi/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemantauan daerah")
    with page.expect_navigation():
        page.get_by_role("button", name="Ambil cuplikan sekarang").click()
    expect(page.get_by_role("status")).to_contain_text("Pengambilan cuplikan dijalankan.")
    table = page.locator("table.ops-table")
    expect(table.get_by_role("link", name="Kota Medan")).to_be_visible()
    expect(table.get_by_role("link", name="Kabupaten Buol")).to_be_visible()
    expect(table).not_to_contain_text("belum ada cuplikan")
    page.screenshot(path=results_dir / "console-operasi.png", full_page=True)

    # then: the region's page shows its charts
    with page.expect_navigation():
        table.get_by_role("link", name="Kabupaten Buol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Buol")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("img", name="Pengguna aktif")).to_be_visible()
    page.screenshot(path=results_dir / "console-operasi-daerah.png", full_page=True)

    # when: they suspend Buol, confirming in the dialog the page opens
    page.get_by_label("Alasan").fill("Uji peramban")
    asked: list[str] = []

    def confirm(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", confirm)
    with page.expect_navigation():
        page.get_by_role("button", name="Tangguhkan").click()
    assert asked == [
        "Tangguhkan Kabupaten Buol? Alamatnya akan menampilkan halaman 503 "
        "sampai diaktifkan kembali."
    ]
    expect(page.get_by_role("status")).to_contain_text("Kabupaten Buol ditangguhkan.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ditangguhkan")

    # then: Buol's host shows the 503 page
    response = page.goto(live_site.url(region="buol"))
    assert response is not None and response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan ditangguhkan")

    # when: they resume it from the console, Buol answers again
    page.goto(live_site.url(f"/operasi/daerah/{buol.schema_name}/"))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktifkan kembali").click()
    expect(page.get_by_role("status")).to_contain_text("Kabupaten Buol aktif kembali.")
    response = page.goto(live_site.url(region="buol"))
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Kabupaten Buol")


def test_a_provincial_admin_only_reads_the_support_console_for_their_province(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    # given: a provincial admin of Sulawesi Tengah with TOTP
    email = "pemantau.sulteng@berbagi.id"
    user = _platform_user(
        committed, email, platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="72"
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _sign_in(page, live_site, email)
    page.get_by_label("Kode").fill(_totp_code(secret))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Masuk").click()

    # when
    page.goto(live_site.url("/operasi/"))

    # then: Buol is listed, Medan is not; no snapshot button, no link to template releases
    table = page.locator("table.ops-table")
    expect(table.get_by_role("link", name="Kabupaten Buol")).to_be_visible()
    expect(table).not_to_contain_text("Kota Medan")
    expect(page.get_by_role("button", name="Ambil cuplikan sekarang")).to_have_count(0)
    expect(page.get_by_role("link", name="Versi templat dan penerapan")).to_have_count(0)
    expect(page.locator('select[name="provinsi"] option')).to_have_text(
        ["Semua", "72 Sulawesi Tengah"]
    )

    # and Buol's page offers no lifecycle actions
    with page.expect_navigation():
        table.get_by_role("link", name="Kabupaten Buol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Buol")
    expect(page.get_by_role("button", name="Tangguhkan")).to_have_count(0)

    # and the releases page refuses them with the 403 page
    response = page.goto(live_site.url("/operasi/rilis/"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Akses ditolak")
    expect(page.get_by_role("alert")).to_contain_text("Hanya dukungan pusat")
