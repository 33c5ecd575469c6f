"""Signed-in clients for page tests: a region user with roles, platform staff past MFA."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import RoleAssignment, User
from tenants.models import Tenant

OPD_CODE = "1.02.0.00.0.00.01.0000"


def host_of(tenant: Tenant | None) -> str:
    if tenant is None:
        return str(settings.BASE_DOMAIN)
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def region_client(tenant: Tenant, *roles: str, language: str = "id") -> tuple[Client, User]:
    """A client signed in to the region as a new user holding `roles` (OPD-bound ones to one
    OPD); the session lives in the region's schema like a real sign-in's."""
    client = Client(HTTP_HOST=host_of(tenant))
    client.cookies["django_language"] = language
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email=f"staf-{'-'.join(roles) or 'x'}@example.org")
        for role in roles:
            bound = role in ("operator_opd", "kepala_opd")
            RoleAssignment.objects.create(user=user, role=role, opd_code=OPD_CODE if bound else "")
        client.force_login(user)
    return client, user


def console_client(platform_role: str, *, province_code: str = "", language: str = "id") -> Client:
    """A console client of platform staff with a registered TOTP (which the MFA guard wants)."""
    user = User.objects.create_user(
        email=f"{platform_role or 'warga'}@example.org",
        platform_role=platform_role,
        province_code=province_code,
    )
    if platform_role:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client(HTTP_HOST=host_of(None))
    client.cookies["django_language"] = language
    client.force_login(user)
    return client
