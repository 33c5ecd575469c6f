"""The RPJMD as a Bappeda planner builds it in the browser: visi, a misi (a bad order number is
refused at its field first), then the tree shows them."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django_tenants.utils import schema_context
from playwright.sync_api import Page, expect

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditChainHead, AuditEntry
from apps.planning.models import Period
from apps.planning.models_rpjmd import Misi, Rpjmd
from tenants.models import Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

PASSWORD = "Rahasia-rpjmd-2026"
EMAIL = "rpjmd@medan.go.id"


def _setup(committed: Committed, schema: str) -> Period:
    """A period and a Bappeda planner (setup, written directly); undo also rewinds the audit
    chain to where it is now."""
    with schema_context(schema):
        head = AuditChainHead.objects.filter(singleton=True).first()
        seq, hash_ = (head.seq, head.hash) if head else (0, "")
        fresh = head is None
        period = Period.objects.create(nama="RPJMD uji", tahun_awal=2091, tahun_akhir=2095)
        user = User.objects.create_user(email=EMAIL, password=PASSWORD, full_name="Perencana")
        EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
        RoleAssignment.objects.create(user=user, role=Role.BAPPEDA)

    def undo() -> None:
        with schema_context(schema):
            Misi.objects.filter(rpjmd__period=period).delete()
            Rpjmd.objects.filter(period=period).delete()
            period.delete()
            Session.objects.all().delete()
            User.objects.filter(pk=user.pk).delete()
            AuditEntry.objects.filter(seq__gt=seq).delete()
            heads = AuditChainHead.objects.filter(singleton=True)
            heads.delete() if fresh else heads.update(seq=seq, hash=hash_)

    committed.undo(undo)
    return period


def test_a_planner_writes_the_visi_and_a_misi_and_sees_the_tree(
    page: Page, live_site: LiveSite, committed: Committed
) -> None:
    medan = Tenant.objects.get(slug="medan")
    period = _setup(committed, medan.schema_name)
    page.goto(live_site.url("/akun/login/", region="medan"))
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()

    page.goto(live_site.url(f"/perencanaan/rpjmd/?periode={period.pk}", region="medan"))
    with page.expect_navigation():
        page.get_by_role("link", name="Isi visi RPJMD").click()
    page.locator("textarea[name=visi]").fill("Kota uji yang sejahtera")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#rpjmd-visi")).to_have_text("Kota uji yang sejahtera")

    with page.expect_navigation():
        page.get_by_role("link", name="Tambah misi").click()
    page.locator("input[name=urutan]").fill("nol")
    page.locator("textarea[name=uraian]").fill("Pelayanan dasar merata")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#form-error")).to_contain_text("(urutan)")
    page.locator("input[name=urutan]").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Misi 1: Pelayanan dasar merata")).to_be_visible()
