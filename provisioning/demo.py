"""The demo that `make up` prepares: Kota Medan (origin of the MoU), Deli Serdang and Buol,
provisioned from the master template, and the console users who manage them.

Idempotent: a second run finds everything in place and changes nothing.
"""

import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import User
from tenants.models import Tenant

DEMO_REGIONS = ["12.71", "12.07", "72.05"]
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "berbagi-demo-2026")
DEMO_USERS = [
    # (email, full name, platform role, province)
    ("pusat@berbagi.test", "Dukungan Pusat", User.PlatformRole.CENTRAL_SUPPORT, ""),
    (
        "admin.sumut@berbagi.test",
        "Admin Provinsi Sumatera Utara",
        User.PlatformRole.PROVINCIAL_ADMIN,
        "12",
    ),
    (
        "admin.sulteng@berbagi.test",
        "Admin Provinsi Sulawesi Tengah",
        User.PlatformRole.PROVINCIAL_ADMIN,
        "72",
    ),
]


@transaction.atomic
def demo_user_ensure(*, email: str, full_name: str, role: str, province: str) -> User:
    """A console user with the demo password and a verified email (created once)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            platform_role=role,
            province_code=province,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def demo_region_admin_ensure(*, tenant: Tenant, email: str) -> None:
    """Let the demo's first admin sign in at once: a fresh invitation (which supersedes the one
    provisioning emailed) is accepted on their behalf with the demo password, through the same
    services a real admin's click on the emailed link goes through."""
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role
    from apps.accounts.services import invitation_accept, invitation_create

    with schema_context(tenant.schema_name), transaction.atomic():
        if User.objects.filter(email=email, is_active=True).exists():
            return
        invitation = invitation_create(email=email, role=Role.ADMIN, invited_by="demo")
        invitation_accept(token=invitation.token, password=DEMO_PASSWORD, full_name="Admin daerah")


def _region_admin_email(kode: str) -> str:
    return f"admin.{kode.replace('.', '')}@berbagi.test"


def demo_prepare() -> list[str]:
    """Prepare the demo; returns the lines to print at start-up (addresses and logins)."""
    from provisioning.services import template_version_ensure, tenant_provision

    version = template_version_ensure(notes="Dicatat otomatis saat penyiapan daerah.")
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    users = {
        email: demo_user_ensure(email=email, full_name=name, role=role, province=province)
        for email, name, role, province in DEMO_USERS
    }
    lines = [f"console: http://{settings.BASE_DOMAIN}{port}/ (template version {version.label})"]
    for kode in DEMO_REGIONS:
        tenant = Tenant.objects.filter(region_id=kode).first()
        if tenant is None:
            requester = users[
                "admin.sumut@berbagi.test"
                if kode.startswith("12.")
                else "admin.sulteng@berbagi.test"
            ]
            job = tenant_provision(
                kode_wilayah=kode, admin_email=_region_admin_email(kode), requested_by=requester
            )
            tenant = job.tenant
            assert tenant is not None
            demo_region_admin_ensure(tenant=tenant, email=_region_admin_email(kode))
        if kode == "12.71":  # Kota Medan gets a believable planning year (apps.planning.demo)
            call_command("planning_demo", "--schema", tenant.schema_name)
        domain = tenant.get_primary_domain()
        lines.append(
            f"  {tenant.name}: http://{domain.domain}{port}/ "
            f"(admin daerah {_region_admin_email(kode)})"
        )
    lines.append(f"logins (password {DEMO_PASSWORD!r}; set up TOTP at first login):")
    for email, name, _role, _province in DEMO_USERS:
        lines.append(f"  {name}: {email}")
    return lines
