"""No request value reaches the ORM unvalidated (issue 8.5, 8.13): every API of both URLconfs,
fed NUL bytes, huge, negative and non-numbers and overlong strings in every query parameter it
reads (and the usual paging ones), answers without a 5xx, and a 400 is JSON naming the field.
Every input serializer bounds its strings and integers; a NUL byte anywhere in a query string,
form or JSON body is a 400 before any view runs."""

import inspect
import json
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework import serializers

from apps.access.tests.urlwalk import Route, drf_routes, routes
from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
from saas.api import ValidatedQueryMixin
from tenants.models import Tenant

STANDARD_PARAMS = ("limit", "offset", "page", "page_size", "ordering", "search")
PASSWORD = "Rahasia-yang-panjang-123"
BAD_VALUES = (
    "\x00",
    "a\x00b",
    "9" * 40,
    "99999999999",
    "-1",
    "-" + "9" * 30,
    "abc",
    "1e309",
    "x" * 5000,
    "",
)


def _host(route: Route, tenant: Tenant) -> str:
    if route.side == "console":
        return settings.BASE_DOMAIN
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


@pytest.fixture
def clients(medan: Tenant) -> dict[str, Client]:
    """A signed-in client per side holding every role there (sessions live in their schema:
    the region's is made by signing in there)."""
    cache.clear()  # sessions and login rate limits live in the cache: start from nothing
    support = User.objects.create_user(
        email="pusat@example.org", password="x", platform_role="central_support"
    )
    Authenticator.objects.create(user=support, type=Authenticator.Type.TOTP, data={"secret": "x"})
    with schema_context(medan.schema_name):
        admin = User.objects.create_user(email="admin@medan.test", password=PASSWORD)
        EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
        for role in Role.values:
            opd_code = "1.02.0.00.0.00.01.0000" if role in OPD_BOUND_ROLES else ""
            RoleAssignment.objects.create(user=admin, role=role, opd_code=opd_code)
    console = Client(HTTP_HOST=settings.BASE_DOMAIN, raise_request_exception=False)
    console.force_login(support)
    region = Client(
        HTTP_HOST=_host(Route("region", "/", None), medan), raise_request_exception=False
    )
    login = region.post("/akun/login/", {"login": admin.email, "password": PASSWORD})
    assert login.status_code == 302
    assert region.get("/api/akun/saya/").json()["email"] == admin.email
    return {"console": console, "region": region}


def _get_routes() -> list[Route]:
    return [r for r in drf_routes() if r.view_class is not None and hasattr(r.view_class, "get")]


def _accepted_params(route: Route) -> list[str]:
    cls = route.view_class
    declared: list[str] = []
    if cls is not None and issubclass(cls, ValidatedQueryMixin):
        declared = list(cls.query_serializer().fields)
    return [*declared, *STANDARD_PARAMS]


def _assert_answer(response: Any, field: str) -> None:
    assert response.status_code < 500, (response.status_code, field)
    if response.status_code == 400:
        body = response.json()
        assert field in [e["field"] for e in body["errors"]], body
        assert body["message"]


@pytest.mark.parametrize("route", _get_routes(), ids=lambda r: f"{r.side}:{r.path}")
def test_every_query_parameter_of_every_api_is_validated(
    route: Route, clients: dict[str, Client]
) -> None:
    client = clients[route.side]
    for param in _accepted_params(route):
        for value in BAD_VALUES:
            _assert_answer(client.get(route.path, {param: value}), param)


def test_paging_is_bounded_and_names_the_field(clients: dict[str, Client]) -> None:
    region = clients["region"]
    for param, value in [("limit", "100000"), ("limit", "0"), ("limit", "-5"), ("offset", "x")]:
        response = region.get("/api/reference/rekening/", {param: value})
        assert response.status_code == 400
        assert response.json()["field"] == param
    assert (
        region.get("/api/reference/rekening/", {"limit": "200", "offset": "5"}).status_code == 200
    )


def test_views_read_query_parameters_only_through_a_declared_serializer() -> None:
    for route in drf_routes():
        assert route.view_class is not None
        source = inspect.getsource(route.view_class)
        assert "query_params" not in source and "request.GET" not in source, route.view_class


# --- input serializers ----------------------------------------------------------------------


