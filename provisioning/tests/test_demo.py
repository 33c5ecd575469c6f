"""The demo of `make up`: regions provisioned by the service, console users, idempotent."""

from django_tenants.utils import schema_context

from apps.access.roles import user_has_role
from apps.accounts.models import Invitation, Role, User
from apps.audit.services import verify_chain
from provisioning.demo import DEMO_PASSWORD, DEMO_REGIONS, demo_prepare
from provisioning.models import ProvisioningJob
from tenants.models import TemplateVersion, Tenant


def test_prepares_regions_and_logins_and_a_second_run_changes_nothing(db: None) -> None:
    # when
    lines = demo_prepare()

    # then
    assert set(
        Tenant.objects.filter(region_id__in=DEMO_REGIONS).values_list("region_id", flat=True)
    ) == set(DEMO_REGIONS)
    deli = Tenant.objects.get(region_id="12.07")
    assert deli.status == Tenant.Status.ACTIVE and deli.template_version is not None
    sulteng = User.objects.get(email="admin.sulteng@berbagi.test")
    assert (sulteng.platform_role, sulteng.province_code) == ("provincial_admin", "72")
    assert sulteng.check_password(DEMO_PASSWORD)
    assert User.objects.get(email="admin.sumut@berbagi.test").province_code == "12"
    assert User.objects.get(email="pusat@berbagi.test").platform_role == "central_support"
    with schema_context(deli.schema_name):
        region_admin = User.objects.get(email="admin.1207@berbagi.test")
        assert region_admin.is_active and region_admin.check_password(DEMO_PASSWORD)
        assert user_has_role(region_admin, Role.ADMIN)
        assert not Invitation.objects.filter(accepted_at=None, revoked_at=None).exists()
        assert verify_chain().ok
    text = "\n".join(lines)
    assert (
        "deli-serdang." in text and "admin.sulteng@berbagi.test" in text and DEMO_PASSWORD in text
    )

    # and when run again
    counts = (
        Tenant.objects.count(),
        User.objects.count(),
        ProvisioningJob.objects.count(),
        TemplateVersion.objects.count(),
    )
    demo_prepare()
    assert (
        Tenant.objects.count(),
        User.objects.count(),
        ProvisioningJob.objects.count(),
        TemplateVersion.objects.count(),
    ) == counts
