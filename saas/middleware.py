"""Process-level endpoints that answer before, and regardless of, tenant routing."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

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
