"""The demo that `make up` prepares: Kota Medan (origin of the MoU), Deli Serdang, Buol and
Pasangkayu, provisioned from the master template, and the console users who manage them.
Pasangkayu gets its real 2024 standard-price list; the others a copy marked as borrowed from it
(one INSERT ... SELECT per table, not a re-import per region).

Idempotent: a second run finds everything in place and changes nothing.
"""

import io
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from apps.accounts.models import User
from tenants.models import Tenant

DEMO_REGIONS = ["12.71", "12.07", "72.05", "76.01"]
PRICE_REGION = "76.01"
PRICE_FILE = settings.BASE_DIR / "data" / "reference" / "standar_harga_pasangkayu.csv"
PRICE_BASIS = "Standar harga Kabupaten Pasangkayu tahun anggaran 2024 (SSH, ASB, SBU)"
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
    """Let the demo's first admin sign in at once: the one invitation provisioning sent them is
    accepted on their behalf with the demo password, by the same acceptance a real admin's click
    on the emailed link goes through (no second invitation, no second email)."""
    from django_tenants.utils import schema_context

    from apps.accounts.services import invitation_accept_pending

    with schema_context(tenant.schema_name), transaction.atomic():
        if User.objects.filter(email=email, is_active=True).exists():
            return
        invitation_accept_pending(email=email, password=DEMO_PASSWORD, full_name="Admin daerah")


def demo_prices_ensure(*, tenants: list[Tenant]) -> None:
    """Pasangkayu's own 2024 list (its rows naming accounts missing from the chart are left out
    and listed), then a borrowed copy in every other demo region that has no list yet."""
    from django_tenants.utils import schema_context

    from apps.reference.models import DaftarHarga
    from apps.reference.price_lists import daftar_harga_copy
    from apps.reference.services import reference_import

    owner = next(t for t in tenants if t.region_id == PRICE_REGION)
    with schema_context(owner.schema_name):
        source = DaftarHarga.objects.filter(dipinjam_dari="").order_by("-tahun", "-versi").first()
        if source is None:
            reference_import(
                path=PRICE_FILE,
                kind="harga",
                tahun=2024,
                dasar_hukum=PRICE_BASIS,
                actor="demo",
                skip_unknown_accounts=True,
            )
            source = DaftarHarga.objects.get(tahun=2024, dipinjam_dari="")
    for tenant in tenants:
        if tenant is owner:
            continue
        with schema_context(tenant.schema_name):
            if not DaftarHarga.objects.exists():
                daftar_harga_copy(
                    source_schema=owner.schema_name,
                    source_id=source.pk,
                    dipinjam_dari=owner.name,
                )


LICENSING_DEMO_REGION = "72.05"
# Sub kegiatan in Medan's demo RKPD (`planning_demo --jumlah`; a few hundred).
PLANNING_DEMO_SUB_KEGIATAN = 300
# Budget lines per planned sub kegiatan in Medan's demo APBD (a few thousand lines).
BUDGETING_DEMO_LINES_PER_SUB = 10
# Rounds of demo applications (about 30 each): a few hundred in every state.
LICENSING_DEMO_ROUNDS = 10


def _licensing_demo(kode: str) -> None:
    """Demo perizinan (apps.licensing.demo) in one region, through its services."""
    import io

    from django.core.management import call_command

    call_command(
        "licensing_demo",
        kode,
        "--putaran",
        str(LICENSING_DEMO_ROUNDS),
        verbosity=0,
        stdout=io.StringIO(),
    )


def _portal_demo(tenants: list[Tenant]) -> list[str]:
    """Publications of the demo regions (apps.portal.demo), then one collection for the console."""
    from apps.portal.demo import portal_demo
    from apps.portal.platform.services import portal_collect

    published = []
    for tenant in tenants:
        published += portal_demo(tenant=tenant, kinds=("apbd", "rkpd", "musrenbang", "perizinan"))
    portal_collect()
    return [f"  transparency portal: {', '.join(published) or '-'}; console /transparansi/"]


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
    tenants = []
    for kode in DEMO_REGIONS:
        tenant = Tenant.objects.filter(region_id=kode).first()
        if tenant is None:
            requester = users[
                "admin.sumut@berbagi.test"
                if kode.startswith("12.")
                else "admin.sulteng@berbagi.test"
                if kode.startswith("72.")
                else "pusat@berbagi.test"
            ]
            job = tenant_provision(
                kode_wilayah=kode, admin_email=_region_admin_email(kode), requested_by=requester
            )
            tenant = job.tenant
            assert tenant is not None
            demo_region_admin_ensure(tenant=tenant, email=_region_admin_email(kode))
        tenants.append(tenant)
        lines.append(
            f"  {tenant.name}: http://{tenant.primary_host}{port}/ "
            f"(admin daerah {_region_admin_email(kode)})"
        )
    demo_prices_ensure(tenants=tenants)
    _licensing_demo(LICENSING_DEMO_REGION)
    medan = next((t for t in tenants if t.region_id == "12.71"), None)
    if medan is not None:  # Kota Medan gets a believable planning year (apps.planning.demo)
        call_command(
            "planning_demo",
            "--schema",
            medan.schema_name,
            "--jumlah",
            str(PLANNING_DEMO_SUB_KEGIATAN),
            stdout=io.StringIO(),
        )
        lines.append("  perencanaan in Medan: bappeda.1271@berbagi.test")
        # ... and an enacted APBD of that year with one pergeseran (apps.budgeting.demo)
        call_command(
            "budgeting_demo",
            "--schema",
            medan.schema_name,
            "--per-sub",
            str(BUDGETING_DEMO_LINES_PER_SUB),
            stdout=io.StringIO(),
        )
        lines.append("  anggaran in Medan: tapd.demo, bpkad.demo, operator1.demo@berbagi.test")
    lines.append("  perizinan in Buol: loket., teknis., kadis., warga.buol@berbagi.test")
    lines += _portal_demo(tenants)
    lines.append(f"logins (password {DEMO_PASSWORD!r}; set up TOTP at first login):")
    for email, name, _role, _province in DEMO_USERS:
        lines.append(f"  {name}: {email}")
    return lines
