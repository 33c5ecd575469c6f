"""/healthz (process up) and /readyz (database reachable, public and template schemas migrated)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.processes import django_snippet_json


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.mark.parametrize("host", ["localhost", "medan.localhost", "10.1.2.3:8000", None])
def test_healthz_answers_for_any_host_without_the_database(
    client: Client, host: str | None
) -> None:
    # no `db` fixture: touching the database here would fail the test
    extra = {"HTTP_HOST": host} if host else {}
    response = client.get("/healthz", **extra)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_on_a_migrated_database(client: Client, db: None) -> None:
    response = client.get("/readyz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "problems": []}


def test_readyz_names_a_missing_template_migration(client: Client, db: None) -> None:
    # given the template schema lacks one migration (deleted inside the test transaction)
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{settings.TEMPLATE_SCHEMA_NAME}".django_migrations '
            "WHERE app = 'audit' AND name = '0002_chain_head'"
        )
        assert cursor.rowcount == 1
    # then readiness fails and says where and what
    response = client.get("/readyz", HTTP_HOST="localhost")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert len(body["problems"]) == 1
    problem = body["problems"][0]
    assert settings.TEMPLATE_SCHEMA_NAME in problem
    assert "audit.0002_chain_head" in problem


def test_readyz_names_a_missing_public_migration(client: Client, db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM public.django_migrations WHERE app = 'tenants' AND name = '0001_initial'"
        )
    response = client.get("/readyz", HTTP_HOST="localhost")
    assert response.status_code == 503
    (problem,) = response.json()["problems"]
    assert "public" in problem
    assert "tenants.0001_initial" in problem


def test_readyz_reports_an_unmigrated_template_schema_without_failing_itself(
    client: Client, db: None
) -> None:
    # given the template schema has no migration table at all (renamed inside the transaction)
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{settings.TEMPLATE_SCHEMA_NAME}".django_migrations RENAME TO hilang'
        )
    response = client.get("/readyz", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert response.json()["problems"] == [
        f"schema {settings.TEMPLATE_SCHEMA_NAME} is not migrated"
    ]
    # and the connection is still usable for the rest of the transaction
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_readyz_reports_an_unreachable_database() -> None:
    # a separate process whose DATABASE_URL points at a port where nothing listens
    problems = django_snippet_json(
        "from saas.health import readiness_problems; print(json.dumps(readiness_problems()))",
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"},
    )
    assert problems == ["database unreachable: OperationalError"]
