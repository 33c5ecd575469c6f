from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from apps.accounts.models import User
from provisioning import services
from provisioning.errors import ConfirmationError, LifecycleError
from provisioning.models import LifecycleRecord
from provisioning.tests.conftest import CONSOLE, tenant_for_schema
from tenants.models import Tenant
from tenants.services import schema_exists


def region_host(tenant: Tenant) -> str:
    return f"{tenant.slug}.{settings.BASE_DOMAIN}"


def test_suspend_and_resume_through_the_console(
    console: Client, medan: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    visitor = Client(HTTP_HOST=region_host(medan))
    assert visitor.get("/").status_code == 200
    # when central support suspends the region
    # (on_commit callbacks, such as the routing cache refresh, run as after a real commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = console.post(
            f"/operasi/daerah/{medan.schema_name}/tangguhkan/", {"alasan": "pemeliharaan"}
        )
    assert response.status_code == 302
    # then the region answers 503, sign-in included
    assert visitor.get("/").status_code == 503
    login = visitor.post("/akun/login/", {"login": "siapa@medan.test", "password": "x"})
    assert login.status_code == 503
    medan.refresh_from_db()
    assert medan.status == Tenant.Status.SUSPENDED
    # when resumed it serves again
    with django_capture_on_commit_callbacks(execute=True):
        resumed = console.post(f"/operasi/daerah/{medan.schema_name}/aktifkan/")
    assert resumed.status_code == 302
    assert visitor.get("/").status_code == 200
    actions = list(LifecycleRecord.objects.filter(tenant=medan).values_list("action", flat=True))
    assert actions == ["resume", "suspend"]


def test_suspend_and_resume_through_the_api(console: Client, buol: Tenant) -> None:
    response = console.post(f"/api/operations/regions/{buol.schema_name}/suspend/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    again = console.post(f"/api/operations/regions/{buol.schema_name}/suspend/")
    assert again.status_code == 409
    assert again.json()["field"] == "status"
    assert (
        console.post(f"/api/operations/regions/{buol.schema_name}/resume/").json()["status"]
        == "active"
    )


def test_suspension_is_written_to_the_regions_audit_chain(central: User, buol: Tenant) -> None:
    from django_tenants.utils import schema_context

    from apps.audit.models import AuditEntry
    from apps.audit.services import verify_chain

    services.region_suspend(tenant=buol, actor=central, reason="uji")
    with schema_context(buol.schema_name):
        entry = AuditEntry.objects.order_by("-seq").first()
        assert entry is not None and entry.action == "region.suspend"
        assert verify_chain().ok


def test_provincial_admins_cannot_act(make_console_user: object, medan: Tenant) -> None:
    admin = make_console_user("sumut@berbagi.test", role="provincial_admin", province_code="12")  # type: ignore[operator]
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(admin)
    assert client.post(f"/operasi/daerah/{medan.schema_name}/tangguhkan/").status_code == 403
    assert client.post(f"/api/operations/regions/{medan.schema_name}/suspend/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client(HTTP_HOST=CONSOLE).get("/operasi/")
    assert response.status_code == 302
    assert Client(HTTP_HOST=CONSOLE).get("/api/operations/regions/").status_code in (401, 403)


def test_delete_needs_archive_retention_and_the_regions_name(
    central: User, scratch: Callable[[str], str]
) -> None:
    # given a scratch region
    tenant = tenant_for_schema(scratch("ops_delete_me"))
    with pytest.raises(LifecycleError):
        services.region_delete(tenant=tenant, actor=central, confirmation=tenant.slug)
    services.region_archive(tenant=tenant, actor=central)
    with pytest.raises(LifecycleError, match="retensi"):
        services.region_delete(tenant=tenant, actor=central, confirmation=tenant.slug)
    tenant.lifecycle.delete_after = timezone.now() - timedelta(seconds=1)
    tenant.lifecycle.save()
    with pytest.raises(ConfirmationError):
        services.region_delete(tenant=tenant, actor=central, confirmation="medan")
    # when confirmed by name after the retention period
    services.region_delete(tenant=tenant, actor=central, confirmation=tenant.name.upper())
    # then the region is gone, and the record of it is kept
    assert not Tenant.objects.filter(schema_name="ops_delete_me").exists()
    assert not schema_exists("ops_delete_me")
    actions = set(
        LifecycleRecord.objects.filter(schema_name="ops_delete_me").values_list("action", flat=True)
    )
    assert actions == {"archive", "delete"}


def test_management_commands_suspend_resume_and_roll_out(buol: Tenant) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("suspend_region", "buol", stdout=out)
    call_command("resume_region", buol.region_id, stdout=out)
    assert out.getvalue().split() == [
        f"{buol.schema_name}:",
        "suspended",
        f"{buol.schema_name}:",
        "active",
    ]
    call_command(
        "rollout_template", "--publish", "uji-perintah", "--regions", buol.schema_name, stdout=out
    )
    assert "published uji-perintah" in out.getvalue()
    assert "job " in out.getvalue() and "done" in out.getvalue()
