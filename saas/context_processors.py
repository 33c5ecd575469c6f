from typing import Any

from django.conf import settings
from django.http import HttpRequest

from apps.access.nav import nav_for


def platform(request: HttpRequest) -> dict[str, Any]:
    """The region (or None on the console), the base domain and the navigation for every page."""
    return {
        "region": getattr(request, "tenant", None),
        "base_domain": settings.BASE_DOMAIN,
        "nav_links": nav_for(request),
    }
