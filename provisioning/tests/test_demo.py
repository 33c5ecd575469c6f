"""The demo of `make up`: regions provisioned by the service, console users, idempotent."""

from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.access.roles import user_has_role
from apps.accounts.models import Invitation, Role, User
from apps.audit.services import verify_chain
from apps.reference import selectors
from apps.reference.models import StandarHargaRekening
from apps.reference.services import STARTER_RELEASE_DIR
from provisioning import demo
from provisioning.demo import DEMO_PASSWORD, DEMO_REGIONS, demo_prepare
from provisioning.models import ProvisioningJob
from tenants.models import TemplateVersion, Tenant


def test_prepares_regions_and_logins_and_a_second_run_changes_nothing(
    db: None,
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given the small sample list standing in for Pasangkayu's 18,171 items (kept out of tests)
    monkeypatch.setattr(demo, "PRICE_FILE", STARTER_RELEASE_DIR / "standar_harga.csv")
    # and smaller demo sizes (each application's own demo test covers its full run)
    monkeypatch.setattr(demo, "LICENSING_DEMO_ROUNDS", 1)
    monkeypatch.setattr(demo, "BUDGETING_DEMO_LINES_PER_SUB", 2)
    monkeypatch.setattr(demo, "PLANNING_DEMO_SUB_KEGIATAN", 30)
    existing = set(Tenant.objects.values_list("region_id", flat=True))
    # when
    with django_capture_on_commit_callbacks(execute=True):
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
        borrowed = selectors.daftar_harga_current()
        assert borrowed is not None and borrowed.dipinjam_dari == "Kabupaten Pasangkayu"
        assert selectors.standar_harga_list().count() == 442
        assert StandarHargaRekening.objects.count() > 442
    with schema_context(Tenant.objects.get(region_id="76.01").schema_name):
        own = selectors.daftar_harga_current()
        assert own is not None and (own.tahun, own.dipinjam_dari) == (2024, "")
        assert own.jumlah == 442
    # each region it provisioned has its admin's one invitation, accepted, mailed once
    provisioned = [kode for kode in DEMO_REGIONS if kode not in existing]
    assert provisioned
    for kode in provisioned:
        email = f"admin.{kode.replace('.', '')}@berbagi.test"
        with schema_context(Tenant.objects.get(region_id=kode).schema_name):
            invitations = list(Invitation.objects.filter(email=email))
        assert [(i.accepted_at is not None, i.revoked_at) for i in invitations] == [(True, None)]
        assert len([m for m in mailoutbox if m.to == [email]]) == 1
    text = "\n".join(lines)
    assert (
        "deli-serdang." in text and "admin.sulteng@berbagi.test" in text and DEMO_PASSWORD in text
    )

    # and when run again (each application's demo proves its own second run changes nothing,
    # in its own tests: here the regions, users, versions and jobs)
    monkeypatch.setattr(demo, "_licensing_demo", lambda kode: None)
    monkeypatch.setattr(demo, "_portal_demo", lambda tenants: [])
    monkeypatch.setattr(demo, "call_command", lambda *args, **kwargs: None)
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
