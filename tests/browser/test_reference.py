"""Reference data as a planner meets it: sign in on the region's host, open the nomenclature
from the menu, search it and filter by level, follow an item to its page in the tree."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"


def test_a_planner_searches_the_nomenclature_and_opens_an_item(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    with schema_context(medan.schema_name):
        planner = User.objects.create_user(email="perencana@example.org", password=PASSWORD)
        EmailAddress.objects.create(user=planner, email=planner.email, verified=True, primary=True)
        RoleAssignment.objects.create(user=planner, role=Role.BAPPEDA)

    def undo() -> None:
        with schema_context(medan.schema_name):
            Session.objects.all().delete()
            User.objects.filter(pk=planner.pk).delete()

    committed.undo(undo)

    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(planner.email)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()

    with page.expect_navigation():
        page.get_by_role("navigation", name="Navigasi utama").get_by_role(
            "link", name="Referensi"
        ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nomenklatur perencanaan")
    page.get_by_label("Cari kode atau nama").fill("rumah sakit")
    page.get_by_label("Tingkat").select_option("sub_kegiatan")
    with page.expect_navigation():
        page.get_by_role("button", name="Saring").click()
    rows = page.locator("table.reference-table tbody tr")
    expect(rows.first).to_contain_text("Rumah Sakit")
    assert rows.count() > 1
    for text in rows.all_inner_texts():
        assert "rumah sakit" in text.lower() and "Sub kegiatan" in text
    # the filter stays as typed, and an item opens on its own page with its place in the tree
    expect(page.get_by_label("Cari kode atau nama")).to_have_value("rumah sakit")
    link = rows.first.get_by_role("link").first
    kode = link.inner_text().strip()
    with page.expect_navigation():
        link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(kode)
    expect(page.get_by_role("navigation", name="Letak dalam pohon nomenklatur")).to_contain_text(
        kode.rsplit(".", 1)[0]
    )
    # garbage in the query is a message on the page, not an error page
    page.goto(live_site.url("/referensi/?per_halaman=999999", region="medan"))
    expect(page.get_by_role("alert").first).to_be_visible()
