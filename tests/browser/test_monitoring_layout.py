"""The monitoring table fits a common office screen (1366 px wide) without scrolling sideways,
with the longest region name in the registry and every column filled."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models.functions import Length
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser

from apps.accounts.models import User
from provisioning.models import RegionSnapshot
from tenants.models import Region, Tenant
from tests.browser.conftest import Committed, LiveSite

pytestmark = pytest.mark.browser

WIDTH = 1366


def _central_session(committed: Committed) -> str:
    """A central-support session (TOTP registered) made server-side; its cookie value."""
    user = User.objects.create_user(email="lebar@berbagi.test", platform_role="central_support")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    committed.undo(lambda: User.objects.filter(pk=user.pk).delete())
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _widest_rows(committed: Committed) -> None:
    """Buol takes the longest kabupaten/kota name; both regions get a full, large snapshot."""
    longest = (
        Region.objects.filter(tingkat=Region.Level.KABUPATEN_KOTA)
        .order_by(-Length("nama"))
        .values_list("nama", flat=True)
        .first()
    )
    buol = Tenant.objects.get(region_id="72.05")
    committed.undo(lambda: Tenant.objects.filter(pk=buol.pk).update(name=buol.name))
    Tenant.objects.filter(pk=buol.pk).update(name=f"Kabupaten {longest}")
    now = timezone.now()
    snapshots = RegionSnapshot.objects.bulk_create(
        RegionSnapshot(
            tenant=tenant,
            taken_at=now,
            status=tenant.status,
            template_version_label="2027.01-rc1",
            migrations_current=False,
            pending_migrations=128,
            users=123_456,
            last_activity=now,
            requests_24h=98_765_432,
            errors_24h=1_234_567,
            storage_bytes=987_654_321_098,
            audit_ok=True,
            audit_head_seq=12_345_678,
        )
        for tenant in Tenant.objects.filter(region_id__in=["12.71", "72.05"])
    )
    committed.undo(lambda: RegionSnapshot.objects.filter(pk__in=[s.pk for s in snapshots]).delete())


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_monitoring_table_fits_1366_pixels(
    browser: Browser, live_site: LiveSite, committed: Committed, language: str
) -> None:
    # given
    _widest_rows(committed)
    session = _central_session(committed)
    context = browser.new_context(viewport={"width": WIDTH, "height": 768})
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_site.url()},
            {"name": "django_language", "value": language, "url": live_site.url()},
        ]
    )
    page = context.new_page()
    try:
        # when
        response = page.goto(live_site.url("/operasi/"))
        assert response is not None and response.status == 200

        # then: neither the page nor the table's own wrapper scrolls sideways
        widths = page.evaluate(
            """() => {
              const wrap = document.querySelector('.ops-table').closest('.table-wrap');
              return {page: document.documentElement.scrollWidth,
                      wrap: wrap.scrollWidth, wrapClient: wrap.clientWidth,
                      rows: document.querySelectorAll('.ops-table tbody tr').length};
            }"""
        )
    finally:
        context.close()
    assert widths["rows"] >= 2
    assert widths["page"] <= WIDTH, widths
    assert widths["wrap"] <= widths["wrapClient"], widths
