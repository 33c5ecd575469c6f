"""403, 404 and 500 on the console and in a region: the product's layout, Bahasa Indonesia by
default and English with the language cookie, never Django's bare English pages."""

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from saas import error_views
from tenants.models import Tenant

TEXTS = {
    404: {"id": "Halaman tidak ditemukan", "en": "Page not found"},
    403: {"id": "Akses ditolak", "en": "Access denied"},
    500: {"id": "Terjadi kesalahan", "en": "Something went wrong"},
}
# What Django's own pages say; none of it may reach a visitor.
DJANGO_DEFAULTS = ("Not Found", "Server Error (500)", "403 Forbidden", "<h1>Bad Request")


def _host(tenant: Tenant | None) -> str:
    if tenant is None:
        return "localhost"
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


def _raise(exc: Exception) -> Callable[..., Any]:
    def view(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return view


@pytest.fixture
def production(settings: Settings) -> None:
    settings.DEBUG = False


@pytest.mark.parametrize("urlconf", ["saas.urls_public", "saas.urls_tenant"])
def test_both_urlconfs_declare_the_styled_handlers(urlconf: str) -> None:
    module = importlib.import_module(urlconf)
    assert module.handler403 == "saas.error_views.permission_denied"
    assert module.handler404 == "saas.error_views.page_not_found"
    assert module.handler500 == "saas.error_views.server_error"


@pytest.mark.parametrize("where", ["console", "region"])
@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("status", [403, 404, 500])
def test_error_pages_are_styled_and_translated_on_every_host(
    production: None,
    medan: Tenant,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    language: str,
    status: int,
) -> None:
    # given: the home page of either host fails the way the status says
    tenant = medan if where == "region" else None
    if status == 403:
        monkeypatch.setattr("tenants.views.render", _raise(PermissionDenied()))
    elif status == 500:
        monkeypatch.setattr("tenants.views.render", _raise(RuntimeError("boom")))
    path = "/tidak-ada-di-sini/" if status == 404 else "/"

    # when
    response = _client(language).get(path, HTTP_HOST=_host(tenant))

    # then
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert TEXTS[status][language] in body
    assert 'class="site-header"' in body and "css/berbagi.css" in body
    assert f'<html lang="{language}">' in body
    if tenant is not None:
        assert tenant.name in body
    assert not [text for text in DJANGO_DEFAULTS if text in body]
    other = "en" if language == "id" else "id"
    assert TEXTS[status][other] not in body


def test_a_permission_denied_with_a_reason_shows_that_reason(
    production: None, medan: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tenants.views.render", _raise(PermissionDenied("Khusus Bappeda.")))
    response = _client("id").get("/", HTTP_HOST=_host(medan))
    assert response.status_code == 403
    assert "Khusus Bappeda." in response.content.decode()


@pytest.mark.parametrize("where", ["console", "region"])
def test_the_500_page_renders_without_touching_the_database(
    medan: Tenant, django_assert_num_queries: Any, where: str
) -> None:
    request = RequestFactory().get("/", HTTP_HOST=_host(medan if where == "region" else None))
    if where == "region":
        request.tenant = medan  # type: ignore[attr-defined]
    with django_assert_num_queries(0):
        response = error_views.server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()
