"""Routing by Host: the console on BASE_DOMAIN, a region on its domain, nothing else."""

from collections.abc import Callable

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import validate_host
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils.translation import gettext as _

from saas.logging import tenant_context
from tenants.db import schema_activate, schema_activate_public
from tenants.http import request_tenant_set
from tenants.models import Tenant
from tenants.routing import hostname_route, routing_cache


class TenantRoutingMiddleware:
    """Selects the schema and URLconf for the request's Host.

    Missing, malformed or foreign Host: 400. Django checks only the syntax (ALLOWED_HOSTS "*"):
    a Host is served when it is one of PLATFORM_HOSTS or a routed domain (a region's verified
    own domain). Unknown subdomain: 404 (never the console). Suspended region: 503.
    A warm request costs no query to find its tenant, and no SET unless the connection's schema
    differs (see saas.db_backend).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        routing_cache.ensure_listener()
        if not request.META.get("HTTP_HOST"):
            return self._refuse(request, 400, _("Permintaan tanpa header Host."))
        try:
            hostname = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
        except Exception:  # DisallowedHost and malformed hosts alike
            return self._refuse(request, 400, _("Host tidak dikenal oleh layanan ini."))

        route = hostname_route(hostname)
        if route.tenant is None and not validate_host(hostname, settings.PLATFORM_HOSTS):
            return self._refuse(request, 400, _("Host tidak dikenal oleh layanan ini."))
        if route.is_console:
            schema_activate_public()
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            request_tenant_set(request, None)
            return self._serve(request, settings.PUBLIC_SCHEMA_NAME)

        tenant = route.tenant
        if tenant is None or tenant.status in (
            Tenant.Status.PROVISIONING,
            Tenant.Status.FAILED,
            Tenant.Status.ARCHIVED,
        ):
            return self._refuse(request, 404, _("Daerah dengan alamat ini tidak ditemukan."))
        if tenant.status == Tenant.Status.SUSPENDED:
            return self._refuse(
                request,
                503,
                _("Layanan %(name)s sedang ditangguhkan sementara.") % {"name": tenant.name},
                tenant=tenant,
            )
        schema_activate(tenant)
        request_tenant_set(request, tenant)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self._serve(request, tenant.schema_name)

    def _serve(self, request: HttpRequest, schema_name: str) -> HttpResponse:
        sentry_sdk.set_tag("tenant", schema_name)
        with tenant_context(schema_name):
            return self.get_response(request)

    @staticmethod
    def _refuse(
        request: HttpRequest, status: int, message: str, tenant: Tenant | None = None
    ) -> HttpResponse:
        return render(
            request,
            "errors/routing.html",
            {"status": status, "message": message, "region": tenant},
            status=status,
        )
