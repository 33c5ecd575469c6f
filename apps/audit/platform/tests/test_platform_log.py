"""Every console action writes exactly one entry, with actor and target, into the platform's own
hash-chained log in public; the chain verifies; central support alone reads it on the console."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.accounts.services import invitation_revoke, staff_invitation_create
from apps.accounts.services.support import support_grant_end_own, support_grant_open
from apps.audit.actions import AuditAction
from apps.audit.platform.models import PlatformAuditEntry
from apps.audit.platform.services import platform_audit_record, platform_chain_verify
from provisioning import services
from provisioning.models import RegionLifecycle, RolloutItem
from provisioning.services import tenant_provision, versions
from provisioning.tests.conftest import schemas_drop
from tenants.models import TemplateVersion, Tenant

SIGI = "72.10"  # no tenant in the test database
DELI_SERDANG = "12.07"


@pytest.fixture(scope="module", autouse=True)
def _drop_restored(django_db_blocker: Any) -> Iterator[None]:
    """A restore commits its data under a `restore_*` name first (see the archive tests)."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%%'")
        schemas_drop([row[0] for row in cursor.fetchall()])


def _provision(actor: User, medan: Tenant, tmp: Path) -> Any:
    return tenant_provision(kode_wilayah=SIGI, admin_email="a@sigi.example", requested_by=actor)


