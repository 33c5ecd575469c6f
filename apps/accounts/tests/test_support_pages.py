"""Every page a support session can reach answers properly (issue 8.6): it reads, or it says with
a 403 that support access is read-only. Never a 500, for any URL pattern of a region."""

from django.test import Client

from apps.accounts.middleware import SUPPORT_EXIT_PATH
from apps.accounts.models import User
from apps.accounts.tests.conftest import MakeUser, console_signed_in
from apps.accounts.tests.urlwalk import url_paths
from tenants.models import Tenant

HANDOFF_PATH = "/akun/dukungan/masuk/"


def _support_session(make_user: MakeUser, medan: Tenant, host: str) -> Client:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)
    opened = console_signed_in(support).post(
        "/akun/dukungan/",
        {"tenant": str(medan.pk), "reason": "Tiket #42: halaman akun", "duration_minutes": 60},
    )
    region = Client(HTTP_HOST=host, raise_request_exception=False)  # a crash counts as a 500
    assert region.get("/" + opened["Location"].split("/", 3)[3]).status_code == 302
    return region


def test_the_walk_covers_the_account_pages_that_crashed() -> None:
    paths = set(url_paths("saas.urls_tenant"))
    for crashed in (
        "/akun/email/",
        "/akun/password/change/",
        "/akun/password/set/",
        "/akun/2fa/totp/activate/",
        "/akun/2fa/recovery-codes/",
        "/akun/reauthenticate/",
    ):
        assert crashed in paths


def test_no_region_page_answers_a_support_session_with_a_server_error(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    region = _support_session(make_user, medan, medan_host)
    failures = []
    for path in url_paths("saas.urls_tenant"):
        if path == SUPPORT_EXIT_PATH:
            continue  # it ends the session; tested in test_support.py
        for method in ("get", "post"):
            response = getattr(region, method)(path)
            if response.status_code >= 500:
                failures.append((method, path, response.status_code))
            elif response.status_code == 403 and path != HANDOFF_PATH:  # that one: a bad link
                body = response.content.decode()
                if "dukungan" not in body or "hanya dapat membaca" not in body:
                    failures.append((method, path, "403 without the read-only reason"))
    assert failures == [], failures
    # the session survived the walk: it still reads
    assert region.get("/api/akun/saya/").json()["support_session"] is True


def test_account_pages_tell_a_support_session_that_support_access_is_read_only(
    make_user: MakeUser, medan: Tenant, medan_host: str
) -> None:
    region = _support_session(make_user, medan, medan_host)
    for path in ("/akun/email/", "/akun/password/change/", "/akun/2fa/totp/activate/"):
        response = region.get(path)
        assert response.status_code == 403, path
        assert "hanya dapat membaca" in response.content.decode()
