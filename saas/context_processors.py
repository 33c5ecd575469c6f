from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """The region (or None on the console) and the base domain for every template."""
    return {
        "region": getattr(request, "tenant", None),
        "base_domain": settings.BASE_DOMAIN,
    }
