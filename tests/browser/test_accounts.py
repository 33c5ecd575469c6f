"""Identity as a person meets it: signing in on a region's host, API tokens, the API docs."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import User
from apps.audit.models import AuditChainHead, AuditEntry
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-peramban-2026"


def _region_user(committed: Committed, schema: str, email: str) -> None:
    """A verified user in `schema`; undo removes it, its sessions and the audit entries after."""
    with schema_context(schema):
        head = AuditChainHead.objects.get()
        seq, hash_ = head.seq, head.hash
        user = User.objects.create_user(email=email, password=PASSWORD, full_name="Uji Peramban")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)

    def undo() -> None:
        with schema_context(schema):
            AuditEntry.objects.filter(seq__gt=seq).delete()
            AuditChainHead.objects.filter(singleton=True).update(seq=seq, hash=hash_)
            Session.objects.all().delete()
            User.objects.filter(pk=user.pk).delete()

    committed.undo(undo)


def test_a_region_user_signs_in_and_creates_an_api_token(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    _region_user(committed, medan.schema_name, "peramban@medan.go.id")

    page.goto(live_site.url("/akun/login/", region="medan"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_label("Email").fill("peramban@medan.go.id")
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kota Medan")

    page.goto(live_site.url("/akun/token/", region="medan"))
    page.get_by_label("Nama token").fill("integrasi SIPD")
    with page.expect_navigation():
        page.get_by_role("button", name="Buat token").click()
    expect(page.locator("#new-token")).to_contain_text("bbg_")
    expect(page.get_by_role("cell", name="integrasi SIPD")).to_be_visible()


def test_a_wrong_password_is_refused_in_indonesian(page: Page, live_site: LiveSite) -> None:
    page.goto(live_site.url("/akun/login/", region="buol"))
    page.get_by_label("Email").fill("tidak-ada@buol.go.id")
    page.get_by_label("Sandi").fill("salah-sekali-123")
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("tidak benar")).to_be_visible()


@pytest.mark.parametrize("region", [None, "medan"])
def test_the_api_docs_load_from_this_host_only(
    page: Page, live_site: LiveSite, region: str | None
) -> None:
    page.goto(live_site.url("/api/docs/", region=region))
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Berbagi API")
