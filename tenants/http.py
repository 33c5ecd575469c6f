"""The request as the routing middleware leaves it: typed access to the region it routed to."""

from typing import cast

from django.http import Http404, HttpRequest

from tenants.models import Tenant


class RoutedRequest(HttpRequest):
    """A request after TenantRoutingMiddleware: `tenant` is its region, None on the console."""

    tenant: Tenant | None


def request_tenant(request: HttpRequest) -> Tenant | None:
    """The region `request` routed to; None on the console and before routing."""
    return cast(Tenant | None, getattr(request, "tenant", None))


def region_of(request: HttpRequest) -> Tenant:
    """The region of a request served on a region's host (region views only); raises
    Http404 on the console, where no region is in play."""
    tenant = request_tenant(request)
    if tenant is None:
        raise Http404
    return tenant


def request_tenant_set(request: HttpRequest, tenant: Tenant | None) -> RoutedRequest:
    """Record the routing decision on the request (the middleware's one write)."""
    routed = cast(RoutedRequest, request)
    routed.tenant = tenant
    return routed
