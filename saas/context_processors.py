from typing import Any

from django.conf import settings
from django.http import HttpRequest

from apps.access.nav import nav_for
from tenants.http import request_tenant


def platform(request: HttpRequest) -> dict[str, Any]:
    """The region (or None on the console), the base domain and the navigation for every page."""
    return {
        "region": request_tenant(request),
        "base_domain": settings.BASE_DOMAIN,
        "nav_links": nav_for(request),
    }
