"""Process-level endpoints that answer before, and regardless of, tenant routing."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
    if getattr(request, "tenant", None) is None:
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
