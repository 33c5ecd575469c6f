"""Invitations: to a region with a region role (invitation_create), or to the console with a
platform role (staff_invitation_create): two services, each told where it writes.

The link is emailed after commit and works once; accepting creates (or activates) the user with a
verified email and the invited role.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.access.roles import is_central_support
from apps.accounts.errors import (
    InvitationExpiredError,
    InvitationNotFoundError,
    InvitationUsedError,
)
from apps.accounts.models import Invitation, Role, RoleAssignment, User
from apps.accounts.principals import Actor
from apps.accounts.services._common import _audit, opd_code_validate, wilayah_code_validate
from apps.audit.actions import AuditAction
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.platform.services import staff_role_set
from tenants.models import Region, Tenant


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def site_base_url(*, tenant: Tenant | None = None) -> str:
    """scheme://host[:port] of a region (or of the console), for links sent outside a request."""
    host = settings.BASE_DOMAIN
    if tenant is not None:
        domain = tenant.get_primary_domain()
        if domain is not None:
            host = domain.domain
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}"


def _region_role_validate(*, role: str, opd_code: str, wilayah_code: str) -> str:
    """The role is a region role; its OPD or wilayah binding is this region's. Returns the
    wilayah code to store ("" for roles not bound to a place)."""
    if role not in Role.values:
        raise ApplicationError(
            _("Peran daerah '%(role)s' tidak dikenal.") % {"role": role}, field="role"
        )
    opd_code_validate(roles=[role], opd_code=opd_code)
    return wilayah_code_validate(roles=[role], wilayah_code=wilayah_code)


def _platform_role_validate(*, role: str, province_code: str) -> None:
    if role not in (User.PlatformRole.CENTRAL_SUPPORT, User.PlatformRole.PROVINCIAL_ADMIN):
        raise ApplicationError(
            _("Peran platform '%(role)s' tidak dikenal.") % {"role": role}, field="role"
        )
    if role == User.PlatformRole.PROVINCIAL_ADMIN:
        if not (len(province_code) == 2 and province_code.isdigit()):
            raise ApplicationError(
                _("Admin provinsi memerlukan kode provinsi dua digit."), field="province_code"
            )
        if not Region.objects.filter(kode=province_code, tingkat=Region.Level.PROVINSI).exists():
            raise ApplicationError(
                _("Kode provinsi %(code)s tidak ada di daftar provinsi.") % {"code": province_code},
                field="province_code",
            )
    elif province_code:
        raise ApplicationError(
            _("Dukungan pusat tidak terikat pada provinsi; kosongkan kode provinsi."),
            field="province_code",
        )


