"""A region user's roles and activation; the region always keeps an active admin."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.access.roles import role_cache_clear
from apps.accounts.models import OPD_BOUND_ROLES, WILAYAH_BOUND_ROLES, Role, RoleAssignment, User
from apps.accounts.services._common import _audit, opd_code_validate, wilayah_code_validate
from apps.audit.actions import AuditAction
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError


def _other_active_admins(user: User) -> bool:
    return (
        RoleAssignment.objects.filter(role=Role.ADMIN, user__is_active=True)
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def user_roles_set(
    *, user: User, roles: list[str], opd_code: str, changed_by: Any, wilayah_code: str = ""
) -> User:
    """Replace a region user's roles. OPD-bound roles take `opd_code`, operator desa/kecamatan a
    `wilayah_code` of this region; the region always keeps an active admin, and an admin cannot
    drop their own admin role."""
    wanted = sorted(set(roles))
    for role in wanted:
        if role not in Role.values:
            raise ApplicationError(
                _("Peran daerah '%(role)s' tidak dikenal.") % {"role": role}, field="roles"
            )
    opd_code = opd_code_validate(
        roles=wanted, opd_code=opd_code if set(wanted) & OPD_BOUND_ROLES else ""
    )
    wilayah_code = wilayah_code_validate(roles=wanted, wilayah_code=wilayah_code)
    had_admin = RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()
    if had_admin and Role.ADMIN not in wanted:
        if getattr(changed_by, "pk", None) == user.pk:
            raise PermissionDeniedError(
                _("Anda tidak dapat mencabut peran admin daerah Anda sendiri."), field="roles"
            )
        if not _other_active_admins(user):
            raise ConflictError(_("Daerah harus tetap memiliki satu admin aktif."), field="roles")
    before = [str(a) for a in RoleAssignment.objects.filter(user=user).order_by("role")]
    RoleAssignment.objects.filter(user=user).delete()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=user,
                role=role,
                opd_code=opd_code if role in OPD_BOUND_ROLES else "",
                wilayah_code=wilayah_code if role in WILAYAH_BOUND_ROLES else "",
            )
            for role in wanted
        ]
    )
    role_cache_clear(user)
    after = [str(a) for a in RoleAssignment.objects.filter(user=user).order_by("role")]
    _audit(
        actor=changed_by,
        action=AuditAction.ROLES_CHANGED,
        target=user,
        changes={"before": before, "after": after},
    )
    return user


@transaction.atomic
def user_deactivate(*, user: User, deactivated_by: Any) -> User:
    """The user can no longer sign in, and their sessions and API tokens stop working."""
    if getattr(deactivated_by, "pk", None) == user.pk:
        raise PermissionDeniedError(
            _("Anda tidak dapat menonaktifkan akun Anda sendiri."), field="user"
        )
    if RoleAssignment.objects.filter(
        user=user, role=Role.ADMIN
    ).exists() and not _other_active_admins(user):
        raise ConflictError(_("Daerah harus tetap memiliki satu admin aktif."), field="user")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audit(
        actor=deactivated_by,
        action=AuditAction.USER_DEACTIVATED,
        target=user,
        changes={"email": user.email},
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, reactivated_by: Any) -> User:
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit(
        actor=reactivated_by,
        action=AuditAction.USER_REACTIVATED,
        target=user,
        changes={"email": user.email},
    )
    return user
