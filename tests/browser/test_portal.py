"""The transparency portal as a citizen meets it: no sign-in, the enacted APBD with its bars
drawn locally, per capita figures, and a CSV download of a table."""

from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.portal import providers
from apps.portal.documents import apbd_document
from apps.portal.models import Publikasi
from apps.portal.services import publikasi_publish
from apps.portal.tests.conftest import APBD_SUMMARY_TEST_DOUBLE
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser


def _published(committed: Committed, tenant: Tenant) -> None:
    """An APBD published through the service, from a provider registered here (a test double
    of e-budgeting's), undone after the test."""
    providers.provider_register("apbd", lambda tahun: apbd_document(APBD_SUMMARY_TEST_DOUBLE))
    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(email="admin-portal@medan.go.id")
        RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
        publikasi = publikasi_publish(
            actor=admin, jenis="apbd", tahun=2027, kode_wilayah=str(tenant.region_id)
        )

    def undo() -> None:
        providers.PROVIDERS.pop("apbd", None)
        with schema_context(tenant.schema_name):
            Publikasi.objects.filter(pk=publikasi.pk).delete()
            User.objects.filter(pk=admin.pk).delete()

    committed.undo(undo)


def test_a_citizen_reads_the_enacted_budget_and_downloads_a_table(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _published(committed, medan)
    errors: list[Any] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_site.url("/portal/", region="medan"))
    with page.expect_navigation():
        page.get_by_role("link", name="APBD").first.click()
    expect(page.locator("#portal-headline")).to_contain_text("Rp 5.300.000.000,10")
    expect(page.locator("#tabel-per_urusan meter")).to_have_count(2)
    expect(page.locator("#tabel-per_urusan tfoot")).to_contain_text("Rp 5.300.000.000,10")
    link = page.locator("#tabel-per_urusan").get_by_role("link", name="Unduh CSV")
    # fetched by the page itself (a click would start a download, which the browser reports
    # as an aborted navigation)
    text = page.evaluate(
        "async href => { const r = await fetch(href);"
        " return r.headers.get('content-type') + '\\n' + (await r.text()); }",
        link.get_attribute("href"),
    )
    assert text.startswith("text/csv")
    assert "2000000000.05" in text and "5300000000.10" in text
    assert errors == []  # nothing refused by the CSP, nothing fetched from elsewhere
