import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import services
from tenants.db import schema_current
from tenants.models import Tenant
from tenants.routing import routing_cache


@pytest.fixture
def client() -> Client:
    return Client()


def test_region_host_serves_its_own_schema(client: Client, medan: Tenant) -> None:
    response = client.get("/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    assert "Kota Medan" in response.content.decode()
    assert schema_current() == medan.schema_name


def test_base_domain_serves_the_console(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="localhost:8000")
    assert response.status_code == 200
    assert "Konsol Berbagi" in response.content.decode()
    assert schema_current() == "public"


def test_unknown_subdomain_is_404_not_the_console(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="tidakada.localhost")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Daerah dengan alamat ini tidak ditemukan" in body
    assert "Daerah yang sudah bergabung" not in body


def test_suspended_region_answers_503_with_a_page(client: Client, buol: Tenant) -> None:
    services.tenant_set_status(tenant=buol, status=Tenant.Status.SUSPENDED)
    routing_cache.clear()
    response = client.get("/", HTTP_HOST="buol.localhost")
    assert response.status_code == 503
    assert "Kabupaten Buol sedang ditangguhkan" in response.content.decode()


def test_disallowed_host_is_400(client: Client, db: None) -> None:
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_warm_request_costs_no_tenant_lookup(client: Client, medan: Tenant) -> None:
    client.get("/", HTTP_HOST="medan.localhost")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in statements if "tenants_domain" in s or "tenants_tenant" in s]
    assert not [s for s in statements if s.upper().startswith("SET SEARCH_PATH")]
