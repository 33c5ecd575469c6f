"""The header offers each person the pages they may open, and nothing more."""

from django.test import RequestFactory
from django.urls import set_urlconf

from apps.accounts.models import Role, User
from apps.accounts.tests.conftest import MakeUser, client_on, signed_in
from saas.context_processors import platform
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


def test_a_console_link_stays_current_on_the_pages_below_it(db: None) -> None:
    # given central support on a region's page under /operasi/
    request = RequestFactory().get("/operasi/daerah/daerah_72_05/", HTTP_HOST="localhost")
    support = User(email="pusat@berbagi.test")
    support.platform_role = "central_support"
    request.user = support
    set_urlconf("saas.urls_public")
    try:
        links = platform(request)["nav_links"]
    finally:
        set_urlconf(None)

    # then the Operasi link is marked current and the others are not
    current = [url for _label, url, is_current in links if is_current]
    assert current == ["/operasi/"]
    assert "/akun/staf/" in [url for _label, url, _current in links]
