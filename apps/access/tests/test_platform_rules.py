"""One rule for platform roles on every console entry point (issue 9.1): `is_superuser` grants
nothing; central support everything; a provincial admin with a province the shared pages and
their own province's data; everyone else nothing."""

import pytest
from django.test import Client

from apps.access import roles, scoping
from apps.access.tests.urlwalk import Route, routes
from apps.accounts.models import User
from provisioning.services import provision_can_request
from tenants.models import Region, Tenant

CONSOLE = "localhost"
# Console routes anyone may open: the landing page, language switch, sign-in flows, API docs,
# the transparency portal's national and province pages.
OPEN_PREFIXES = ("/i18n/", "/akun/", "/api/schema/", "/api/docs/", "/api/akun/", "/transparansi/")


def _user(email: str, **fields: object) -> User:
    return User.objects.create_user(email=email, password="x", **fields)


def _guarded_console_routes() -> list[Route]:
    return [r for r in routes("console") if r.path != "/" and not r.path.startswith(OPEN_PREFIXES)]


@pytest.mark.parametrize(
    ("fields", "staff", "central"),
    [
        ({"is_superuser": True}, False, False),
        ({"platform_role": "central_support"}, True, True),
        ({"platform_role": "central_support", "is_active": False}, False, False),
        ({"platform_role": "provincial_admin", "province_code": "72"}, True, False),
        ({"platform_role": "provincial_admin"}, False, False),
        ({}, False, False),
    ],
)
def test_the_platform_predicates(
    db: None, fields: dict[str, object], staff: bool, central: bool
) -> None:
    user = _user("u@example.org", **fields)
    assert roles.is_platform_staff(user) is staff
    assert roles.is_central_support(user) is central


def test_the_walk_finds_guarded_console_pages_and_apis() -> None:
    paths = {r.path for r in _guarded_console_routes()}
    assert "/operasi/" in paths and "/penyiapan/" in paths and "/api/operations/regions/" in paths


@pytest.mark.parametrize("kind", ["superuser", "no-role", "province-less admin"])
@pytest.mark.parametrize("route", _guarded_console_routes(), ids=lambda r: r.path)
def test_every_console_entry_point_refuses_people_without_a_platform_role(
    db: None, route: Route, kind: str
) -> None:
    cases: dict[str, dict[str, object]] = {
        "superuser": {"is_superuser": True, "is_staff": True},
        "no-role": {},
        "province-less admin": {"platform_role": "provincial_admin"},
    }
    fields = cases[kind]
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(_user("x@example.org", **fields))
    response = client.get(route.path)
    # refused, or sent to set up MFA first (required of anyone holding a platform role)
    refused = response.status_code in (403, 405) or (
        response.status_code == 302 and response["Location"].startswith("/akun/2fa/")
    )
    assert refused, (route.path, response.status_code)


def test_provisioning_follows_the_same_rule(db: None) -> None:
    region = Region.objects.get(kode="72.10")
    assert not provision_can_request(user=_user("su@example.org", is_superuser=True), region=region)
    assert provision_can_request(
        user=_user("p@example.org", platform_role="provincial_admin", province_code="72"),
        region=region,
    )
    assert not provision_can_request(
        user=_user("q@example.org", platform_role="provincial_admin", province_code="12"),
        region=region,
    )


def test_tenants_are_scoped_to_the_provincial_admins_province(db: None) -> None:
    tenants = Tenant.objects.exclude(province=None)
    sulteng = _user("p@example.org", platform_role="provincial_admin", province_code="72")
    central = _user("c@example.org", platform_role="central_support")
    superuser = _user("s@example.org", is_superuser=True)
    assert {t.province_id for t in scoping.tenants_visible(sulteng, tenants)} == {"72"}
    assert scoping.tenants_visible(central, tenants).count() == tenants.count() >= 2
    assert scoping.tenants_visible(superuser, tenants).count() == 0
    provinces = Region.objects.filter(tingkat=Region.Level.PROVINSI)
    assert list(
        scoping.scope_by_province(sulteng, provinces, "kode").values_list("kode", flat=True)
    ) == ["72"]
