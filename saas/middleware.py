"""Process-level middleware that answers before, and regardless of, tenant routing: health
probes, the language, the NUL-byte guard and the database-unavailable answer."""

import hmac
import json
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from provisioning import metrics
from saas import api, health
from tenants.http import request_tenant
from tenants.timezones import zone_for


class HealthCheckMiddleware:
    """Answers /healthz and /readyz for any Host (probes use the pod IP), ahead of routing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            problems = health.readiness_problems()
            status = 200 if not problems else 503
            return JsonResponse(
                {"status": "ok" if not problems else "unavailable", "problems": problems},
                status=status,
            )
        return self.get_response(request)


class LanguageMiddleware:
    """Bahasa Indonesia unless the person chose another language (the language cookie).

    Django's LocaleMiddleware follows the browser's Accept-Language, so an en-US browser, common
    in Indonesian offices, would get English by default. This one ignores that header, and runs
    before routing so the 400/404/503 pages speak the chosen language too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def _error(request: HttpRequest, status: int, field: str | None, message: str) -> HttpResponse:
    """JSON {field, message} under /api/, the styled error page otherwise. Rendered without the
    request's context processors, which may need the database this error is about."""
    if request.path.startswith("/api/"):
        return JsonResponse(api.error_payload(field, message), status=status)
    template = "errors/unavailable.html" if status == 503 else "errors/routing.html"
    html = render_to_string(template, {"status": status, "message": message})
    return HttpResponse(html, status=status)


def _has_nul(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def _nul_field(request: HttpRequest) -> str | None:
    """The name of the first query, form or JSON value holding a NUL byte (or "body")."""
    for key, values in request.GET.lists():
        if "\x00" in key or _has_nul(values):
            return key.replace("\x00", "")
    # Multipart bodies are left to forms and serializers (their CharFields refuse NUL too):
    # parsing them here would fix the upload handlers before a view could choose its own.
    content_type = request.content_type or ""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None
    if content_type == "application/x-www-form-urlencoded":
        for key, values in request.POST.lists():
            if "\x00" in key or _has_nul(values):
                return key.replace("\x00", "")
    elif "json" in content_type and (b"\x00" in request.body or b"\\u0000" in request.body):
        return _json_nul_field(request.body)
    return None


def _json_nul_field(body: bytes) -> str:
    """The dotted path of the first JSON key or string holding a NUL ("body" if unparsable)."""
    try:
        document = json.loads(body)
    except ValueError:
        return "body"

    def walk(value: Any, path: str) -> str | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        if not isinstance(value, dict | list):
            return None  # numbers, booleans, null
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                return name.replace("\x00", "")
            if (found := walk(item, name)) is not None:
                return found
        return None

    return walk(document, "") or "body"


class RequestGuardMiddleware:
    """Refuses a NUL byte in any query, form or JSON value with a 400 naming it: PostgreSQL
    cannot store one, so it would otherwise surface as a 500 wherever it reached the ORM."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = _nul_field(request)
        if field is not None:
            return _error(request, 400, field, api.null_character_message())
        return self.get_response(request)


_DB_DOWN = "berbagi.database_unavailable"


def _mark_database_failure(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        request.META[_DB_DOWN] = True


got_request_exception.connect(_mark_database_failure, dispatch_uid="saas.database_unavailable")


class DatabaseUnavailableMiddleware:
    """A request that failed because the database is out of reach answers 503 (JSON under
    /api/, the styled page otherwise) instead of a 500, wherever the failure happened: routing,
    sessions, authentication or the view (DRF views map it in saas.api's handler)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and request.META.get(_DB_DOWN):
            return _error(request, 503, None, api.database_unavailable_message())
        return response


class TimeZoneMiddleware:
    """Times on a region's pages in the region's own zone (WIB, WITA or WIT); the console in WIB.

    Runs after routing, which sets request.tenant; the zone comes from the province code already
    in memory, so it costs no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = request_tenant(request)
        timezone.activate(zone_for(tenant.region_id if tenant is not None else None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _listener_port(request: HttpRequest) -> int | None:
    """The local port the connection arrived on (gunicorn's socket; None under other servers).
    Unlike SERVER_PORT, which gunicorn takes from the Host header, a client cannot choose it."""
    sock = request.META.get("gunicorn.socket")
    try:
        return int(sock.getsockname()[1])  # type: ignore[union-attr]
    except (AttributeError, TypeError, ValueError, IndexError, OSError):
        return None


class MetricsMiddleware:
    """Prometheus: /metrics on the metrics listener with the scrape token; every other request
    is counted and timed per region (the schema the routing middleware chose)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/metrics" and _listener_port(request) == settings.METRICS_PORT:
            return self._scrape(request)
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.request_observe(
            region=metrics.region_label(request),
            method=request.method or "",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response

    @staticmethod
    def _scrape(request: HttpRequest) -> HttpResponse:
        token = settings.METRICS_TOKEN
        if not token:
            return HttpResponse("metrics are disabled: METRICS_TOKEN is not set\n", status=404)
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            response = HttpResponse("a valid scrape token is required\n", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        body, content_type = metrics.exposition()
        return HttpResponse(body, content_type=content_type)


DEFAULT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Headers every response carries, the routing pages (unknown host, suspended region)
    included, so it runs ahead of routing:

    - Content-Security-Policy from settings.CONTENT_SECURITY_POLICY: assets are local, nothing
      inline runs unless it carries this request's nonce (`request.csp_nonce`, added to
      script-src and style-src);
    - Cache-Control `private, no-store` on everything but static assets: pages and API answers
      carry personal or internal data, or a CSRF token; only a region page that declares
      itself public keeps its caching, for anonymous visitors;
    - X-Frame-Options DENY (Django's own middleware never sees the routing pages).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", csp_with_nonce(nonce))
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.path.startswith(settings.STATIC_URL) and not _public_page(request, response):
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def _public_page(request: HttpRequest, response: HttpResponse) -> bool:
    """A region page that declares itself cacheable (`Cache-Control: public`, e.g. a future
    transparency page) keeps that for an anonymous visitor; never on the console, never for
    someone signed in."""
    if "public" not in response.headers.get("Cache-Control", ""):
        return False
    if request_tenant(request) is None:
        return False
    return not getattr(getattr(request, "user", None), "is_authenticated", False)


def csp_with_nonce(nonce: str) -> str:
    """The configured policy with `'nonce-…'` added to its script-src and style-src."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", "") or DEFAULT_CONTENT_SECURITY_POLICY
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    names = {part.split()[0] for part in directives}
    for name in ("script-src", "style-src"):
        if name not in names:
            directives.append(f"{name} 'self'")
    return "; ".join(
        f"{part} 'nonce-{nonce}'" if part.split()[0] in ("script-src", "style-src") else part
        for part in directives
    )