def _suspend(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_suspend(tenant=medan, actor=actor, reason="uji")


def _resume(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_resume(tenant=medan, actor=actor)


def _archive(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_archive(tenant=medan, actor=actor)


def _export(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_export(tenant=medan, actor=actor, directory=tmp)


def _restore(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_restore(
        path=Path(str(tmp / "medan.tar")), actor=actor, kode=DELI_SERDANG
    )


def _delete(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.region_delete(tenant=medan, actor=actor, confirmation=medan.slug)


def _publish(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.template_version_publish(label="uji-audit", actor=actor)


def _record_version(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.template_version_record(notes="uji")


def _rollout_run(actor: User, medan: Tenant, tmp: Path) -> Any:
    return services.rollout_run(job=_rollout_job(actor, medan))


def _rollout_retry(actor: User, medan: Tenant, tmp: Path) -> Any:
    item = _rollout_job(actor, medan).items.get()
    return services.rollout_item_retry(item=item, actor=actor)


def _invite_staff(actor: User, medan: Tenant, tmp: Path) -> Any:
    return staff_invitation_create(
        email="staf@berbagi.test", role="central_support", invited_by=actor
    )


def _revoke_staff_invitation(actor: User, medan: Tenant, tmp: Path) -> Any:
    invitation = PREPARED["invitation"]
    return invitation_revoke(invitation=invitation, revoked_by=actor)


def _grant_open(actor: User, medan: Tenant, tmp: Path) -> Any:
    return support_grant_open(
        tenant=medan, support_user=actor, reason="memeriksa laporan", duration_minutes=30
    )


def _grant_end_own(actor: User, medan: Tenant, tmp: Path) -> Any:
    return support_grant_end_own(grant_id=str(PREPARED["grant"].pk), support_user=actor)


PREPARED: dict[str, Any] = {}


def _rollout_job(actor: User, medan: Tenant) -> Any:
    version = TemplateVersion.objects.latest("created_at")
    job = services.rollout_create(
        template_version=version, actor=actor, schema_names=[medan.schema_name]
    )
    job.items.update(status=RolloutItem.Status.FAILED)
    return job


def _prepare(case: str, actor: User, medan: Tenant, tmp: Path, monkeypatch: Any) -> None:
    """What each action needs to be possible (written before counting)."""
    if case == "resume":
        services.region_suspend(tenant=medan, actor=actor)
    if case == "restore":
        export = services.region_export(tenant=medan, actor=actor, directory=tmp)
        Path(export.path).rename(tmp / "medan.tar")
    if case == "delete":
        services.region_archive(tenant=medan, actor=actor)
        RegionLifecycle.objects.filter(tenant=medan).update(
            delete_after=timezone.now() - timedelta(days=1)
        )
    if case == "record_version":
        monkeypatch.setattr(versions, "template_digest", lambda state, checksum: "f" * 64)
    if case == "revoke_staff_invitation":
        PREPARED["invitation"] = staff_invitation_create(
            email="lain@berbagi.test", role="central_support", invited_by=actor
        )
    if case == "grant_end_own":
        PREPARED["grant"] = support_grant_open(
            tenant=medan, support_user=actor, reason="memeriksa laporan", duration_minutes=30
        )


CASES: dict[str, tuple[Callable[..., Any], AuditAction]] = {
    "provision": (_provision, AuditAction.REGION_PROVISIONED),
    "suspend": (_suspend, AuditAction.REGION_SUSPEND),
    "resume": (_resume, AuditAction.REGION_RESUME),
    "archive": (_archive, AuditAction.REGION_ARCHIVE),
    "export": (_export, AuditAction.REGION_EXPORT),
    "restore": (_restore, AuditAction.REGION_RESTORE),
    "delete": (_delete, AuditAction.REGION_DELETE),
    "publish_version": (_publish, AuditAction.TEMPLATE_VERSION_PUBLISHED),
    "record_version": (_record_version, AuditAction.TEMPLATE_VERSION_RECORDED),
    "rollout_run": (_rollout_run, AuditAction.ROLLOUT_RUN),
    "rollout_retry": (_rollout_retry, AuditAction.ROLLOUT_ITEM_RETRIED),
    "invite_staff": (_invite_staff, AuditAction.INVITATION_CREATED),
    "revoke_staff_invitation": (_revoke_staff_invitation, AuditAction.INVITATION_REVOKED),
    "grant_open": (_grant_open, AuditAction.SUPPORT_GRANT_OPENED),
    "grant_end_own": (_grant_end_own, AuditAction.SUPPORT_GRANT_ENDED),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_console_action_writes_one_platform_entry_with_actor_and_target(
    case: str, central: User, medan: Tenant, tmp_path: Path, monkeypatch: Any
) -> None:
    action, expected = CASES[case]
    _prepare(case, central, medan, tmp_path, monkeypatch)
    before = PlatformAuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    # when the service acts (rollouts count their own creation apart)
    action(central, medan, tmp_path)
    new = list(PlatformAuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    if case in ("rollout_run", "rollout_retry"):
        assert new[0].action == AuditAction.ROLLOUT_CREATED
        new = new[1:]
    # then exactly one entry names the action, who did it and on what
    assert [e.action for e in new] == [expected]
    entry = new[0]
    if case == "record_version":  # recorded by platform_prepare or provisioning, not a person
        assert (entry.actor_id, entry.actor_label) == ("", "sistem")
    else:
        assert (entry.actor_id, entry.actor_label) == (str(central.pk), central.email)
    assert entry.target_type and entry.target_label
    assert platform_chain_verify().ok


def test_the_platform_chain_is_tamper_evident(db: None) -> None:
    for n in range(3):
        platform_audit_record(actor="uji", action=AuditAction.ROLLOUT_CREATED, changes={"n": n})
    assert platform_chain_verify().ok
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE platform_audit_platformauditentry SET actor_label = 'lain' "
            "WHERE seq = (SELECT max(seq) - 1 FROM platform_audit_platformauditentry)"
        )
    verdict = platform_chain_verify()
    assert not verdict.ok and verdict.reason


def test_the_platform_entry_is_written_in_public_from_a_region(medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        entry = platform_audit_record(actor="uji", action=AuditAction.ROLLOUT_CREATED)
    assert PlatformAuditEntry.objects.filter(pk=entry.pk).exists()


def test_central_support_reads_the_log_with_its_verdict(console: Client, central: User) -> None:
    platform_audit_record(actor=central, action=AuditAction.ROLLOUT_CREATED, target=central)
    response = console.get("/operasi/audit/")
    assert response.status_code == 200
    body = response.content.decode()
    assert AuditAction.ROLLOUT_CREATED.value in body
    assert 'data-verdict="ok"' in body
    with connection.cursor() as cursor:
        cursor.execute("UPDATE platform_audit_platformauditentry SET changes = '{\"x\": 1}'")
    body = console.get("/operasi/audit/").content.decode()
    assert 'data-verdict="broken"' in body


def test_nobody_but_central_support_reads_the_log(make_console_user: Any, db: None) -> None:
    anonymous = Client(HTTP_HOST="localhost")
    assert anonymous.get("/operasi/audit/").status_code == 302
    provincial = make_console_user("prov@berbagi.test", role="provincial_admin", province_code="72")
    client = Client(HTTP_HOST="localhost")
    client.force_login(provincial)
    assert client.get("/operasi/audit/").status_code == 403


def test_region_pages_show_whether_the_chain_is_intact_and_why_not(
    console: Client, medan: Tenant
) -> None:
    from apps.audit.services import audit_record

    with schema_context(medan.schema_name):
        audit_record(actor="uji", action=AuditAction.ROLES_CHANGED)
    services.snapshot_collect()
    detail = console.get(f"/operasi/daerah/{medan.schema_name}/").content.decode()
    assert "utuh" in detail
    # when the region's log is wiped behind the application's back
    with schema_context(medan.schema_name), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("UPDATE audit_auditchainhead SET seq = 0, hash = %s", ["0" * 64])
    services.snapshot_collect()
    detail = console.get(f"/operasi/daerah/{medan.schema_name}/").content.decode()
    overview = console.get("/operasi/").content.decode()
    assert "rusak" in detail and "mundur" in detail
    assert "rusak" in overview