def _input_serializers() -> Iterator[type[serializers.Serializer[Any]]]:
    seen: set[type[Any]] = set()
    for route in drf_routes():
        cls = route.view_class
        assert cls is not None
        module = inspect.getmodule(cls)
        candidates = [*vars(module).values(), *vars(cls).values()]
        for obj in candidates:
            if (
                isinstance(obj, type)
                and issubclass(obj, serializers.Serializer)
                and "Output" not in obj.__name__
                and obj.__module__ == cls.__module__
                and obj not in seen
            ):
                seen.add(obj)
                yield obj


def _fields(serializer: serializers.Serializer[Any]) -> Iterator[tuple[str, Any]]:
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        yield name, field
        if isinstance(field, serializers.ListField):
            yield f"{name}[]", field.child


def test_the_input_serializers_are_found() -> None:
    names = {s.__name__ for s in _input_serializers()}
    assert {"InvitationInputSerializer", "InputSerializer", "ReferenceQuery"} <= names


@pytest.mark.parametrize(
    "serializer_class", list(_input_serializers()), ids=lambda s: s.__qualname__
)
def test_every_input_field_is_bounded(serializer_class: type[serializers.Serializer[Any]]) -> None:
    for name, field in _fields(serializer_class()):
        if isinstance(field, serializers.CharField):
            assert field.max_length is not None, f"{serializer_class.__qualname__}.{name}"
        if isinstance(field, serializers.IntegerField):
            assert field.max_value is not None, f"{serializer_class.__qualname__}.{name}"
        if isinstance(field, serializers.ListField):
            assert field.max_length is not None or "Output" in serializer_class.__name__


@pytest.mark.parametrize(
    ("side", "path", "field"),
    [
        ("console", "/api/provisioning/jobs/", "admin_email"),
        ("region", "/api/akun/undangan/", "email"),
    ],
)
def test_an_overlong_email_is_a_json_400_naming_it(
    clients: dict[str, Client], side: str, path: str, field: str
) -> None:
    email = "a" * 300 + "@example.org"
    body = {"email": email, "admin_email": email, "kode_wilayah": "72.10", "role": "bappeda"}
    response = clients[side].post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert field in [e["field"] for e in response.json()["errors"]]


# --- the NUL-byte guard ---------------------------------------------------------------------


@pytest.mark.parametrize("route", routes(), ids=lambda r: f"{r.side}:{r.path}")
def test_a_nul_byte_in_the_query_string_is_refused_everywhere(route: Route, medan: Tenant) -> None:
    client = Client(HTTP_HOST=_host(route, medan))
    response = client.get(route.path, {"q": "a\x00"})
    assert response.status_code == 400
    if route.path.startswith("/api/"):
        assert response.json()["field"] == "q"
    else:
        assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "route", [r for r in routes() if r.path.startswith("/api/")], ids=lambda r: f"{r.side}:{r.path}"
)
def test_a_nul_byte_in_a_json_or_form_body_is_refused(route: Route, medan: Tenant) -> None:
    client = Client(HTTP_HOST=_host(route, medan))
    body = json.dumps({"name": "ok", "nested": {"email": "a\u0000@b.c"}})
    response = client.post(route.path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "nested.email"
    form = "name=a%00"
    response = client.post(route.path, form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["field"] == "name"


@pytest.mark.parametrize(
    "document",
    [
        {"angka": [[1, 2.5, True, None], {"x": [3]}], "teks": "a\u0000"},
        [0, -1, 1e300, False, None, ["b\u0000"]],
        {"dalam": {"lebih": [{"lagi": [7, "c\u0000"]}]}},
    ],
    ids=["numbers-beside-text", "top-level-list", "deep"],
)
def test_the_nul_guard_walks_json_of_every_shape(document: object, medan: Tenant) -> None:
    """Numbers, booleans and null anywhere in the body (found by schemathesis: a number inside a
    list answered 500) are walked past; the NUL is still found and named."""
    client = Client(HTTP_HOST=medan.primary_host)
    response = client.post("/api/akun/token/", json.dumps(document), "application/json")
    assert response.status_code == 400
    assert "\u0000" not in response.json()["field"]


def test_json_without_a_nul_byte_reaches_the_view_whatever_its_shape(medan: Tenant) -> None:
    client = Client(HTTP_HOST=medan.primary_host)
    body = json.dumps({"a": [[3823578, "x"]], "b": 1, "c": [True, None, 2.5]})
    response = client.post("/api/akun/token/", body, "application/json")
    assert response.status_code in (401, 403)  # the view's own answer: nobody signed in
