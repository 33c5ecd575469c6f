"""Process-level endpoints that answer before, and regardless of, tenant routing."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from saas import health
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


class TimeZoneMiddleware:
    """Times on a region's pages in the region's own zone (WIB, WITA or WIT); the console in WIB.

    Runs after routing, which sets request.tenant; the zone comes from the province code already
    in memory, so it costs no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        timezone.activate(zone_for(tenant.region_id if tenant is not None else None))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
