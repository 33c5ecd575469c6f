"""Roles and scopes: predicates on a user, for the platform (public schema) and for a region.

Region roles come from RoleAssignment rows in the region's schema; platform roles from
User.platform_role in public. A support session (SupportPrincipal) may read wherever observers may
read and never write. `is_superuser` grants no platform role: console access and its MFA rule
follow `platform_role` only, so a superuser made with `createsuperuser` is not platform staff.
"""

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS

from apps.accounts.models import (
    OPD_BOUND_ROLES,
    WILAYAH_BOUND_ROLES,
    Role,
    RoleAssignment,
    User,
)
from apps.accounts.principals import Actor, SupportPrincipal
from tenants.db import schema_current

CENTRAL_SUPPORT = User.PlatformRole.CENTRAL_SUPPORT.value
PROVINCIAL_ADMIN = User.PlatformRole.PROVINCIAL_ADMIN.value

# Roles that may read every region app's data and write none of it.
OBSERVER_ROLES = frozenset({Role.INSPEKTORAT.value})

_ROLE_CACHE = "_berbagi_role_assignments"
_WILAYAH_CACHE = "_berbagi_wilayah_codes"


# --- platform -------------------------------------------------------------------------------


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def platform_role(user: Any) -> str:
    """The user's effective platform role: '' unless signed in, active and holding one (a
    provincial admin without a province holds none)."""
    if not _active(user):
        return ""
    role = str(getattr(user, "platform_role", "") or "")
    if role == PROVINCIAL_ADMIN and not getattr(user, "province_code", ""):
        return ""
    return role if role in (CENTRAL_SUPPORT, PROVINCIAL_ADMIN) else ""


def is_platform_staff(user: Any) -> bool:
    """Central support or a provincial admin with a province: who may use the console."""
    return platform_role(user) != ""


def is_central_support(user: Any) -> bool:
    return platform_role(user) == CENTRAL_SUPPORT


def is_provincial_admin(user: Any, province_code: str | None = None) -> bool:
    if platform_role(user) != PROVINCIAL_ADMIN:
        return False
    return province_code is None or str(user.province_code) == province_code


def province_scope(user: Any) -> str | None:
    """None: every province (central support); otherwise the one province a provincial admin
    manages. Call only for platform staff."""
    return None if is_central_support(user) else str(getattr(user, "province_code", ""))


def platform_role_labels(roles: Iterable[str]) -> str:
    return join_or([_(str(User.PlatformRole(r).label)) for r in sorted({str(r) for r in roles})])


# --- region ---------------------------------------------------------------------------------


def _assignments(user: Any) -> list[tuple[str, str]]:
    """(role, opd_code) pairs of a region user, cached on the user object for the request."""
    if not _active(user) or getattr(user, "pk", None) is None:
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
    for name in (_ROLE_CACHE, _WILAYAH_CACHE):
        if hasattr(user, name):
            delattr(user, name)


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


def user_wilayah_codes(user: Any) -> frozenset[str]:
    """Kecamatan/desa codes a wilayah-bound user (operator kecamatan or desa) is bound to."""
    if not _active(user) or getattr(user, "pk", None) is None:
        return frozenset()
    if schema_current() == settings.PUBLIC_SCHEMA_NAME:
        return frozenset()
    cached = getattr(user, _WILAYAH_CACHE, None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user_id=user.pk)
            .exclude(wilayah_code="")
            .values_list("wilayah_code", flat=True)
        )
        setattr(user, _WILAYAH_CACHE, cached)
    return cast(frozenset[str], cached)


def wilayah_scope_allows(user: Any, desa_code: str, *roles: str) -> bool:
    """A user holding one of `roles` that is not wilayah-bound reaches every place; a user whose
    matching roles are all wilayah-bound reaches only their desa, or the desa of their kecamatan
    (a desa code starts with its kecamatan's code)."""
    held = user_roles(user) & {str(r) for r in roles}
    if held - WILAYAH_BOUND_ROLES:
        return True
    if not held:
        return False
    return any(
        desa_code == code or desa_code.startswith(code + ".") for code in user_wilayah_codes(user)
    )


def opd_scope_allows(user: Any, opd_code: str, *roles: str) -> bool:
    """A user holding one of `roles` that is not OPD-bound sees every OPD; a user whose matching
    roles are all OPD-bound sees only their own OPD's rows."""
    held = user_roles(user) & {str(r) for r in roles}
    if held - OPD_BOUND_ROLES:
        return True
    return opd_code in user_opd_codes(user, *(held & OPD_BOUND_ROLES))


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


def allowed_roles(
    method: str, write_roles: Iterable[str], read_roles: Iterable[str], observers: bool
) -> frozenset[str]:
    """The roles that would have allowed `method` (named in a refusal)."""
    allowed = {str(r) for r in write_roles}
    if method in SAFE_METHODS:
        allowed |= {str(r) for r in read_roles} | (set(OBSERVER_ROLES) if observers else set())
    return frozenset(allowed)


# --- messages -------------------------------------------------------------------------------


def join_or(labels: list[str]) -> str:
    """'A', 'A atau B', 'A, B atau C' in the active language."""
    if len(labels) == 1:
        return labels[0]
    return _("%(some)s atau %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def role_labels(roles: Iterable[str]) -> str:
    labels = [str(Role(r).label) for r in sorted({str(r) for r in roles}) if r in Role.values]
    return join_or(labels) if labels else _("tidak ada peran")


def missing_role_message(roles: Iterable[str]) -> str:
    return _("Akses ditolak: tindakan ini memerlukan peran %(roles)s.") % {
        "roles": role_labels(roles)
    }


def missing_platform_role_message(roles: Iterable[str]) -> str:
    return _("Akses ditolak: tindakan ini memerlukan peran %(roles)s.") % {
        "roles": platform_role_labels(roles)
    }


def support_read_only_message() -> str:
    return _("Akses dukungan hanya dapat membaca data; perubahan ditolak.")


def role_require(user: Any, *roles: str) -> None:
    """For services: raise MissingRoleError naming the roles unless the user holds one."""
    from apps.accounts.errors import MissingRoleError

    if not user_has_role(user, *roles):
        raise MissingRoleError(missing_role_message(roles), field="role")


def request_actor(request: HttpRequest) -> Actor:
    """The signed-in person a guarded view acts for, typed for the services' `actor`; an
    anonymous request reaching here is refused (the view's guard should have stopped it)."""
    user = request.user
    if isinstance(user, User | SupportPrincipal) and user.is_authenticated:
        return user
    raise PermissionDenied(_("Masuk terlebih dahulu."))
