"""Who may do what: the role-check helpers and DRF permission classes every app uses.

Region roles come from RoleAssignment rows in the region's schema; platform roles from
User.platform_role in public. A support session (SupportPrincipal) may read wherever observers may
read and never write. Refusals name the roles that would have allowed the action.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from apps.accounts.errors import MissingRoleError
from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
from tenants.db import schema_current

# Roles that may read every region app's data and write none of it.
OBSERVER_ROLES = frozenset({Role.INSPEKTORAT.value})

_ROLE_CACHE = "_berbagi_role_assignments"


def _assignments(user: Any) -> list[tuple[str, str]]:
    """(role, opd_code) pairs of a region user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None:
        return []
    if not getattr(user, "is_active", False):
        return []
    if schema_current() == settings.PUBLIC_SCHEMA_NAME:
        return []
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk).values_list("role", "opd_code")
        )
        setattr(user, _ROLE_CACHE, cached)
    return cast(list[tuple[str, str]], cached)


def role_cache_clear(user: Any) -> None:
    if hasattr(user, _ROLE_CACHE):
        delattr(user, _ROLE_CACHE)


def is_support_session(user: Any) -> bool:
    return bool(getattr(user, "is_support_session", False))


def user_roles(user: Any) -> frozenset[str]:
    return frozenset(role for role, _ in _assignments(user))


def user_has_role(user: Any, *roles: str) -> bool:
    return bool(user_roles(user) & {str(r) for r in roles})


def user_opd_codes(user: Any, *roles: str) -> frozenset[str]:
    """OPD codes the user is bound to (through the given OPD-bound roles, or any)."""
    wanted = {str(r) for r in roles} or OPD_BOUND_ROLES
    return frozenset(code for role, code in _assignments(user) if role in wanted and code)


def role_labels(roles: Iterable[str]) -> str:
    labels = [str(Role(r).label) for r in sorted({str(r) for r in roles}) if r in Role.values]
    return join_or(labels) if labels else _("tidak ada peran")


def join_or(labels: list[str]) -> str:
    """'A', 'A atau B', 'A, B atau C' in the active language."""
    if len(labels) == 1:
        return labels[0]
    return _("%(some)s atau %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def missing_role_message(roles: Iterable[str]) -> str:
    return _("Akses ditolak: tindakan ini memerlukan peran %(roles)s.") % {
        "roles": role_labels(roles)
    }


def support_read_only_message() -> str:
    return _("Akses dukungan hanya dapat membaca data; perubahan ditolak.")


def role_require(user: Any, *roles: str) -> None:
    """Raise MissingRoleError naming the roles unless the user holds one of them."""
    if not user_has_role(user, *roles):
        raise MissingRoleError(missing_role_message(roles), field="role")


def opd_scope_allows(user: Any, opd_code: str, *roles: str) -> bool:
    """A user holding one of `roles` that is not OPD-bound sees every OPD; a user whose matching
    roles are all OPD-bound sees only their own OPD's rows. Observers and support read all."""
    wanted = {str(r) for r in roles}
    held = user_roles(user) & wanted
    if held - OPD_BOUND_ROLES:
        return True
    return opd_code in user_opd_codes(user, *(held & OPD_BOUND_ROLES))


def is_platform_staff(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "platform_role", ""))


def is_central_support(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "platform_role", "") == User.PlatformRole.CENTRAL_SUPPORT
    )


def is_provincial_admin(user: Any, province_code: str | None = None) -> bool:
    if getattr(user, "platform_role", "") != User.PlatformRole.PROVINCIAL_ADMIN:
        return False
    return province_code is None or getattr(user, "province_code", "") == province_code


def request_may(
    user: Any,
    method: str,
    write_roles: Iterable[str],
    read_roles: Iterable[str],
    observers: bool = True,
) -> bool:
    """The method-level rule shared by the DRF classes and the view decorator."""
    write = {str(r) for r in write_roles}
    if method in SAFE_METHODS:
        if observers and (is_support_session(user) or user_has_role(user, *OBSERVER_ROLES)):
            return True
        return user_has_role(user, *write, *{str(r) for r in read_roles})
    return not is_support_session(user) and user_has_role(user, *write)


class RegionRolePermission(BasePermission):
    """Writes need one of `write_roles`; reads one of `write_roles | read_roles`, or an observer
    (Inspektorat, a support session) when `observers`. With `opd_field`, OPD-bound roles reach
    only rows whose `opd_field` equals their OPD code. Build subclasses with `region_roles()`."""

    write_roles: frozenset[str] = frozenset()
    read_roles: frozenset[str] = frozenset()
    observers: bool = True
    opd_field: str | None = None

    def _allowed(self, method: str) -> frozenset[str]:
        if method in SAFE_METHODS:
            extra = OBSERVER_ROLES if self.observers else frozenset()
            return self.write_roles | self.read_roles | extra
        return self.write_roles

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            raise exceptions.NotAuthenticated(_("Silakan masuk terlebih dahulu."))
        if request_may(
            user, request.method or "GET", self.write_roles, self.read_roles, self.observers
        ):
            return True
        if is_support_session(user):
            raise exceptions.PermissionDenied(support_read_only_message())
        raise exceptions.PermissionDenied(
            missing_role_message(self._allowed(request.method or "GET"))
        )

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
        roles = self._allowed(request.method or "GET")
        if opd_scope_allows(user, code, *roles):
            return True
        raise exceptions.PermissionDenied(
            _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {"opd": code or "-"}
        )


def region_roles(
    *write_roles: str,
    read: Iterable[str] = (),
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
    """Central support or a provincial admin, on the console."""

    message = gettext_lazy(
        "Akses ditolak: hanya staf platform (dukungan pusat atau admin provinsi)."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_platform_staff(request.user)


class IsCentralSupport(BasePermission):
    message = gettext_lazy("Akses ditolak: tindakan ini memerlukan peran Dukungan pusat.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_central_support(request.user)


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


V = TypeVar("V", bound=Callable[..., HttpResponse])


def role_required(
    *write_roles: str, read: Iterable[str] = (), observers: bool = True
) -> Callable[[V], V]:
    """Decorator for Django views: anonymous -> login page; missing role -> 403 naming it."""
    read_roles = tuple(read)

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request_may(user, request.method or "GET", write_roles, read_roles, observers):
                return view(request, *args, **kwargs)
            if is_support_session(user):
                return forbidden_response(request, support_read_only_message())
            allowed = set(write_roles)
            if request.method in SAFE_METHODS:
                allowed |= set(read_roles) | (set(OBSERVER_ROLES) if observers else set())
            return forbidden_response(request, missing_role_message(allowed))

        return cast(V, wrapper)

    return decorator


def platform_role_required(*platform_roles: str) -> Callable[[V], V]:
    """Decorator for console views: the user's platform_role must be one of `platform_roles`."""
    allowed = {str(r) for r in platform_roles}

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(user, "platform_role", "") in allowed:
                return view(request, *args, **kwargs)
            labels = join_or([_(str(User.PlatformRole(r).label)) for r in sorted(allowed)])
            return forbidden_response(
                request,
                _("Akses ditolak: tindakan ini memerlukan peran %(roles)s.") % {"roles": labels},
            )

        return cast(V, wrapper)

    return decorator
