"""Support access: no grant no data, expired or ended grant no data, read-only, all audited."""

import time
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, SupportGrant, User
from apps.accounts.tests.conftest import CONSOLE, PASSWORD, MakeUser, client_on, signed_in
from apps.audit.models import AuditEntry
from apps.audit.services import verify_chain
from tenants.errors import PermissionDeniedError
from tenants.models import Tenant


@pytest.fixture
def support(make_user: MakeUser) -> User:
    return make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)


def _console_client(user: User) -> Client:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = client_on(CONSOLE)
    client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert client.post("/akun/2fa/authenticate/", {"code": code}).status_code == 302
    return client


def _open(console: Client, tenant: Tenant, minutes: int = 60) -> Any:
    return console.post(
        "/akun/dukungan/",
        {
            "tenant": str(tenant.pk),
            "reason": "Tiket #42: laporan RKA gagal",
            "duration_minutes": minutes,
        },
    )


def _enter(host: str, handoff_url: str) -> Client:
    region = client_on(host)
    path = "/" + handoff_url.split("/", 3)[3]
    assert region.get(path).status_code == 302
    return region


def test_support_opens_a_grant_and_reads_the_region_read_only_with_every_action_audited(
    support: User, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    console = _console_client(support)
    # when
    opened = _open(console, medan)
    # then: a signed handoff to the region's own host
    assert opened.status_code == 302
    assert opened["Location"].startswith(f"http://{medan_host}/akun/dukungan/masuk/?t=")
    region = _enter(medan_host, opened["Location"])
    me = region.get("/api/akun/saya/").json()
    assert me["support_session"] is True
    assert me["email"] == support.email
    users = region.get("/api/akun/pengguna/")
    assert users.status_code == 200
    assert region.get("/akun/pengguna/").status_code == 200
    write = region.post(
        "/api/akun/undangan/",
        {"email": "x@medan.go.id", "role": "tapd"},
        content_type="application/json",
    )
    assert write.status_code == 403
    assert "hanya dapat membaca" in write.json()["message"]
    with schema_context(medan.schema_name):
        entries = list(AuditEntry.objects.filter(action__startswith="support.").order_by("seq"))
        assert verify_chain().ok
    actions = [e.action for e in entries]
    assert actions[:2] == ["support.grant_opened", "support.session_started"]
    requests = [e for e in entries if e.action == "support.request"]
    assert [(e.changes["method"], e.changes["path"], e.changes["status"]) for e in requests] == [
        ("GET", "/api/akun/saya/", 200),
        ("GET", "/api/akun/pengguna/", 200),
        ("GET", "/akun/pengguna/", 200),
        ("POST", "/api/akun/undangan/", 403),
    ]
    for entry in requests:
        assert entry.actor_id == f"support:{support.pk}"
        assert support.email in entry.actor_label
        assert "hibah" in entry.actor_label


def test_without_a_grant_there_is_no_data(support: User, medan_host: str) -> None:
    region = client_on(medan_host)
    forged = region.get("/akun/dukungan/masuk/?t=tidak-sah")
    assert forged.status_code == 403
    assert "tidak valid" in forged.content.decode()
    assert region.get("/api/akun/pengguna/").status_code == 401


def test_a_handoff_is_single_use_and_bound_to_its_region(
    support: User, medan: Tenant, medan_host: str, buol_host: str
) -> None:
    console = _console_client(support)
    handoff = _open(console, medan)["Location"]
    path = "/" + handoff.split("/", 3)[3]
    at_buol = client_on(buol_host).get(path)
    assert at_buol.status_code == 403
    assert "daerah lain" in at_buol.content.decode()
    _enter(medan_host, handoff)
    again = client_on(medan_host).get(path)
    assert again.status_code == 403
    assert "sudah dipakai" in again.content.decode()


def test_an_expired_grant_gives_no_data(support: User, medan: Tenant, medan_host: str) -> None:
    console = _console_client(support)
    region = _enter(medan_host, _open(console, medan)["Location"])
    with schema_context(medan.schema_name):
        SupportGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused = region.get("/api/akun/pengguna/")
    assert refused.status_code == 403
    assert "sudah berakhir" in refused.json()["message"]
    assert region.get("/api/akun/pengguna/").status_code == 401


def test_the_region_admin_sees_and_ends_a_grant(
    support: User, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    console = _console_client(support)
    region = _enter(medan_host, _open(console, medan)["Location"])
    admin_client = signed_in(medan_host, admin)
    page = admin_client.get("/akun/pengguna/").content.decode()
    assert support.email in page
    assert "Tiket #42" in page
    audit = admin_client.get("/api/audit/entries/?action=support.grant_opened").json()
    assert audit["results"][0]["actor_label"].startswith(support.email)
    with schema_context(medan.schema_name):
        grant = SupportGrant.objects.get()
    assert admin_client.post(f"/akun/dukungan/{grant.pk}/akhiri/").status_code == 302
    assert region.get("/api/akun/pengguna/").status_code == 403
    with schema_context(medan.schema_name):
        ended = AuditEntry.objects.get(action="support.grant_ended")
    assert ended.actor_label == admin.email


def test_grants_are_limited_to_four_hours_and_to_central_support(
    support: User, make_user: MakeUser, medan: Tenant
) -> None:
    console = _console_client(support)
    too_long = _open(console, medan, minutes=241)
    assert too_long.status_code == 200
    with schema_context(medan.schema_name):
        assert not SupportGrant.objects.exists()
    provincial = make_user(
        "prov@sumut.go.id", platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="12"
    )
    with pytest.raises(PermissionDeniedError):
        services.support_grant_open(
            tenant=medan, support_user=provincial, reason="x" * 20, duration_minutes=30
        )
    provincial_client = _console_client(provincial)
    page = provincial_client.get("/akun/dukungan/")
    assert page.status_code == 403
    assert "Dukungan pusat" in page.content.decode()
