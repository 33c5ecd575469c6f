"""The demo of `make up`: regions provisioned by the service, console users, idempotent."""

from apps.accounts.models import User
from provisioning.models import ProvisioningJob
from tenants.demo import DEMO_PASSWORD, DEMO_REGIONS, demo_prepare
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
