"""View decorators: the rules of apps.access.roles for Django views.

Anonymous visitors go to the login page; a signed-in person without the role gets a 403 naming
the role (JSON under /api/, the Indonesian 403 page otherwise).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.access.roles import (
    CENTRAL_SUPPORT,
    allowed_roles,
    is_support_session,
    missing_platform_role_message,
    missing_role_message,
    platform_role,
    request_may,
    support_read_only_message,
)

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def forbidden_response(request: HttpRequest, message: str) -> HttpResponse:
    """403 as JSON {field, message} for API paths, otherwise the Indonesian 403 page."""
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "field": "role",
                "message": message,
                "errors": [{"field": "role", "message": message}],
            },
            status=403,
        )
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


def role_required(
    *write_roles: str, read: Iterable[str] = (), observers: bool = True
) -> Callable[[V], V]:
    """Region views: writes need one of `write_roles`; reads also `read` roles and observers."""
    read_roles = tuple(read)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            method = request.method or "GET"
            if request_may(user, method, write_roles, read_roles, observers):
                return view(request, *args, **kwargs)
            if is_support_session(user):
                return forbidden_response(request, support_read_only_message())
            allowed = allowed_roles(method, write_roles, read_roles, observers)
            return forbidden_response(request, missing_role_message(allowed))

        return cast(V, wrapper)

    return decorator


# Every page anonymous visitors may open on purpose, keyed "module.function"
# (the pages' counterpart of apps.access.drf.PUBLIC_API_VIEWS).
PUBLIC_PAGE_VIEWS: dict[str, Callable[..., HttpResponseBase]] = {}


def public_page(view: V) -> V:
    """Declare a region page open to anonymous visitors (e.g. public tracking by number)."""
    PUBLIC_PAGE_VIEWS[f"{view.__module__}.{view.__qualname__}"] = view
    return view


def platform_role_required(*platform_roles: str) -> Callable[[V], V]:
    """Console views: the user's effective platform role must be one of `platform_roles`
    (a provincial admin's pages then scope their data with apps.access.scoping)."""
    allowed = {str(r) for r in platform_roles}

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if platform_role(user) in allowed:
                return view(request, *args, **kwargs)
            return forbidden_response(request, missing_platform_role_message(allowed))

        return cast(V, wrapper)

    return decorator


def console_view(*, central_only: bool = False) -> Callable[[V], V]:
    """Console pages: central support, and provincial admins (for their province, scoped with
    apps.access.scoping) unless `central_only`."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            role = platform_role(user)
            if not role:
                return forbidden_response(request, _("Halaman ini khusus staf platform."))
            if central_only and role != CENTRAL_SUPPORT:
                return forbidden_response(
                    request, _("Hanya dukungan pusat yang boleh melakukan tindakan ini.")
                )
            return view(request, *args, **kwargs)

        return cast(V, wrapper)

    return decorator
