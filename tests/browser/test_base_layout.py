"""The base layout as a person sees it: language, region pages, routing errors, local assets."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tenants import services
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite, PageLog

pytestmark = pytest.mark.browser


def test_console_renders_in_indonesian(page: Page, live_site: LiveSite) -> None:
    response = page.goto(live_site.url())

    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text("Konsol Berbagi")
    expect(page.get_by_role("heading", name="Daerah yang sudah bergabung")).to_be_visible()
    expect(page.get_by_label("Bahasa")).to_have_value("id")
    expect(page.get_by_role("contentinfo")).to_contain_text("Aplikasi bersama")


def test_choosing_english_translates_the_next_page_and_persists(
    page: Page, live_site: LiveSite
) -> None:
    page.goto(live_site.url())

    page.get_by_label("Bahasa").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Ganti").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Berbagi console")
    expect(page.get_by_role("heading", name="Regions on the platform")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Home")
    expect(page.get_by_role("contentinfo")).to_contain_text("Shared planning, budgeting")

    # A fresh visit in the same browser keeps the choice (a cookie on this host).
    page.goto(live_site.url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Berbagi console")

    # And back again.
    page.get_by_label("Language").select_option("id")
    with page.expect_navigation():
        page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konsol Berbagi")


def test_region_page_shows_the_region(page: Page, live_site: LiveSite) -> None:
    response = page.goto(live_site.url(region="medan"))

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Medan")
    expect(page.get_by_role("banner")).to_contain_text("Kota Medan")
    expect(page).to_have_title("Kota Medan · Berbagi")


def test_unknown_subdomain_shows_the_indonesian_404_page(page: Page, live_site: LiveSite) -> None:
    response = page.goto(live_site.url(region="tidakada"))

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ditemukan")
    expect(page.locator("main")).to_contain_text("Daerah dengan alamat ini tidak ditemukan.")
    expect(page.locator("main")).not_to_contain_text("Daerah yang sudah bergabung")
    # The way out leads to the console on the base domain.
    page.get_by_role("link", name="Ke konsol Berbagi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konsol Berbagi")


def test_suspended_region_shows_the_503_page(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    # given: Buol suspended (committed, so the server thread sees it), restored after the test
    buol = Tenant.objects.get(slug="buol")
    services.tenant_set_status(tenant=buol, status=Tenant.Status.SUSPENDED)
    committed.undo(lambda: services.tenant_set_status(tenant=buol, status=Tenant.Status.ACTIVE))

    response = page.goto(live_site.url(region="buol"))

    assert response is not None and response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Layanan ditangguhkan")
    expect(page.locator("main")).to_contain_text("Kabupaten Buol sedang ditangguhkan sementara.")


def test_every_request_stays_on_the_pages_own_host(
    page: Page, live_site: LiveSite, page_log: PageLog
) -> None:
    for url in (live_site.url(), live_site.url(region="medan"), live_site.url(region="tidakada")):
        page_log.requests.clear()
        page.goto(url)
        page.wait_for_load_state("networkidle")

        own_host = urlsplit(url).netloc
        hosts = {urlsplit(request).netloc for request in page_log.requests}
        assert hosts == {own_host}
        # The stylesheet is among them and is actually applied.
        assert any("/static/css/" in request for request in page_log.requests)
        background = page.locator("header.site-header").evaluate(
            "element => getComputedStyle(element).backgroundColor"
        )
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_console_404_and_a_phone_sized_region_render_properly(
    page: Page, live_site: LiveSite, results_dir: Path
) -> None:
    """The pages answer as they should and fit their screen; screenshots are kept for review."""
    console = page.goto(live_site.url())
    assert console is not None and console.status == 200
    assert page.locator("header.site-header").is_visible()
    page.screenshot(path=results_dir / "console.png", full_page=True)
    missing = page.goto(live_site.url(region="tidakada"))
    assert missing is not None and missing.status == 404
    page.screenshot(path=results_dir / "not-found.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    region = page.goto(live_site.url(region="medan"))
    assert region is not None and region.status == 200
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=results_dir / "region-phone.png", full_page=True)
