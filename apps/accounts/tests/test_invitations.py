"""Invitations: single use, expiring, per schema, with a clear refusal for each case."""

import re
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Invitation, Role, RoleAssignment, User
from apps.accounts.tests.conftest import CONSOLE, MakeUser, client_on, signed_in
from apps.audit.models import AuditEntry
from tenants.models import Tenant

NEW_PASSWORD = "Kata-sandi-baru-yang-kuat-9"


def _link(message: Any) -> str:
    found = re.search(r"https?://\S+/akun/undangan/\S+/", message.body)
    assert found is not None, message.body
    return found.group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _accept(host: str, link: str) -> Any:
    return client_on(host).post(
        _path(link),
        {"full_name": "Siti Aminah", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_an_admin_invites_and_the_invitee_joins_with_the_role_once(
    make_user: MakeUser,
    medan: Tenant,
    medan_opds: dict[str, str],
    medan_host: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(medan_host, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/akun/undangan/",
            {
                "email": "Siti@Medan.go.id",
                "role": "operator_opd",
                "opd_code": "1.02.0.00.0.00.01.0000",
            },
            content_type="application/json",
        )
    assert response.status_code == 201
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    assert link.startswith(f"http://{medan_host}/akun/undangan/")
    assert "Operator OPD" in mail.outbox[0].body
    # when
    form = client_on(medan_host).get(_path(link))
    joined = client_on(medan_host)
    accepted = joined.post(
        _path(link),
        {"full_name": "Siti Aminah", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # then
    assert form.status_code == 200
    assert "siti@medan.go.id" in form.content.decode()
    assert accepted.status_code == 302
    me = joined.get("/api/akun/saya/").json()
    assert me["roles"] == ["operator_opd"]
    assert me["opd_codes"] == ["1.02.0.00.0.00.01.0000"]
    reused = _accept(medan_host, link)
    assert reused.status_code == 410
    assert "sudah dipakai" in reused.content.decode()
    with schema_context(medan.schema_name):
        actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "accounts.invitation_created" in actions
    assert "accounts.invitation_accepted" in actions


def _expired_invitation(make_user: MakeUser, medan: Tenant) -> Invitation:
    """An admin's invitation to Medan whose link ran out a minute ago."""
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    with schema_context(medan.schema_name):
        invitation = services.invitation_create(
            tenant=medan, email="telat@medan.go.id", role=Role.BAPPEDA, invited_by=admin
        )
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    return invitation


def test_an_expired_invitation_is_refused_with_its_date(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    invitation = _expired_invitation(make_user, medan)
    page = client_on(medan_host).get(_path(invitation.accept_url))
    assert page.status_code == 410
    assert "kedaluwarsa" in page.content.decode()
    post = _accept(medan_host, invitation.accept_url)
    assert post.status_code == 410
    with schema_context(medan.schema_name):
        assert not User.objects.filter(email="telat@medan.go.id").exists()


def test_an_invitation_of_one_region_is_unknown_in_another(
    make_user: MakeUser, medan: Tenant, buol_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    with schema_context(medan.schema_name):
        invitation = services.invitation_create(
            tenant=medan, email="x@medan.go.id", role=Role.TAPD, invited_by=admin
        )
    response = client_on(buol_host).get(_path(invitation.accept_url))
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_a_new_invitation_replaces_the_pending_one(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    with schema_context(medan.schema_name):
        first = services.invitation_create(
            tenant=medan, email="x@medan.go.id", role=Role.TAPD, invited_by=admin
        )
        services.invitation_create(
            tenant=medan, email="x@medan.go.id", role=Role.BPKAD, invited_by=admin
        )
    refused = client_on(medan_host).get(_path(first.accept_url))
    assert refused.status_code == 410
    assert "dibatalkan" in refused.content.decode()


def test_an_active_user_cannot_be_invited_again(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    make_user("ada@medan.go.id", schema=medan)
    response = signed_in(medan_host, admin).post(
        "/api/akun/undangan/",
        {"email": "ada@medan.go.id", "role": "tapd"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["field"] == "email"


def test_an_opd_bound_role_needs_an_opd_code(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    response = signed_in(medan_host, admin).post(
        "/api/akun/undangan/",
        {"email": "opd@medan.go.id", "role": "kepala_opd"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "opd_code"


def test_the_first_admin_precreated_inactive_by_provisioning_is_activated(
    medan: Tenant, medan_host: str
) -> None:
    # given: provisioning made the user inactive without a password, then invited them
    with schema_context(medan.schema_name):
        first = User.objects.create_user(email="kadis@medan.go.id", is_active=False)
        invitation = services.invitation_create(
            tenant=medan, email="kadis@medan.go.id", role=Role.ADMIN, invited_by="admin provinsi"
        )
    # when
    client = client_on(medan_host)
    client.post(
        _path(invitation.accept_url),
        {"full_name": "Kadis", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    # then
    assert client.get("/api/akun/saya/").json()["roles"] == ["admin_daerah"]
    with schema_context(medan.schema_name):
        user = User.objects.get(email="kadis@medan.go.id")
        assert user.pk == first.pk and user.is_active
        assert RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()


def test_a_console_invitation_makes_a_provincial_admin_who_must_set_up_mfa(db: None) -> None:
    invitation = services.staff_invitation_create(
        email="prov@sumut.go.id",
        role=User.PlatformRole.PROVINCIAL_ADMIN,
        province_code="12",
        invited_by=None,
    )
    assert invitation.accept_url.startswith("http://localhost/akun/undangan/")
    client = client_on(CONSOLE)
    client.post(
        _path(invitation.accept_url),
        {"full_name": "Prov", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user = User.objects.get(email="prov@sumut.go.id")
    assert (user.platform_role, user.province_code) == ("provincial_admin", "12")
    assert client.get("/")["Location"].startswith("/akun/2fa/totp/activate/")


def test_the_admin_page_invites_and_lists_pending_invitations(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = signed_in(medan_host, admin)
    response = client.post(
        "/akun/pengguna/undang/", {"email": "b@medan.go.id", "role": "bappeda"}, follow=True
    )
    html = response.content.decode()
    assert "Undangan dikirim ke b@medan.go.id" in html
    assert "b@medan.go.id" in html


def test_an_expired_invitation_is_refused_in_the_language_the_person_chose(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    invitation = _expired_invitation(make_user, medan)
    english = client_on(medan_host)
    english.cookies["django_language"] = "en"
    # when
    in_english = english.get(_path(invitation.accept_url)).content.decode()
    in_indonesian = client_on(medan_host).get(_path(invitation.accept_url)).content.decode()
    # then
    assert "This invitation expired on " in in_english
    assert "Ask the admin to send a new one." in in_english
    assert "kedaluwarsa" not in in_english
    assert "Undangan ini kedaluwarsa pada " in in_indonesian
    assert "This invitation" not in in_indonesian


def test_a_missing_role_is_named_in_english_over_the_api_too(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    officer = make_user("bappeda@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    client = signed_in(medan_host, officer)
    client.cookies["django_language"] = "en"
    refused = client.get("/api/akun/pengguna/")
    assert refused.status_code == 403
    assert refused.json()["message"] == (
        "Access denied: this action requires the role Admin daerah or Inspektorat."
    )
