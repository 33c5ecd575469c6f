"""Wiring only: every login binds its session to the schema it happened in."""

from typing import Any

from django.http import HttpRequest


def session_bind_schema(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """RegionSessionGuardMiddleware refuses the session in any other schema."""
    from apps.accounts.middleware import SESSION_SCHEMA_KEY
    from tenants.db import schema_current

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SCHEMA_KEY] = schema_current()
