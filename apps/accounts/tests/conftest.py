"""Fixtures of identity tests: users made in a given schema, clients bound to a host."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import RoleAssignment, User
from tenants.models import Tenant

PASSWORD = "Rahasia-yang-panjang-123"
CONSOLE = "localhost"


def host_of(tenant: Tenant) -> str:
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and used TOTP codes live in the cache: no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: None) -> MakeUser:
    """make_user(email, schema=..., roles=[...], opd_code=..., platform_role=..., verified=True)"""

    def make(
        email: str,
        *,
        schema: Tenant | str = "public",
        roles: tuple[str, ...] | list[str] = (),
        opd_code: str = "",
        platform_role: str = "",
        province_code: str = "",
        verified: bool = True,
        active: bool = True,
    ) -> User:
        schema_name = schema.schema_name if isinstance(schema, Tenant) else schema
        with schema_context(schema_name):
            user = User.objects.create_user(
                email=email,
                password=PASSWORD,
                platform_role=platform_role,
                province_code=province_code,
                is_active=active,
            )
            EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
            for role in roles:
                RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    opd_code=opd_code if role in ("operator_opd", "kepala_opd") else "",
                )
        return user

    return make


@pytest.fixture
def medan_host(medan: Tenant) -> str:
    return host_of(medan)


@pytest.fixture
def buol_host(buol: Tenant) -> str:
    return host_of(buol)


def client_on(host: str) -> Client:
    return Client(HTTP_HOST=host)


def signed_in(host: str, user: User) -> Client:
    """A client with a real session in the schema behind `host` (the login runs there)."""
    client = client_on(host)
    response = client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:2000]
    return client


def api_json(response: Any) -> Any:
    return response.json()


def console_signed_in(user: User) -> Client:
    """A console client of platform staff who has TOTP and passed it at sign-in."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = client_on(CONSOLE)
    client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post("/akun/2fa/authenticate/", {"code": code}).status_code == 302
    return client


OPD_CODES = {"1.01.0.00.0.00.01.0000": "DISDIK", "1.02.0.00.0.00.01.0000": "DINKES"}


@pytest.fixture
def medan_opds(medan: Tenant) -> dict[str, str]:
    """Two perangkat daerah of Medan (the reference release's codes), present whatever the
    session's regions were built from."""
    from apps.reference.models import PerangkatDaerah

    with schema_context(medan.schema_name):
        for kode, singkatan in OPD_CODES.items():
            PerangkatDaerah.objects.get_or_create(
                kode=kode, defaults={"singkatan": singkatan, "nama": f"Dinas {singkatan}"}
            )
    return OPD_CODES
