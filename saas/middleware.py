"""Process-level endpoints that answer before, and regardless of, tenant routing."""

import hmac
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from operations import metrics
from saas import health


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


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response that has none (empty: no header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


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
