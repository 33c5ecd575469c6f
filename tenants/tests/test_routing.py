"""Routing by Host: region -> its schema, console on the base domain, 404/503/400 otherwise,
and the per-process cache that makes a warm request cost no tenant lookup."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2
import pytest
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django_tenants.utils import schema_context
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as CaptureCallbacks
from pytest_django.fixtures import Settings

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from tenants import services
from tenants.db import schema_current
from tenants.models import Domain, Tenant
from tenants.routing import NOT_FOUND, Route, hostname_route, routing_cache


@pytest.fixture
def client() -> Client:
    return Client()


def _view_counts_audit_entries(request: HttpRequest) -> JsonResponse:
    """A region view that queries its schema once (the routing tests' probe)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), (SELECT count(*) FROM audit_auditentry)")
        schema, entries = cursor.fetchone() or (None, None)
    return JsonResponse({"schema": schema, "entries": entries})


urlpatterns = [path("probe/", _view_counts_audit_entries)]


@pytest.fixture
def probe_urls(settings: Settings) -> None:
    """Region hosts serve this module's URLconf (console hosts keep theirs)."""
    settings.ROOT_URLCONF = __name__


@pytest.fixture(autouse=True)
def _cold_routing_cache() -> Iterator[None]:
    """Each test starts and ends with an empty routing cache (no route leaks between tests)."""
    routing_cache.clear()
    yield
    routing_cache.clear()


@contextmanager
def _statements() -> Iterator[list[str]]:
    """The SQL statements sent on this connection inside the block (SETs included)."""
    sent: list[str] = []
    with CaptureQueriesContext(connection) as queries:
        yield sent
    sent.extend(q["sql"] for q in queries.captured_queries)


def _tenant_lookups(statements: list[str]) -> list[str]:
    return [s for s in statements if "tenants_domain" in s or "tenants_tenant" in s]


def _search_path_sets(statements: list[str]) -> list[str]:
    return [s for s in statements if s.upper().startswith("SET SEARCH_PATH")]


# --- where a Host leads ---------------------------------------------------------------------


def test_region_host_serves_its_own_schema(client: Client, medan: Tenant) -> None:
    response = client.get("/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    assert "Kota Medan" in response.content.decode()
    assert schema_current() == medan.schema_name


def test_each_region_host_serves_its_own_region(
    client: Client, medan: Tenant, buol: Tenant
) -> None:
    response = client.get("/", HTTP_HOST="buol.localhost:8000")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kabupaten Buol" in body
    assert "Kota Medan" not in body
    assert schema_current() == buol.schema_name


def test_host_is_matched_case_insensitively_and_without_trailing_dot(
    client: Client, medan: Tenant
) -> None:
    assert client.get("/", HTTP_HOST="MEDAN.Localhost").status_code == 200
    assert client.get("/", HTTP_HOST="medan.localhost.").status_code == 200
    assert schema_current() == medan.schema_name


def test_base_domain_serves_the_console(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert "Konsol Berbagi" in response.content.decode()
    assert schema_current() == "public"


def test_console_after_a_region_request_is_back_on_public(client: Client, medan: Tenant) -> None:
    client.get("/", HTTP_HOST="medan.localhost")
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert "Konsol Berbagi" in response.content.decode()
    assert schema_current() == "public"


def test_unknown_subdomain_is_404_not_the_console(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="tidakada.localhost")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Daerah dengan alamat ini tidak ditemukan" in body
    assert "Daerah yang sudah bergabung" not in body
    assert "Konsol Berbagi" not in body


def test_unknown_subdomain_api_path_is_404_too(client: Client, db: None) -> None:
    response = client.get("/api/audit/entries/", HTTP_HOST="tidakada.localhost")
    assert response.status_code == 404


def test_the_master_template_never_routes_even_with_a_domain(
    client: Client, db: None, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given a Host that points at the template schema
    template = Tenant.objects.get(kind=Tenant.Kind.TEMPLATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.domain_set(tenant=template, domain="templat.localhost")
    # then it is treated as unknown
    assert client.get("/", HTTP_HOST="templat.localhost").status_code == 404


@pytest.mark.parametrize(
    "status", [Tenant.Status.PROVISIONING, Tenant.Status.FAILED, Tenant.Status.ARCHIVED]
)
def test_region_that_is_not_serving_is_404(
    client: Client,
    buol: Tenant,
    status: str,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_set_status(tenant=buol, status=status)
    assert client.get("/", HTTP_HOST="buol.localhost").status_code == 404


def test_suspended_region_answers_503_with_a_page(
    client: Client, buol: Tenant, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    client.get("/", HTTP_HOST="buol.localhost")  # warm the cache with the active region
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_set_status(tenant=buol, status=Tenant.Status.SUSPENDED)
    response = client.get("/", HTTP_HOST="buol.localhost")
    assert response.status_code == 503
    assert "Kabupaten Buol sedang ditangguhkan" in response.content.decode()
    # and the API of a suspended region is closed as well
    assert client.get("/api/audit/entries/", HTTP_HOST="buol.localhost").status_code == 503


def test_resumed_region_serves_again(
    client: Client, buol: Tenant, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_set_status(tenant=buol, status=Tenant.Status.SUSPENDED)
    assert client.get("/", HTTP_HOST="buol.localhost").status_code == 503
    with django_capture_on_commit_callbacks(execute=True):
        services.tenant_set_status(tenant=buol, status=Tenant.Status.ACTIVE)
    assert client.get("/", HTTP_HOST="buol.localhost").status_code == 200


def test_disallowed_host_is_400(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Host tidak dikenal" in response.content.decode()


@pytest.mark.parametrize(
    "host", ["medan.localhost:notaport", "medan localhost", "[::1]:8000", "medan.localhost@evil"]
)
def test_malformed_host_is_400(client: Client, db: None, host: str) -> None:
    assert client.get("/", HTTP_HOST=host).status_code == 400


def test_missing_host_is_400(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 400
    assert "tanpa header Host" in response.content.decode()


# --- the cache ------------------------------------------------------------------------------


def test_warm_request_costs_no_tenant_lookup(client: Client, medan: Tenant) -> None:
    client.get("/", HTTP_HOST="medan.localhost")
    with _statements() as statements:
        response = client.get("/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    assert _tenant_lookups(statements) == []
    assert _search_path_sets(statements) == []


def test_warm_request_sends_only_the_views_own_statements(
    client: Client, probe_urls: None, medan: Tenant
) -> None:
    client.get("/probe/", HTTP_HOST="medan.localhost")
    with _statements() as statements:
        response = client.get("/probe/", HTTP_HOST="medan.localhost")
    assert response.json()["schema"] == medan.schema_name
    assert statements == ["SELECT current_schema(), (SELECT count(*) FROM audit_auditentry)"]


def test_cold_request_looks_the_tenant_up_once(client: Client, medan: Tenant) -> None:
    with _statements() as statements:
        client.get("/", HTTP_HOST="medan.localhost")
    assert len(_tenant_lookups(statements)) == 1
    with _statements() as statements:
        client.get("/", HTTP_HOST="medan.localhost")
        client.get("/", HTTP_HOST="medan.localhost")
    assert _tenant_lookups(statements) == []


def test_unknown_hosts_are_cached_too(client: Client, db: None) -> None:
    client.get("/", HTTP_HOST="tidakada.localhost")
    with _statements() as statements:
        assert client.get("/", HTTP_HOST="tidakada.localhost").status_code == 404
    assert _tenant_lookups(statements) == []


def test_switching_regions_costs_one_set_per_switch(
    client: Client, probe_urls: None, medan: Tenant, buol: Tenant
) -> None:
    with schema_context(medan.schema_name):
        audit_record(actor="uji", action=AuditAction.REFERENCE_IMPORTED)
        in_medan = AuditEntry.objects.count()  # provisioning's entries and this one
    with schema_context(buol.schema_name):
        in_buol = AuditEntry.objects.count()
    for host in ("medan.localhost", "buol.localhost"):
        client.get("/probe/", HTTP_HOST=host)
    with _statements() as statements:
        answers = [
            client.get("/probe/", HTTP_HOST=host).json()
            for host in ("medan.localhost", "medan.localhost", "buol.localhost", "buol.localhost")
        ]
    # each region reads its own schema...
    assert answers == [
        {"schema": medan.schema_name, "entries": in_medan},
        {"schema": medan.schema_name, "entries": in_medan},
        {"schema": buol.schema_name, "entries": in_buol},
        {"schema": buol.schema_name, "entries": in_buol},
    ]
    # ...for one SET per switch and no lookup
    assert _search_path_sets(statements) == [
        'SET search_path = "daerah_12_71","public"',
        'SET search_path = "daerah_72_05","public"',
    ]
    assert _tenant_lookups(statements) == []


def test_new_domain_is_seen_on_the_next_request(
    client: Client, medan: Tenant, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given the Host is known to be unknown
    assert client.get("/", HTTP_HOST="pemkot-medan.localhost").status_code == 404
    # when the domain is attached to Medan
    with django_capture_on_commit_callbacks(execute=True):
        services.domain_set(tenant=medan, domain="pemkot-medan.localhost")
    # then the very next request reaches Medan
    response = client.get("/", HTTP_HOST="pemkot-medan.localhost")
    assert response.status_code == 200
    assert "Kota Medan" in response.content.decode()


def test_moved_domain_is_seen_on_the_next_request(
    client: Client,
    medan: Tenant,
    buol: Tenant,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    assert "Kota Medan" in client.get("/", HTTP_HOST="medan.localhost").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.domain_set(tenant=buol, domain="medan.localhost")
    response = client.get("/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    assert "Kabupaten Buol" in response.content.decode()


def test_deleted_domain_is_404_on_the_next_request(
    client: Client, medan: Tenant, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    assert client.get("/", HTTP_HOST="medan.localhost").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.domain_delete(domain="medan.localhost")
    assert client.get("/", HTTP_HOST="medan.localhost").status_code == 404


def test_a_route_read_before_a_change_is_not_cached_after_it(db: None) -> None:
    # A request that looked a Host up before a change committed must not store the stale answer
    # after the change's invalidation has run.
    generation = routing_cache.generation
    routing_cache.clear()  # a change notice arrives while the lookup is in flight
    routing_cache.put("lambat.localhost", NOT_FOUND, generation=generation)
    assert routing_cache.get("lambat.localhost") is None


def test_cached_route_expires_after_the_ttl(settings: Settings, medan: Tenant) -> None:
    assert hostname_route("medan.localhost").tenant == medan
    settings.TENANT_ROUTING_CACHE_TTL = -1
    assert routing_cache.get("medan.localhost") is None
    settings.TENANT_ROUTING_CACHE_TTL = 300
    route = hostname_route("medan.localhost")
    assert isinstance(route, Route)
    assert route.tenant == medan


# --- across processes: the LISTEN/NOTIFY listener ----------------------------------------------


def _raw_autocommit_connection() -> Any:
    """A second session on the test database, outside Django and outside the test transaction."""
    raw = psycopg2.connect(**connection.get_connection_params())
    raw.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    return raw


def _wait_for_cache_cleared(timeout: float = 5.0) -> bool:
    """Polls (not a timed assertion: the deadline only bounds a hang)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(routing_cache) == 0:
            return True
        time.sleep(0.02)
    return False


def test_listener_drops_routes_when_another_process_commits_a_change(
    client: Client, medan: Tenant, settings: Settings
) -> None:
    settings.TENANT_ROUTING_LISTEN = True
    raw = _raw_autocommit_connection()
    try:
        # given a running listener (it clears the cache once it is listening)
        routing_cache.put("penanda.localhost", NOT_FOUND)
        routing_cache.ensure_listener()
        assert _wait_for_cache_cleared(), "the listener never started listening"
        # and a cached 'unknown' for a Host that does not exist yet
        assert client.get("/", HTTP_HOST="medan-lama.localhost").status_code == 404
        assert len(routing_cache) == 1

        # when another process commits a new domain for Medan
        with raw.cursor() as cursor:
            cursor.execute(
                "INSERT INTO public.tenants_domain (domain, tenant_id, is_primary) "
                "VALUES (%s, %s, false)",
                ["medan-lama.localhost", medan.pk],
            )

        # then this process drops its routes and the next request reaches Medan
        assert _wait_for_cache_cleared(), "no change notice reached the listener"
        response = client.get("/", HTTP_HOST="medan-lama.localhost")
        assert response.status_code == 200
        assert "Kota Medan" in response.content.decode()

        # and removing it again is seen the same way
        with raw.cursor() as cursor:
            cursor.execute(
                "DELETE FROM public.tenants_domain WHERE domain = %s", ["medan-lama.localhost"]
            )
        assert _wait_for_cache_cleared(), "no change notice reached the listener"
        assert client.get("/", HTTP_HOST="medan-lama.localhost").status_code == 404
    finally:
        routing_cache.stop_listener()
        with raw.cursor() as cursor:
            cursor.execute(
                "DELETE FROM public.tenants_domain WHERE domain = %s", ["medan-lama.localhost"]
            )
        raw.close()
    assert not Domain.objects.filter(domain="medan-lama.localhost").exists()


def test_routes_outlive_the_ttl_only_while_the_listener_listens(
    medan: Tenant, settings: Settings
) -> None:
    settings.TENANT_ROUTING_LISTEN = True
    try:
        # given a running listener and a route cached after it started listening
        routing_cache.put("penanda.localhost", NOT_FOUND)
        routing_cache.ensure_listener()
        assert _wait_for_cache_cleared(), "the listener never started listening"
        for _ in range(250):  # polls (bounds a hang): `listening` is set just after the clear
            if routing_cache.listening:
                break
            time.sleep(0.02)
        assert hostname_route("medan.localhost").tenant == medan

        # when the route is older than the TTL, it is still served without a lookup
        settings.TENANT_ROUTING_CACHE_TTL = -1
        assert routing_cache.listening
        with CaptureQueriesContext(connection) as queries:
            assert hostname_route("medan.localhost").tenant == medan
        assert len(queries) == 0
    finally:
        routing_cache.stop_listener()

    # then without a listener the TTL applies again
    assert not routing_cache.listening
    assert routing_cache.get("medan.localhost") is None


def test_made_up_subdomains_do_not_grow_the_route_cache_without_bound(
    client: Client, db: None, settings: Settings
) -> None:
    settings.TENANT_ROUTING_CACHE_MAX_HOSTS = 10
    for i in range(25):
        assert client.get("/", HTTP_HOST=f"acak{i}.localhost").status_code == 404
    assert 0 < len(routing_cache) <= 10
