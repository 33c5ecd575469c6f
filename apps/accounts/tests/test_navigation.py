"""The header offers each person the pages they may open, and nothing more."""

from apps.accounts.models import Role
from apps.accounts.tests.conftest import MakeUser, client_on, signed_in
from tenants.models import Tenant


def _nav(html: str) -> str:
    return html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_an_anonymous_visitor_is_offered_sign_in_only(medan_host: str) -> None:
    nav = _nav(client_on(medan_host).get("/").content.decode())
    assert 'href="/akun/login/"' in nav
    assert "/akun/pengguna/" not in nav and "Keluar" not in nav


def test_a_region_admin_sees_user_management_and_sign_out(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    admin = make_user("admin@pemkomedan.go.id", schema=medan, roles=[Role.ADMIN])
    nav = _nav(signed_in(medan_host, admin).get("/").content.decode())
    assert 'href="/akun/pengguna/"' in nav
    assert 'href="/akun/token/"' in nav
    assert "Keluar" in nav and "admin@pemkomedan.go.id" in nav


def test_a_bappeda_officer_is_not_offered_user_management(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    officer = make_user("bappeda@pemkomedan.go.id", schema=medan, roles=[Role.BAPPEDA])
    nav = _nav(signed_in(medan_host, officer).get("/").content.decode())
    assert "/akun/pengguna/" not in nav
    assert 'href="/akun/token/"' in nav
