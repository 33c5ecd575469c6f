"""tenant_provision: validation, steps, rollback at every step, equality with the template."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import Invitation, Role, User
from apps.audit.models import AuditEntry
from apps.audit.services import verify_chain
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.wilayah.models import Desa, Kecamatan
from provisioning import tasks
from provisioning.models import ProvisioningJob
from provisioning.selectors import schema_table_digests
from provisioning.services import (
    JOB_LOCK_KEY,
    STEPS,
    provisioning_job_create,
    provisioning_jobs_reap,
    tenant_provision,
)
from provisioning.services import provision as provision_module
from provisioning.tests.conftest import raw_connection
from tenants import services as tenant_services
from tenants.models import Domain, Region, Tenant

KODE = "72.10"  # Kabupaten Sigi, Sulawesi Tengah
SCHEMA = "daerah_72_10"
# Tables provisioning itself writes to after the clone: everything else equals the template.
# Tables provisioning writes to after the copy: the region's wilayah, its first admin and the
# invitation, whose creation is appended to the region's audit chain.
REGION_OWN_TABLES = {
    "wilayah_kecamatan",
    "wilayah_desa",
    "accounts_user",
    "accounts_invitation",
    "audit_auditentry",
    "audit_auditchainhead",
}


def _schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def _platform_user(email: str, role: str, province: str = "") -> User:
    return User.objects.create_user(
        email=email, password="x", platform_role=role, province_code=province
    )


def test_provisions_a_region_with_its_wilayah_domain_first_admin_and_version(db: None) -> None:
    # given
    admin = _platform_user("sulteng@example.org", User.PlatformRole.PROVINCIAL_ADMIN, "72")

    # when
    job = tenant_provision(kode_wilayah=KODE, admin_email="Bupati@Sigi.example", requested_by=admin)

    # then
    tenant = Tenant.objects.get(region_id=KODE)
    assert (tenant.schema_name, tenant.status, tenant.kind) == (
        SCHEMA,
        Tenant.Status.ACTIVE,
        Tenant.Kind.KABUPATEN,
    )
    assert tenant.template_version is not None
    assert tenant.template_version.migration_state
    assert Domain.objects.filter(
        tenant=tenant, domain=f"sigi.{settings.BASE_DOMAIN}", is_primary=True
    ).exists()
    assert job.status == ProvisioningJob.Status.SUCCEEDED and job.progress == 100
    assert [s["status"] for s in job.steps] == ["done"] * len(STEPS)
    assert job.tenant == tenant and job.requested_by == admin
    kecamatan = Region.objects.filter(tingkat=Region.Level.KECAMATAN, induk_id=KODE).count()
    desa = Region.objects.filter(
        tingkat=Region.Level.DESA_KELURAHAN, kode__startswith=KODE + "."
    ).count()
    assert kecamatan > 10 and desa > 100
    with schema_context(SCHEMA):
        assert Kecamatan.objects.count() == kecamatan
        assert Desa.objects.count() == desa
        first_admin = User.objects.get()
        assert first_admin.email == "bupati@sigi.example"
        assert not first_admin.is_active and not first_admin.has_usable_password()
        invitation = Invitation.objects.get()
        assert (invitation.email, invitation.role) == ("bupati@sigi.example", Role.ADMIN)
        assert invitation.invited_by_label == "sulteng@example.org (konsol)"
        # the copied chain goes on unbroken with the region's own first entry
        assert verify_chain().ok
        assert AuditEntry.objects.latest("seq").action == "accounts.invitation_created"
    assert job.invitation["email"] == "bupati@sigi.example"
    assert job.invitation["invitation_id"] == invitation.pk


def test_every_table_of_a_region_holds_the_templates_rows(db: None) -> None:
    # given: the template holds rows of its own (whatever it carries, plus these)
    with schema_context(settings.TEMPLATE_SCHEMA_NAME), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_content_type (app_label, model) "
            "SELECT 'test', 'model' || g FROM generate_series(1, 500) g"
        )

    # when
    tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)

    # then
    region = schema_table_digests(schema=SCHEMA)
    template = schema_table_digests(schema=settings.TEMPLATE_SCHEMA_NAME)
    assert region.keys() == template.keys()
    for table in template.keys() - REGION_OWN_TABLES:
        assert region[table] == template[table], table
    assert region["django_content_type"][0] >= 500


def test_a_region_holds_the_templates_reference_data(db: None) -> None:
    from apps.reference import services as reference

    # given: the template carries the starter reference release (a no-op once prepared); a
    # release that does not load fails this test rather than skipping it
    reference.reference_template_prepare()
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        template_checksum = reference.reference_checksum()
        template_counts = reference.reference_counts()
    assert sum(template_counts.values()) > 10_000

    # when
    tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)

    # then: the reference hook agrees, and so does every table's rows digest
    with schema_context(SCHEMA):
        assert reference.reference_checksum() == template_checksum
        assert reference.reference_counts() == template_counts
    region = schema_table_digests(schema=SCHEMA)
    template = schema_table_digests(schema=settings.TEMPLATE_SCHEMA_NAME)
    assert region.keys() == template.keys()
    for table in template.keys() - REGION_OWN_TABLES:
        assert region[table] == template[table], table
    version = Tenant.objects.get(region_id=KODE).template_version
    assert version is not None and version.reference_checksum == template_checksum


class InjectedFailure(Exception):
    """Raised by a test right after a step's work is done: the rollback must leave nothing."""


