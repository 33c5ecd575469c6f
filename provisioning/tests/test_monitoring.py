from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from provisioning import services
from provisioning.metrics import OTHER_HOSTS, request_counter
from provisioning.models import RegionSnapshot
from provisioning.tests.conftest import CONSOLE
from tenants.models import Tenant


def many_regions(count: int, *, province: str = "72") -> list[Tenant]:
    """Tenant rows without schemas, each with two snapshots (only the latest is shown)."""
    tenants = Tenant.objects.bulk_create(
        [
            Tenant(
                schema_name=f"ops_many_{province}_{i}",
                name=f"Daerah uji {province}-{i}",
                kind=Tenant.Kind.KABUPATEN,
                slug=f"ops-many-{province}-{i}",
                status=Tenant.Status.ARCHIVED if i % 7 == 0 else Tenant.Status.ACTIVE,
                province_id=province,
            )
            for i in range(count)
        ]
    )
    now = timezone.now()
    RegionSnapshot.objects.bulk_create(
        [
            RegionSnapshot(
                tenant=t,
                taken_at=now - timedelta(hours=h),
                status=t.status,
                users=h,
                requests_24h=10,
            )
            for t in tenants
            for h in (0, 1)
        ]
    )
    return tenants


def page_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_overview_renders_in_a_bounded_number_of_queries(console: Client) -> None:
    many_regions(5)
    page_queries(console, "/operasi/")  # the session's first page stores its CSRF secret
    few, _ = page_queries(console, "/operasi/")
    many_regions(300, province="12")
    many, html = page_queries(console, "/operasi/")
    assert many == few
    assert many <= 12
    assert html.count("ops-many-") == 0  # slugs are not shown; names are
    assert html.count("Daerah uji 12-") == 300


def test_filters_by_province_status_and_version(console: Client) -> None:
    many_regions(14, province="72")
    many_regions(3, province="12")
    _, html = page_queries(console, "/operasi/?provinsi=12")
    assert "Daerah uji 12-1" in html and "Daerah uji 72-1" not in html
    _, html = page_queries(console, "/operasi/?provinsi=72&status=archived")
    assert html.count("Daerah uji 72-") == 2  # 0 and 7
    _, html = page_queries(console, "/operasi/?versi=tidak-ada")
    assert "Daerah uji" not in html


def test_provincial_admins_see_only_their_province(
    make_console_user: Callable[..., User],
) -> None:
    many_regions(2, province="72")
    many_regions(2, province="12")
    admin = make_console_user("sulteng@berbagi.test", role="provincial_admin", province_code="72")
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(admin)
    _, html = page_queries(client, "/operasi/")
    assert "Daerah uji 72-1" in html and "Daerah uji 12-1" not in html
    api = client.get("/api/operations/regions/").json()
    assert {row["province"] for row in api["results"]} == {"72"}
    assert client.get("/operasi/daerah/ops_many_12_1/").status_code == 404
    assert client.get("/operasi/daerah/ops_many_72_1/").status_code == 200


def test_snapshots_collect_every_regions_figures(console: Client, medan: Tenant) -> None:
    # given a few requests to Medan and regions without schemas
    request_counter.reset()
    visitor = Client(HTTP_HOST=f"{medan.slug}.localhost")
    for _ in range(3):
        visitor.get("/")
    many_regions(3)
    # when
    with CaptureQueriesContext(connection) as queries:
        count = services.snapshot_collect()
    # then
    assert count == Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).count()
    snapshot = RegionSnapshot.objects.filter(tenant=medan).latest("taken_at")
    assert snapshot.schema_present and snapshot.migrations_current
    assert snapshot.requests_24h == 3
    assert snapshot.storage_bytes > 0
    assert snapshot.audit_ok is True
    missing = RegionSnapshot.objects.filter(tenant__schema_name="ops_many_72_1").latest("taken_at")
    assert not missing.schema_present and missing.storage_bytes == 0
    # a second collection does not verify unchanged chains again
    with CaptureQueriesContext(connection) as again:
        services.snapshot_collect()
    assert len(again) < len(queries)


def test_region_page_draws_the_history_chart(console: Client, medan: Tenant) -> None:
    services.snapshot_collect()
    services.snapshot_collect()
    response = console.get(f"/operasi/daerah/{medan.schema_name}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart"') == 3 and "<polyline" in html
    assert 'src="http' not in html and 'href="http' not in html  # nothing from a CDN


def test_made_up_hosts_share_one_counter_past_the_hourly_limit(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a limit of 3 distinct hosts an hour
    request_counter.reset()
    monkeypatch.setattr("provisioning.metrics.MAX_HOSTS_PER_HOUR", 3)
    # when 10 different hosts are seen, one of them twice
    for i in range(10):
        request_counter.add(f"acak{i}.localhost")
    request_counter.add("acak0.localhost")
    # then the first three are counted apart and the rest together
    totals = request_counter.totals_24h()
    assert totals["acak0.localhost"] == (2, 0)
    assert totals[OTHER_HOSTS] == (7, 0)
    assert len(totals) == 4
    request_counter.reset()
