"""Fixtures of the support console's tests: console users, clients, committed scratch schemas."""

from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import connection
from django.test import Client

from apps.accounts.models import User
from tenants.models import Tenant

CONSOLE = settings.BASE_DOMAIN


def _mfa_enable(user: User) -> None:
    """Platform staff need TOTP on the console; a registered authenticator satisfies the guard."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})


@pytest.fixture
def make_console_user(db: None) -> Callable[..., User]:
    def make(email: str, *, role: str = "central_support", province_code: str = "") -> User:
        user = User.objects.create_user(
            email=email, password="x", platform_role=role, province_code=province_code
        )
        _mfa_enable(user)
        return user

    return make


@pytest.fixture
def central(make_console_user: Callable[..., User]) -> User:
    return make_console_user("pusat@berbagi.test")


@pytest.fixture
def console(central: User) -> Client:
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(central)
    return client


def raw_connection() -> Any:
    """A second, autocommit connection: what it does is committed, like another process."""
    conn = psycopg2.connect(**connection.get_connection_params())
    conn.autocommit = True
    return conn


def scratch_schema_create(name: str, *, source: str = settings.TEMPLATE_SCHEMA_NAME) -> None:
    """A committed structural copy of the template: its tables (LIKE ... INCLUDING ALL) plus its
    django_migrations rows and audit chain head, enough for migrations and monitoring."""
    conn = raw_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            cursor.execute(f'CREATE SCHEMA "{name}"')
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'r'",
                [source],
            )
            for (table,) in cursor.fetchall():
                cursor.execute(
                    f'CREATE TABLE "{name}"."{table}" (LIKE "{source}"."{table}" INCLUDING ALL)'
                )
            for table in ("django_migrations", "audit_auditchainhead"):
                cursor.execute(f'INSERT INTO "{name}"."{table}" SELECT * FROM "{source}"."{table}"')
            # LIKE ... INCLUDING IDENTITY starts a fresh sequence: move it past the copied ids.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\".django_migrations', 'id'), "
                f'(SELECT max(id) FROM "{name}".django_migrations))'
            )
    finally:
        conn.close()


def schemas_drop(names: list[str]) -> None:
    conn = raw_connection()
    try:
        with conn.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        conn.close()


@pytest.fixture(scope="module")
def scratch(django_db_blocker: Any) -> Iterator[Callable[[str], str]]:
    """scratch(name) makes a committed schema; all are dropped when the module ends, after every
    test transaction has rolled back (dropping earlier would wait on that transaction's locks)."""
    made: list[str] = []

    def make(name: str) -> str:
        with django_db_blocker.unblock():
            scratch_schema_create(name)
        made.append(name)
        return name

    yield make
    with django_db_blocker.unblock():
        schemas_drop(made)


def tenant_for_schema(schema_name: str, *, province: str | None = None) -> Tenant:
    """A Tenant row (no domain) for a scratch schema, in the test's transaction."""
    return Tenant.objects.create(
        schema_name=schema_name,
        name=f"Uji {schema_name}",
        kind=Tenant.Kind.KABUPATEN,
        slug=schema_name.replace("_", "-"),
        status=Tenant.Status.ACTIVE,
        province_id=province,
    )
