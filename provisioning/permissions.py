"""Who may use the support console: central support everywhere, a provincial admin in their
province (read-only), nobody else. Simple checks on User.platform_role for now."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tenants.models import Tenant

CENTRAL = "central_support"
PROVINCIAL = "provincial_admin"


def is_central(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (getattr(user, "platform_role", "") == CENTRAL or getattr(user, "is_superuser", False))
    )


def is_console_user(user: Any) -> bool:
    if is_central(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "platform_role", "") == PROVINCIAL
        and getattr(user, "province_code", "")
    )


def province_scope(user: Any) -> str | None:
    """None: every province; otherwise the one province a provincial admin manages."""
    return None if is_central(user) else str(user.province_code)


def tenants_visible(user: Any, tenants: QuerySet[Tenant]) -> QuerySet[Tenant]:
    scope = province_scope(user)
    return tenants if scope is None else tenants.filter(province_id=scope)


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    # The identity app's 403 page ("Akses ditolak"); the routing error page only titles 404/503.
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


def console_view(*, central_only: bool = False) -> Callable[..., Any]:
    """Page guard: sign-in first, then the platform role."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if central_only and not is_central(request.user):
                return _refuse(
                    request, _("Hanya dukungan pusat yang boleh melakukan tindakan ini.")
                )
            if not is_console_user(request.user):
                return _refuse(request, _("Halaman ini khusus staf platform."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class IsConsoleUser(BasePermission):
    message = gettext_lazy("Halaman ini khusus staf platform.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_console_user(request.user)


class IsCentralSupport(BasePermission):
    message = gettext_lazy("Hanya dukungan pusat yang boleh melakukan tindakan ini.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_central(request.user)
