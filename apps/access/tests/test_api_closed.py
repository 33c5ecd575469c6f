"""APIs are closed by default (issue 8.4): every DRF view of both URLconfs refuses anonymous
callers unless it is in the one public list, and the public list is exactly what is public."""

import pytest
from django.test import Client

from apps.access.drf import PUBLIC_API_VIEWS, is_public_api
from apps.access.tests.urlwalk import Route, drf_routes
from tenants.models import Tenant

CONSOLE = "localhost"
METHODS = ("get", "post", "put", "patch", "delete")


def _host(route: Route, medan: Tenant) -> str:
    if route.side == "console":
        return CONSOLE
    domain = medan.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def _allowed_methods(route: Route) -> list[str]:
    cls = route.view_class
    assert cls is not None
    return [m for m in METHODS if hasattr(cls, m)]


def _anonymous_statuses(route: Route, medan: Tenant) -> dict[str, int]:
    client = Client(HTTP_HOST=_host(route, medan))
    return {
        method: getattr(client, method)(route.path, content_type="application/json").status_code
        for method in _allowed_methods(route)
    }


def test_the_walk_finds_the_apis_of_both_sides() -> None:
    sides = {route.side for route in drf_routes()}
    assert sides == {"console", "region"}
    assert len(drf_routes()) >= 20


@pytest.mark.parametrize("route", drf_routes(), ids=lambda r: f"{r.side}:{r.path}")
def test_every_api_refuses_anonymous_callers_unless_listed_public(
    route: Route, medan: Tenant
) -> None:
    statuses = _anonymous_statuses(route, medan)
    assert route.view_class is not None
    if is_public_api(route.view_class):
        assert all(code not in (401, 403) for code in statuses.values()), statuses
    else:
        assert all(code in (401, 403) for code in statuses.values()), statuses


def test_the_public_list_is_exactly_the_public_apis(medan: Tenant) -> None:
    open_classes = {
        route.view_class
        for route in drf_routes()
        if any(code not in (401, 403) for code in _anonymous_statuses(route, medan).values())
    }
    assert open_classes == set(PUBLIC_API_VIEWS.values())


def test_a_view_that_names_no_permission_is_closed() -> None:
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.views import APIView

    class Forgetful(APIView):
        pass

    assert Forgetful.permission_classes == [IsAuthenticated]