def _email_clean(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ApplicationError(_("Alamat email tidak valid."), field="email") from exc
    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.is_active and existing.has_usable_password():
        raise ConflictError(
            _(
                "Pengguna dengan email ini sudah terdaftar dan aktif; "
                "ubah perannya di daftar pengguna."
            ),
            field="email",
        )
    return email


def _invitation_issue(
    *,
    email: str,
    role: str,
    invited_by: Actor,
    opd_code: str,
    province_code: str,
    urlconf: str,
    base_url: str,
    place: str,
    wilayah_code: str = "",
) -> Invitation:
    """Write the invitation in the current schema (the caller entered it), audit it and email
    the link after commit; earlier pending invitations to the address stop working."""
    now = timezone.now()
    Invitation.objects.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        opd_code=opd_code,
        wilayah_code=wilayah_code,
        province_code=province_code,
        token_hash=_sha256(raw),
        invited_by_id=str(getattr(invited_by, "pk", "") or ""),
        invited_by_label=str(getattr(invited_by, "email", "") or invited_by or "sistem")[:255],
        expires_at=now + timedelta(hours=settings.INVITATION_TTL_HOURS),
    )
    path = reverse("invitation-accept", urlconf=urlconf, kwargs={"token": raw})
    invitation.token = raw
    invitation.accept_url = base_url.rstrip("/") + path
    _audit(
        actor=invited_by,
        action=AuditAction.INVITATION_CREATED,
        target=invitation,
        changes={
            "email": email,
            "role": role,
            "opd_code": opd_code,
            "wilayah_code": wilayah_code,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    context = {
        "invitation": invitation,
        "accept_url": invitation.accept_url,
        "place": place,
        "role_label": invitation.role_label,
        "ttl_hours": settings.INVITATION_TTL_HOURS,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


@transaction.atomic
def invitation_create(
    *,
    tenant: Tenant,
    email: str,
    role: str,
    invited_by: Actor,
    opd_code: str = "",
    wilayah_code: str = "",
    base_url: str | None = None,
) -> Invitation:
    """Invite `email` to the region `tenant` with a region role (OPD-bound roles name one of the
    region's OPD, operator kecamatan/desa one of its places). The link is emailed after commit;
    the raw token is on the returned object only (`.token`)."""
    with schema_context(tenant.schema_name):
        opd_code = opd_code.strip()
        wilayah_code = _region_role_validate(
            role=role, opd_code=opd_code, wilayah_code=wilayah_code
        )
        return _invitation_issue(
            email=_email_clean(email),
            role=role,
            invited_by=invited_by,
            opd_code=opd_code,
            province_code="",
            urlconf=settings.ROOT_URLCONF,
            base_url=base_url or site_base_url(tenant=tenant),
            place=tenant.name,
            wilayah_code=wilayah_code,
        )


@transaction.atomic
def staff_invitation_create(
    *,
    email: str,
    role: str,
    invited_by: Actor,
    province_code: str = "",
    base_url: str | None = None,
) -> Invitation:
    """Invite platform staff to the console with a platform role (a provincial admin names a
    province); only central support invites. Emailed after commit like a region's."""
    if isinstance(invited_by, User) and not is_central_support(invited_by):
        raise PermissionDeniedError(
            _("Hanya Dukungan pusat yang dapat mengundang staf platform."), field="role"
        )
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        _platform_role_validate(role=role, province_code=province_code)
        return _invitation_issue(
            email=_email_clean(email),
            role=role,
            invited_by=invited_by,
            opd_code="",
            province_code=province_code,
            urlconf=settings.PUBLIC_SCHEMA_URLCONF,
            base_url=base_url or site_base_url(tenant=None),
            place="Konsol Berbagi",
        )


def invitation_get_usable(*, token: str, for_update: bool = False) -> Invitation:
    """The pending, unexpired invitation of `token`, or a refusal saying exactly why not."""
    queryset = Invitation.objects.all()
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=_sha256(token)).first()
    if invitation is None:
        raise InvitationNotFoundError(
            _("Tautan undangan tidak dikenal di sini. Periksa kembali tautan di email Anda."),
            field="token",
        )
    if invitation.accepted_at is not None:
        raise InvitationUsedError(
            _(
                "Undangan ini sudah dipakai dan tidak dapat dipakai lagi. Silakan masuk dengan "
                "akun Anda."
            ),
            field="token",
        )
    if invitation.revoked_at is not None:
        raise InvitationUsedError(
            _("Undangan ini sudah dibatalkan. Minta admin mengirim undangan baru."), field="token"
        )
    if invitation.expires_at <= timezone.now():
        local = timezone.localtime(invitation.expires_at)
        raise InvitationExpiredError(
            _("Undangan ini kedaluwarsa pada %(when)s. Minta admin mengirim undangan baru.")
            % {"when": f"{local:%d-%m-%Y %H:%M}"},
            field="token",
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    """Single use: creates (or activates the pre-created, inactive) user with a verified email
    and the invited role, and marks the invitation used."""
    invitation = invitation_get_usable(token=token, for_update=True)
    return _invitation_complete(invitation=invitation, password=password, full_name=full_name)


@transaction.atomic
def invitation_accept_pending(*, email: str, password: str, full_name: str = "") -> User:
    """Accept the pending invitation of `email` on the person's behalf, without its link: for the
    demo, whose first admins sign in at once with the one invitation provisioning sent them."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(email=email.strip().lower(), accepted_at=None, revoked_at=None)
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        raise InvitationNotFoundError(
            _("Tidak ada undangan tertunda untuk %(email)s.") % {"email": email}, field="email"
        )
    return _invitation_complete(invitation=invitation, password=password, full_name=full_name)


def _invitation_complete(*, invitation: Invitation, password: str, full_name: str) -> User:
    user = User.objects.filter(email=invitation.email).first()
    probe = user or User(email=invitation.email, username=invitation.email, full_name=full_name)
    try:
        validate_password(password, probe)
    except DjangoValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    if user is None:
        user = User.objects.create_user(
            email=invitation.email, password=password, full_name=full_name.strip()
        )
    else:
        user.set_password(password)
        user.is_active = True
        if full_name.strip():
            user.full_name = full_name.strip()
        user.save()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=invitation.email).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    # The invitation's own role says where it belongs: a platform role is the console's.
    if invitation.role not in User.PlatformRole.values:
        RoleAssignment.objects.update_or_create(
            user=user,
            role=invitation.role,
            defaults={"opd_code": invitation.opd_code, "wilayah_code": invitation.wilayah_code},
        )
    else:
        staff_role_set(
            user=user, platform_role=invitation.role, province_code=invitation.province_code
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    _audit(
        actor=user,
        action=AuditAction.INVITATION_ACCEPTED,
        target=invitation,
        changes={
            "email": invitation.email,
            "role": invitation.role,
            "opd_code": invitation.opd_code,
            "wilayah_code": invitation.wilayah_code,
        },
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: Any) -> Invitation:
    if not invitation.is_pending:
        raise ConflictError(_("Undangan ini sudah dipakai atau dibatalkan."), field="invitation")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(
        actor=revoked_by,
        action=AuditAction.INVITATION_REVOKED,
        target=invitation,
        changes={"email": invitation.email},
    )
    return invitation
