"""MFA: required for platform staff on the console, available to everyone."""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, User
from apps.accounts.tests.conftest import CONSOLE, PASSWORD, MakeUser, client_on, signed_in
from tenants.models import Tenant


def _code(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def _with_totp(user: User) -> tuple[str, list[str]]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes


def test_platform_staff_without_mfa_can_only_set_it_up(make_user: MakeUser) -> None:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    client = signed_in(CONSOLE, support)
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/akun/2fa/totp/activate/?wajib=1"
    api = client.get("/api/akun/saya/")
    assert api.status_code == 403
    assert api.json()["field"] == "mfa"
    # allauth asks for the password again before showing the TOTP secret
    reauth = client.get(home["Location"])
    assert reauth["Location"].startswith("/akun/reauthenticate/")
    client.post(reauth["Location"], {"password": PASSWORD})
    setup = client.get(home["Location"])
    assert setup.status_code == 200
    html = setup.content.decode()
    assert "wajib mengaktifkan autentikasi dua faktor" in html
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html)
    if secret is None:
        secret = re.search(r'value="([A-Z2-7]{32})"', html)
    assert secret is not None
    activated = client.post(home["Location"], {"code": _code(secret.group(1))})
    assert activated.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/akun/saya/").status_code == 200


def test_provincial_admin_is_held_to_mfa_too(make_user: MakeUser) -> None:
    admin = make_user(
        "prov@sumut.go.id", platform_role=User.PlatformRole.PROVINCIAL_ADMIN, province_code="12"
    )
    assert signed_in(CONSOLE, admin).get("/api/akun/token/").status_code == 403


def test_login_with_totp_refuses_a_wrong_code_and_accepts_the_right_one(
    make_user: MakeUser,
) -> None:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    secret, _ = _with_totp(support)
    client = client_on(CONSOLE)
    login = client.post("/akun/login/", {"login": support.email, "password": PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == "/akun/2fa/authenticate/"
    assert client.get("/api/akun/saya/").status_code == 401
    wrong = client.post(
        "/akun/2fa/authenticate/", {"code": "000000" if _code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "Kode salah" in wrong.content.decode()
    right = client.post("/akun/2fa/authenticate/", {"code": _code(secret)})
    assert right.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/akun/saya/").json()["platform_role"] == "central_support"


def test_a_recovery_code_signs_in_once(make_user: MakeUser) -> None:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    _, codes = _with_totp(support)
    client = client_on(CONSOLE)
    client.post("/akun/login/", {"login": support.email, "password": PASSWORD})
    assert client.post("/akun/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    again = client_on(CONSOLE)
    again.post("/akun/login/", {"login": support.email, "password": PASSWORD})
    assert again.post("/akun/2fa/authenticate/", {"code": codes[0]}).status_code == 200


def test_platform_staff_cannot_switch_totp_off(make_user: MakeUser) -> None:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    secret, _ = _with_totp(support)
    client = client_on(CONSOLE)
    client.post("/akun/login/", {"login": support.email, "password": PASSWORD})
    client.post("/akun/2fa/authenticate/", {"code": _code(secret)})
    client.post("/akun/2fa/totp/deactivate/", {})
    assert Authenticator.objects.filter(user=support, type=Authenticator.Type.TOTP).exists()


def test_region_users_are_not_forced_but_may_enable_totp(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("staf@medan.go.id", schema=medan)
    client = signed_in(medan_host, user)
    assert client.get("/").status_code == 200
    client.post("/akun/reauthenticate/", {"password": PASSWORD})
    page = client.get("/akun/2fa/totp/activate/")
    assert page.status_code == 200
    assert "otpauth" in page.content.decode() or "svg" in page.content.decode()


@pytest.mark.parametrize("place", ["console", "region"])
def test_accepting_an_invitation_asks_for_the_totp_code_of_someone_who_has_it(
    place: str, make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    # given: a person with TOTP, deactivated, then invited again
    schema, host = ("public", CONSOLE) if place == "console" else (medan.schema_name, medan_host)
    platform_role = User.PlatformRole.CENTRAL_SUPPORT if place == "console" else ""
    person = make_user("lagi@berbagi.id", schema=schema, platform_role=platform_role)
    with schema_context(schema):
        secret, _codes = _with_totp(person)
        User.objects.filter(pk=person.pk).update(is_active=False)
        role = User.PlatformRole.CENTRAL_SUPPORT if place == "console" else Role.TAPD
        if place == "console":
            invitation = services.staff_invitation_create(
                email=person.email, role=role, invited_by="sistem"
            )
        else:
            invitation = services.invitation_create(
                tenant=medan, email=person.email, role=role, invited_by="sistem"
            )
    client = client_on(host)
    # when: the invitation is accepted
    accepted = client.post(
        "/" + invitation.accept_url.split("/", 3)[3],
        {"full_name": "Lagi", "password1": PASSWORD + "x", "password2": PASSWORD + "x"},
    )
    # then: the MFA stage, not a session
    assert accepted.status_code == 302
    assert accepted["Location"] == "/akun/2fa/authenticate/"
    assert client.get("/api/akun/saya/").status_code == 401
    assert client.post("/akun/2fa/authenticate/", {"code": _code(secret)}).status_code == 302
    assert client.get("/api/akun/saya/").status_code == 200


def test_nothing_signs_a_user_in_around_allauth_login_stages() -> None:
    """Sign-ins go through allauth (perform_login / its views) so every stage runs."""
    root = Path(settings.BASE_DIR)
    direct = re.compile(r"(?<![\w.])login\(request|auth\.login\(|import login\b")
    offenders = [
        str(path.relative_to(root))
        for package in ("apps", "saas", "tenants", "provisioning", "operations")
        for path in (root / package).rglob("*.py")
        if "tests" not in path.parts and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
