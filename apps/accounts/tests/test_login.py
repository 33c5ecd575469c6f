from django.core import mail

from apps.accounts.models import Role
from apps.accounts.tests.conftest import (
    CONSOLE,
    PASSWORD,
    MakeUser,
    client_on,
    signed_in,
)
from tenants.models import Tenant


def test_region_user_signs_in_and_out_on_the_region_host(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    # given
    user = make_user("admin@medan.go.id", schema=medan, roles=[Role.ADMIN])
    client = client_on(medan_host)
    # when
    page = client.get("/akun/login/")
    response = client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    # then
    assert page.status_code == 200
    assert "Masuk" in page.content.decode()
    assert response.status_code == 302
    assert client.get("/api/akun/saya/").json()["roles"] == ["admin_daerah"]
    client.post("/akun/logout/")
    assert client.get("/api/akun/saya/").status_code == 401


def test_a_region_user_does_not_exist_on_the_console_or_in_another_region(
    make_user: MakeUser, medan: Tenant, buol_host: str
) -> None:
    user = make_user("opd@medan.go.id", schema=medan, roles=[Role.BAPPEDA])
    for host in (CONSOLE, buol_host):
        response = client_on(host).post("/akun/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 200
        assert "tidak benar" in response.content.decode() or "salah" in response.content.decode()


def test_platform_user_signs_in_on_the_console(make_user: MakeUser) -> None:
    user = make_user("warga@kemendagri.go.id")
    client = signed_in(CONSOLE, user)
    assert client.get("/api/akun/saya/").json()["email"] == user.email


def test_repeated_wrong_passwords_lock_the_login_with_a_clear_message(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("staf@medan.go.id", schema=medan)
    client = client_on(medan_host)
    for _ in range(5):
        client.post("/akun/login/", {"login": user.email, "password": "salah-sekali"})
    # even the right password is refused while locked
    response = client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


def test_a_deactivated_account_is_told_so(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("lama@medan.go.id", schema=medan, active=False)
    response = client_on(medan_host).post(
        "/akun/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert "Akun ini sudah dinonaktifkan" in response.content.decode()


def test_an_unverified_email_gets_a_verification_mail_before_access(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("baru@medan.go.id", schema=medan, verified=False)
    client = client_on(medan_host)
    client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/api/akun/saya/").status_code == 401
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert medan_host in mail.outbox[0].body


def test_password_reset_mails_a_link_of_the_same_host(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    user = make_user("lupa@medan.go.id", schema=medan)
    response = client_on(medan_host).post("/akun/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert f"http://{medan_host}/akun/password/reset/key/" in mail.outbox[0].body


def test_sign_up_is_closed(medan: Tenant, medan_host: str) -> None:
    response = client_on(medan_host).get("/akun/signup/")
    assert "ditutup" in response.content.decode().lower()
