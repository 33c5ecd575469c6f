"""Reads of users, roles, invitations, tokens and support grants in the current schema."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import (
    ApiToken,
    Invitation,
    RoleAssignment,
    SupportGrant,
    User,
)
from apps.platform.models import SupportGrantRecord


def user_list() -> QuerySet[User]:
    """The schema's users with their roles, by email."""
    return User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
    ).order_by("email")


def wilayah_places() -> list[tuple[str, str]]:
    """The region's kecamatan and desa/kelurahan as (code, "Kecamatan X" / "Desa Y, Kec. X"),
    for the wilayah code of operator kecamatan and desa."""
    from apps.wilayah.models import Desa, Kecamatan

    kecamatan = dict(Kecamatan.objects.values_list("kode", "nama"))
    places = [(kode, _("Kecamatan %(name)s") % {"name": nama}) for kode, nama in kecamatan.items()]
    rows = Desa.objects.values_list("kode", "nama", "jenis", "kecamatan_id")
    for kode, nama, jenis, kec in rows:
        label = _("Kelurahan %(name)s") if jenis == "kelurahan" else _("Desa %(name)s")
        places.append(
            (
                kode,
                _("%(place)s, Kecamatan %(kecamatan)s")
                % {"place": label % {"name": nama}, "kecamatan": kecamatan.get(kec, kec)},
            )
        )
    return sorted(places)


def role_assignment_list(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).order_by("role")


def invitation_list_pending() -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (expired ones included, marked by expires_at)."""
    return Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at"
    )


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The owner's tokens that are not revoked, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def support_grant_list_active() -> QuerySet[SupportGrant]:
    now = timezone.now()
    return SupportGrant.objects.filter(
        ended_at__isnull=True, opened_at__lte=now, expires_at__gt=now
    ).order_by("-opened_at")


def support_grant_list() -> QuerySet[SupportGrant]:
    return SupportGrant.objects.order_by("-opened_at")


def support_grant_record_list(*, support_user: User) -> QuerySet[SupportGrantRecord]:
    """Console (public schema): the grants a support person opened, newest first."""
    return SupportGrantRecord.objects.filter(support_user_id=str(support_user.pk)).order_by(
        "-opened_at"
    )
