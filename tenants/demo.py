"""The demo that `make up` prepares: Kota Medan (origin of the MoU), Deli Serdang and Buol,
provisioned from the master template, and the console users who manage them.

Idempotent: a second run finds everything in place and changes nothing.
"""

import os

from django.conf import settings
from django.db import transaction

from apps.accounts.models import User
from tenants import services
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
    try:
        from allauth.account.models import EmailAddress
    except ImportError:  # allauth not installed: nothing to verify
        return user
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _template_reference_prepare() -> None:
    """Load the starter reference data into the template when apps.reference offers it."""
    try:
        from apps.reference.services import reference_template_prepare
    except ImportError:
        return
    reference_template_prepare()


def demo_prepare() -> list[str]:
    """Prepare the demo; returns the lines to print at start-up (addresses and logins)."""
    from provisioning.services import tenant_provision

    _template_reference_prepare()
    version = services.template_version_record(notes="Templat induk demo.")
    users = {
        email: demo_user_ensure(email=email, full_name=name, role=role, province=province)
        for email, name, role, province in DEMO_USERS
    }
    lines = [f"console: http://{settings.BASE_DOMAIN}:8000/ (template version {version.label})"]
    for kode in DEMO_REGIONS:
        tenant = Tenant.objects.filter(region_id=kode).first()
        if tenant is None:
            requester = users[
                "admin.sumut@berbagi.test"
                if kode.startswith("12.")
                else "admin.sulteng@berbagi.test"
            ]
            slug = kode.replace(".", "")
            job = tenant_provision(
                kode_wilayah=kode, admin_email=f"admin.{slug}@berbagi.test", requested_by=requester
            )
            tenant = job.tenant
            assert tenant is not None
        domain = tenant.get_primary_domain()
        lines.append(f"  {tenant.name}: http://{domain.domain}:8000/")
    lines.append(f"logins (password {DEMO_PASSWORD!r}; set up TOTP at first login):")
    for email, name, _role, _province in DEMO_USERS:
        lines.append(f"  {name}: {email}")
    return lines
