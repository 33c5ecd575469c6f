"""Support access: no grant no data, expired or ended grant no data, read-only, all audited."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, SupportGrant, User
from apps.accounts.tests.conftest import MakeUser, client_on, console_signed_in, signed_in
from apps.accounts.tests.urls_probe import ProbeError
from apps.audit.models import AuditEntry
from apps.audit.services import verify_chain
from apps.core.errors import PermissionDeniedError
from apps.platform.models import SupportGrantRecord
from tenants.models import Tenant


@pytest.fixture
def support(make_user: MakeUser) -> User:
    return make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)


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
    console = console_signed_in(support)
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
    console = console_signed_in(support)
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
    console = console_signed_in(support)
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
    console = console_signed_in(support)
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
    console = console_signed_in(support)
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
    provincial_client = console_signed_in(provincial)
    page = provincial_client.get("/akun/dukungan/")
    assert page.status_code == 403
    assert "Dukungan pusat" in page.content.decode()


def _my_grants(console: Client) -> str:
    page = console.get("/akun/dukungan/")
    assert page.status_code == 200
    html = page.content.decode()
    return html.split('id="my-support-grants"', 1)[1].split("</table>", 1)[0]


def _grant_id(tenant: Tenant) -> str:
    with schema_context(tenant.schema_name):
        return str(SupportGrant.objects.get().pk)


def test_the_console_lists_the_grants_a_support_person_opened(
    support: User, make_user: MakeUser, medan: Tenant, buol: Tenant
) -> None:
    console = console_signed_in(support)
    other = make_user("cs2@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    # given: one grant each on Medan and Buol by this person, one on Medan by another
    _open(console, medan)
    _open(console, buol, minutes=30)
    _open(console_signed_in(other), medan)
    # when
    rows = _my_grants(console)
    # then
    assert rows.count("<tr ") == 2
    assert medan.name in rows and buol.name in rows
    assert "Tiket #42: laporan RKA gagal" in rows
    assert rows.count('data-status="active"') == 2
    assert rows.count("Akhiri sekarang") == 2
    assert _grant_id(buol) in rows


def test_the_console_record_learns_that_the_region_admin_ended_the_grant(
    support: User, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    console = console_signed_in(support)
    _open(console, medan)
    # when
    ended = signed_in(medan_host, admin).post(f"/akun/dukungan/{_grant_id(medan)}/akhiri/")
    # then
    assert ended.status_code == 302
    rows = _my_grants(console)
    assert 'data-status="ended_by_region_admin"' in rows
    assert "Diakhiri oleh admin daerah (admin@medan.go.id)" in rows
    assert "Akhiri sekarang" not in rows


def test_the_console_shows_an_expired_grant_as_expired(support: User, medan: Tenant) -> None:
    console = console_signed_in(support)
    _open(console, medan)
    past = timezone.now() - timedelta(seconds=1)
    with schema_context(medan.schema_name):
        SupportGrant.objects.update(expires_at=past)
    SupportGrantRecord.objects.update(expires_at=past)
    rows = _my_grants(console)
    assert 'data-status="expired"' in rows
    assert "Kedaluwarsa" in rows
    assert "Akhiri sekarang" not in rows
    refused = console.post(f"/akun/dukungan/{_grant_id(medan)}/akhiri/", follow=True)
    assert "sudah kedaluwarsa" in refused.content.decode()


def test_support_ends_their_own_grant_early_and_the_region_audits_both_identities(
    support: User, medan: Tenant, medan_host: str
) -> None:
    console = console_signed_in(support)
    region = _enter(medan_host, _open(console, medan)["Location"])
    grant_id = _grant_id(medan)
    # when
    ended = console.post(f"/akun/dukungan/{grant_id}/akhiri/", follow=True)
    # then: the console says so and lists it as ended by its owner
    assert ended.status_code == 200
    assert f"Hibah akses dukungan ke {medan.name} diakhiri." in ended.content.decode()
    rows = _my_grants(console)
    assert 'data-status="ended_by_support"' in rows
    assert "Diakhiri oleh Anda" in rows
    # the region's grant is over: the open support session loses its data
    refused = region.get("/api/akun/pengguna/")
    assert refused.status_code == 403
    with schema_context(medan.schema_name):
        grant = SupportGrant.objects.get()
        entry = AuditEntry.objects.get(action="support.grant_ended")
        assert verify_chain().ok
    assert grant.ended_at is not None and grant.ended_by_label == support.email
    assert entry.actor_id == f"support:{support.pk}"
    assert support.email in entry.actor_label and grant_id in entry.actor_label
    assert entry.changes["ended_by"] == "support"
    assert entry.changes["support_user_id"] == str(support.pk)


def test_support_cannot_end_a_grant_of_another_support_person(
    support: User, make_user: MakeUser, medan: Tenant
) -> None:
    owner = make_user("cs2@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    _open(console_signed_in(owner), medan)
    grant_id = _grant_id(medan)
    refused = console_signed_in(support).post(f"/akun/dukungan/{grant_id}/akhiri/", follow=True)
    assert "tidak ditemukan" in refused.content.decode()
    with schema_context(medan.schema_name):
        assert SupportGrant.objects.get().ended_at is None
    provincial = make_user(
        "prov@sumut.go.id", platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="12"
    )
    forbidden = console_signed_in(provincial).post(f"/akun/dukungan/{grant_id}/akhiri/")
    assert forbidden.status_code == 403


def test_the_region_grant_and_its_console_record_are_written_together_or_not_at_all(
    support: User, medan: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a console record already holds the id the region's grant will get, so the
    # record's insert fails in PostgreSQL after the region's rows were written
    taken = uuid.uuid4()
    SupportGrantRecord.objects.create(
        grant_id=taken,
        schema_name="buol",
        region_name="Buol",
        support_user_id="0",
        support_email="x@berbagi.id",
        reason="x",
        opened_at=timezone.now(),
        expires_at=timezone.now(),
    )
    monkeypatch.setattr(SupportGrant._meta.get_field("id"), "_get_default", lambda: taken)
    # when
    with pytest.raises(IntegrityError):
        services.support_grant_open(
            tenant=medan, support_user=support, reason="Tiket #43: uji", duration_minutes=30
        )
    # then: nothing of the grant stays in the region
    with schema_context(medan.schema_name):
        assert not SupportGrant.objects.exists()
        assert not AuditEntry.objects.filter(action="support.grant_opened").exists()


@pytest.mark.parametrize("propagate", [False, True], ids=["500-page", "propagated"])
def test_a_request_that_fails_under_a_grant_is_audited_and_still_fails(
    support: User, medan: Tenant, medan_host: str, settings: Any, propagate: bool
) -> None:
    settings.ROOT_URLCONF = "apps.accounts.tests.urls_probe"
    # Django turns the view's exception into a 500 page below the guard, unless it propagates.
    settings.DEBUG_PROPAGATE_EXCEPTIONS = propagate
    region = _enter(medan_host, _open(console_signed_in(support), medan)["Location"])
    # when / then: the error reaches the caller unchanged
    with pytest.raises(ProbeError):
        region.get("/probe-raise/?x=1")
    region.raise_request_exception = False
    if not propagate:
        assert region.get("/probe-raise/?x=2").status_code == 500
    # and each request is in the region's audit log with both identities
    with schema_context(medan.schema_name):
        failed = list(
            AuditEntry.objects.filter(
                action="support.request", changes__path__startswith="/probe-raise/"
            ).order_by("seq")
        )
        assert verify_chain().ok
    expected = [("/probe-raise/?x=1", 500)] + ([] if propagate else [("/probe-raise/?x=2", 500)])
    assert [(e.changes["path"], e.changes["status"]) for e in failed] == expected
    for entry in failed:
        assert entry.actor_id == f"support:{support.pk}"
        assert support.email in entry.actor_label