# The one call each step makes; a test makes it fail after doing its work.
STEP_CALLEES = {
    "register": (tenant_services, "tenant_register"),
    "clone": (provision_module, "schema_clone"),
    "wilayah": (provision_module, "wilayah_fill"),
    "domain": (tenant_services, "domain_primary_create"),
    "invite": (provision_module, "region_admin_invite"),
    "activate": (tenant_services, "tenant_set_status"),
}


def _fail_after(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    module, name = STEP_CALLEES[step]
    original = getattr(module, name)

    def failing(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        raise InjectedFailure(step)

    monkeypatch.setattr(module, name, failing)


def test_every_step_has_its_fault_injection() -> None:
    assert set(STEP_CALLEES) == set(STEPS)


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_at_any_step_leaves_nothing_and_a_retry_succeeds(
    db: None, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # when
    _fail_after(monkeypatch, step)
    with pytest.raises(InjectedFailure):
        tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
    monkeypatch.undo()

    # then
    assert not _schema_exists(SCHEMA)
    assert not Tenant.objects.filter(region_id=KODE).exists()
    assert not Domain.objects.filter(domain__startswith="sigi.").exists()
    failed = ProvisioningJob.objects.get(region_id=KODE)
    assert failed.status == ProvisioningJob.Status.FAILED
    assert failed.step == step and failed.tenant is None
    assert failed.step_entry(step) == {
        "name": step,
        "label": str(ProvisioningJob.Step(step).label),
        "status": "failed",
    }

    # and when called again
    job = tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
    assert job.status == ProvisioningJob.Status.SUCCEEDED
    assert _schema_exists(SCHEMA)


def _running_job(*, minutes_ago: int) -> ProvisioningJob:
    """A job left "running" as a provisioning process leaves it when it is killed."""
    return ProvisioningJob.objects.create(
        region_id=KODE,
        admin_email="a@sigi.example",
        status=ProvisioningJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def test_a_job_whose_process_died_is_marked_failed_and_the_region_provisions_again(
    db: None,
) -> None:
    dead = _running_job(minutes_ago=5)
    assert tasks.provisioning_jobs_reap.delay(schema_name="public").get() == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == ProvisioningJob.Status.FAILED and dead.error and dead.finished_at
    # and a job killed just now is failed by the next request for its region, which then runs
    ProvisioningJob.objects.filter(pk=dead.pk).update(status=ProvisioningJob.Status.RUNNING)
    job = tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
    assert job.status == ProvisioningJob.Status.SUCCEEDED
    assert ProvisioningJob.objects.get(pk=dead.pk).status == ProvisioningJob.Status.FAILED


def test_a_job_whose_run_is_alive_is_left_running_and_its_region_is_409(db: None) -> None:
    alive = _running_job(minutes_ago=5)
    holder = raw_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [JOB_LOCK_KEY, alive.pk])
        assert provisioning_jobs_reap() == []
        with pytest.raises(ConflictError) as caught:
            tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
        assert caught.value.status_code == 409 and caught.value.field == "kode_wilayah"
    finally:
        holder.close()
    alive.refresh_from_db()
    assert alive.status == ProvisioningJob.Status.RUNNING


def test_a_region_with_a_pending_job_is_409(db: None) -> None:
    provisioning_job_create(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
    with pytest.raises(ConflictError):
        provisioning_job_create(kode_wilayah=KODE, admin_email="b@sigi.example", requested_by=None)


@pytest.mark.parametrize("kode", ["99.99", "72", "72.10.01", "", "xx"])
def test_rejects_a_code_that_is_no_known_kabupaten_or_kota(db: None, kode: str) -> None:
    with pytest.raises(ApplicationError) as caught:
        tenant_provision(kode_wilayah=kode, admin_email="a@b.example", requested_by=None)
    assert caught.value.status_code == 400 and caught.value.field == "kode_wilayah"
    assert not ProvisioningJob.objects.filter(region_id=kode).exists()


def test_rejects_an_invalid_admin_email(db: None) -> None:
    with pytest.raises(ApplicationError) as caught:
        tenant_provision(kode_wilayah=KODE, admin_email="not-an-email", requested_by=None)
    assert caught.value.field == "admin_email"


def test_refuses_a_region_already_provisioned(db: None, medan: Tenant) -> None:
    with pytest.raises(ConflictError) as caught:
        tenant_provision(kode_wilayah="12.71", admin_email="a@medan.example", requested_by=None)
    assert caught.value.status_code == 409 and caught.value.field == "kode_wilayah"


def test_a_provincial_admin_provisions_only_in_their_province(db: None) -> None:
    sulteng = _platform_user("sulteng@example.org", User.PlatformRole.PROVINCIAL_ADMIN, "72")
    with pytest.raises(PermissionDeniedError) as caught:
        tenant_provision(kode_wilayah="12.07", admin_email="a@ds.example", requested_by=sulteng)
    assert caught.value.status_code == 403
    assert not Tenant.objects.filter(region_id="12.07").exists()


def test_central_support_provisions_anywhere_and_others_nowhere(db: None) -> None:
    support = _platform_user("pusat@example.org", User.PlatformRole.CENTRAL_SUPPORT)
    nobody = _platform_user("warga@example.org", User.PlatformRole.NONE)

    with pytest.raises(PermissionDeniedError):
        tenant_provision(kode_wilayah="12.07", admin_email="a@ds.example", requested_by=nobody)
    job = tenant_provision(kode_wilayah="12.07", admin_email="a@ds.example", requested_by=support)

    assert job.status == ProvisioningJob.Status.SUCCEEDED
    assert Tenant.objects.get(region_id="12.07").kind == Tenant.Kind.KABUPATEN
