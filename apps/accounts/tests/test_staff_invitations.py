"""The console's invitations of platform staff: central support only, end to end with MFA."""

import re
from typing import Any

import pytest
from django.core import mail

from apps.accounts import services
from apps.accounts.models import Invitation, User
from apps.accounts.tests.conftest import (
    CONSOLE,
    MakeUser,
    client_on,
    console_signed_in,
    signed_in,
)
from apps.core.errors import ApplicationError, PermissionDeniedError

NEW_PASSWORD = "Kata-sandi-baru-yang-kuat-9"


def _path(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/akun/undangan/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def _support(make_user: MakeUser) -> User:
    return make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)


def test_central_support_invites_a_provincial_admin_who_joins_and_must_set_up_totp(
    make_user: MakeUser, django_capture_on_commit_callbacks: Any
) -> None:
    console = console_signed_in(_support(make_user))
    page = console.get("/akun/staf/")
    assert page.status_code == 200
    # the province list is the registry's 38 provinsi
    options = re.findall(r'<option value="(\d{2})"', page.content.decode())
    assert len(options) == 38 and "72" in options
    # when: the invitation is sent
    with django_capture_on_commit_callbacks(execute=True):
        sent = console.post(
            "/akun/staf/",
            {"email": "Kadis@SultengProv.go.id", "role": "provincial_admin", "province_code": "72"},
            follow=True,
        )
    # then: listed as pending, emailed with a console link
    html = sent.content.decode()
    assert "Undangan dikirim ke kadis@sultengprov.go.id." in html
    pending = html.split('id="staff-invitations"', 1)[1]
    assert "kadis@sultengprov.go.id" in pending and "SULAWESI TENGAH" in pending.upper()
    assert len(mail.outbox) == 1
    path = _path(mail.outbox[0])
    assert mail.outbox[0].body.count("http://localhost/akun/undangan/") == 1
    # when: the invitee opens the link page and accepts
    invitee = client_on(CONSOLE)
    form = invitee.get(path)
    assert form.status_code == 200 and "kadis@sultengprov.go.id" in form.content.decode()
    accepted = invitee.post(
        path, {"full_name": "Kadis Sulteng", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert accepted.status_code == 302
    # then: the platform role is set, and signing in leads to TOTP first
    user = User.objects.get(email="kadis@sultengprov.go.id")
    assert (user.platform_role, user.province_code) == ("provincial_admin", "72")
    fresh = client_on(CONSOLE)
    assert (
        fresh.post("/akun/login/", {"login": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert fresh.get("/")["Location"] == "/akun/2fa/totp/activate/?wajib=1"
    assert fresh.get("/api/akun/saya/").json()["field"] == "mfa"
    assert "kadis@sultengprov.go.id" not in console.get("/akun/staf/").content.decode()


def test_central_support_invites_another_central_support_person(
    make_user: MakeUser, django_capture_on_commit_callbacks: Any
) -> None:
    console = console_signed_in(_support(make_user))
    with django_capture_on_commit_callbacks(execute=True):
        console.post(
            "/akun/staf/",
            {"email": "cs2@berbagi.id", "role": "central_support", "province_code": ""},
        )
    invitee = client_on(CONSOLE)
    invitee.post(
        _path(mail.outbox[0]),
        {"full_name": "CS Dua", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    user = User.objects.get(email="cs2@berbagi.id")
    assert (user.platform_role, user.province_code) == ("central_support", "")
    assert invitee.get("/")["Location"] == "/akun/2fa/totp/activate/?wajib=1"


def test_a_provincial_admin_invitation_needs_a_province_of_the_list(make_user: MakeUser) -> None:
    console = console_signed_in(_support(make_user))
    missing = console.post(
        "/akun/staf/", {"email": "p@x.go.id", "role": "provincial_admin", "province_code": ""}
    )
    assert missing.status_code == 200
    assert "Admin provinsi memerlukan kode provinsi dua digit." in missing.content.decode()
    unknown = console.post(
        "/akun/staf/", {"email": "p@x.go.id", "role": "provincial_admin", "province_code": "99"}
    )
    assert unknown.status_code == 200
    assert not Invitation.objects.filter(email="p@x.go.id").exists()
    with pytest.raises(ApplicationError, match="tidak ada di daftar provinsi"):
        services.staff_invitation_create(
            email="p@x.go.id", role="provincial_admin", province_code="99", invited_by=None
        )


def test_central_support_revokes_a_pending_console_invitation(make_user: MakeUser) -> None:
    console = console_signed_in(_support(make_user))
    console.post(
        "/akun/staf/", {"email": "p@sumut.go.id", "role": "provincial_admin", "province_code": "12"}
    )
    invitation = Invitation.objects.get(email="p@sumut.go.id")
    # when
    revoked = console.post(f"/akun/staf/undangan/{invitation.pk}/batal/", follow=True)
    # then
    html = revoked.content.decode()
    assert "Undangan untuk p@sumut.go.id dibatalkan." in html
    assert "p@sumut.go.id" not in html.split('id="staff-invitations"', 1)[1]
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_only_central_support_may_invite_platform_staff(make_user: MakeUser) -> None:
    anonymous = client_on(CONSOLE).get("/akun/staf/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/akun/login/")
    provincial = make_user(
        "prov@sumut.go.id", platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="12"
    )
    client = console_signed_in(provincial)
    page = client.get("/akun/staf/")
    assert page.status_code == 403
    assert "memerlukan peran Dukungan pusat" in page.content.decode()
    posted = client.post(
        "/akun/staf/", {"email": "x@sumut.go.id", "role": "provincial_admin", "province_code": "12"}
    )
    assert posted.status_code == 403
    other = Invitation.objects.create(
        email="y@sumut.go.id",
        role="provincial_admin",
        token_hash="0" * 64,
        expires_at="2999-01-01T00:00Z",
    )
    assert client.post(f"/akun/staf/undangan/{other.pk}/batal/").status_code == 403
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1
    # a staff user without a platform role (a plain account on the console) is refused too
    plain = make_user("biasa@berbagi.id")
    assert signed_in(CONSOLE, plain).get("/akun/staf/").status_code == 403
    # and the service refuses them whoever calls it
    with pytest.raises(PermissionDeniedError):
        services.staff_invitation_create(
            email="z@sumut.go.id",
            role="provincial_admin",
            province_code="12",
            invited_by=provincial,
        )
