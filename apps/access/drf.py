"""DRF permission classes, and the one list of APIs open to anonymous callers.

REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES is `IsAuthenticated`: an API class that names no
permission is closed. A view opens itself to anonymous callers only with `@public_api`, which
records it in PUBLIC_API_VIEWS (tests/test_api_closed.py checks that list against every URL).
"""

from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from apps.access import roles
from apps.access.roles import (
    OBSERVER_ROLES,
    is_support_session,
    missing_role_message,
    opd_scope_allows,
    request_may,
    support_read_only_message,
    user_has_role,
)
from apps.accounts.models import Role

# Every API view class anonymous callers may use, keyed "module.ClassName".
PUBLIC_API_VIEWS: dict[str, type[APIView]] = {}

A = TypeVar("A", bound=type[APIView])


def public_api(view_class: A) -> A:
    """Open an API class to anonymous callers (AllowAny) and record it in PUBLIC_API_VIEWS."""
    view_class.permission_classes = [AllowAny]
    PUBLIC_API_VIEWS[f"{view_class.__module__}.{view_class.__qualname__}"] = view_class
    return view_class


def is_public_api(view_class: type[Any]) -> bool:
    return any(issubclass(view_class, public) for public in PUBLIC_API_VIEWS.values())


def _signed_in(request: Request) -> Any:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        raise exceptions.NotAuthenticated(_("Silakan masuk terlebih dahulu."))
    return user


class RegionRolePermission(BasePermission):
    """Writes need one of `write_roles`; reads one of `write_roles | read_roles`, or an observer
    (Inspektorat, a support session) when `observers`. With `opd_field`, OPD-bound roles reach
    only rows whose `opd_field` equals their OPD code. Build subclasses with `region_roles()`."""

    write_roles: frozenset[str] = frozenset()
    read_roles: frozenset[str] = frozenset()
    observers: bool = True
    opd_field: str | None = None

    def _allowed(self, method: str) -> frozenset[str]:
        return roles.allowed_roles(method, self.write_roles, self.read_roles, self.observers)

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = _signed_in(request)
        method = request.method or "GET"
        if request_may(user, method, self.write_roles, self.read_roles, self.observers):
            return True
        if is_support_session(user):
            raise exceptions.PermissionDenied(support_read_only_message())
        raise exceptions.PermissionDenied(missing_role_message(self._allowed(method)))

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if self.opd_field is None:
            return True
        user = request.user
        if is_support_session(user) or (
            request.method in SAFE_METHODS
            and self.observers
            and user_has_role(user, *OBSERVER_ROLES)
        ):
            return True
        code = str(getattr(obj, self.opd_field, "") or "")
        if opd_scope_allows(user, code, *self._allowed(request.method or "GET")):
            return True
        raise exceptions.PermissionDenied(
            _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {"opd": code or "-"}
        )


def region_roles(
    *write_roles: str,
    read: Any = (),
    observers: bool = True,
    opd_field: str | None = None,
) -> type[RegionRolePermission]:
    """A DRF permission class, e.g. `permission_classes = [region_roles(Role.BAPPEDA,
    read=[Role.DPRD], opd_field="opd_code")]`."""
    write = frozenset(str(r) for r in write_roles)
    attrs: dict[str, Any] = {
        "write_roles": write,
        "read_roles": frozenset(str(r) for r in read),
        "observers": observers,
        "opd_field": opd_field,
    }
    name = "RegionRoles_" + "_".join(sorted(write)) if write else "RegionRoles"
    return type(name, (RegionRolePermission,), attrs)


IsRegionAdmin = region_roles(Role.ADMIN)


class IsPlatformStaff(BasePermission):
    """Central support, or a provincial admin (in their province: scope the queryset with
    apps.access.scoping), on the console."""

    message = gettext_lazy(
        "Akses ditolak: hanya staf platform (dukungan pusat atau admin provinsi)."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        _signed_in(request)
        return roles.is_platform_staff(request.user)


class IsCentralSupport(BasePermission):
    message = gettext_lazy("Akses ditolak: tindakan ini memerlukan peran Dukungan pusat.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        _signed_in(request)
        return roles.is_central_support(request.user)
