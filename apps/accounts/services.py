"""Writes of identity and access: invitations, roles, activation, API tokens, support grants.

Every change in a region is appended to its audit log in the same transaction. The public schema
has no audit log (apps.audit is a region app), so console-side changes are not chained there.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.authentication import TOKEN_PREFIX, token_hash
from apps.accounts.errors import (
    InvitationExpiredError,
    InvitationNotFoundError,
    InvitationUsedError,
    SupportGrantError,
)
from apps.accounts.models import (
    OPD_BOUND_ROLES,
    ApiToken,
    Invitation,
    Role,
    RoleAssignment,
    SupportGrant,
    User,
)
from apps.accounts.permissions import is_central_support, role_cache_clear
from apps.accounts.principals import SupportPrincipal
from apps.audit.services import audit_record
from tenants.db import schema_current
from tenants.errors import ApplicationError, ConflictError, PermissionDeniedError
from tenants.models import Tenant

HANDOFF_SALT = "accounts.support-handoff"


def _in_region() -> bool:
    return bool(schema_current() != settings.PUBLIC_SCHEMA_NAME)


def _audit(
    *, actor: Any, action: str, target: Any = None, changes: dict[str, Any] | None = None
) -> None:
    if _in_region():
        audit_record(actor=actor, action=action, target=target, changes=changes)


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


def _current_tenant() -> Tenant | None:
    if not _in_region():
        return None
    return Tenant.objects.filter(schema_name=schema_current()).first()


def _validate_role_fields(*, role: str, opd_code: str, province_code: str) -> None:
    if _in_region():
        if role not in Role.values:
            raise ApplicationError(f"Peran daerah '{role}' tidak dikenal.", field="role")
        if role in OPD_BOUND_ROLES and not opd_code:
            raise ApplicationError(
                f"Peran {Role(role).label} harus terikat pada satu OPD: isi kode OPD.",
                field="opd_code",
            )
        if role not in OPD_BOUND_ROLES and opd_code:
            raise ApplicationError(
                f"Peran {Role(role).label} tidak terikat pada OPD; kosongkan kode OPD.",
                field="opd_code",
            )
        return
    if role not in (User.PlatformRole.CENTRAL_SUPPORT, User.PlatformRole.PROVINCIAL_ADMIN):
        raise ApplicationError(f"Peran platform '{role}' tidak dikenal.", field="role")
    if role == User.PlatformRole.PROVINCIAL_ADMIN and not (
        len(province_code) == 2 and province_code.isdigit()
    ):
        raise ApplicationError(
            "Admin provinsi memerlukan kode provinsi dua digit.", field="province_code"
        )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    invited_by: Any,
    opd_code: str = "",
    province_code: str = "",
    base_url: str | None = None,
) -> Invitation:
    """Invite `email` to the current schema with `role` (a region role in a region, a platform
    role on the console). Earlier pending invitations to the same address stop working. The
    link is emailed after commit; the raw token is on the returned object only (`.token`)."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise ApplicationError("Alamat email tidak valid.", field="email") from exc
    opd_code = opd_code.strip()
    _validate_role_fields(role=role, opd_code=opd_code, province_code=province_code)
    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.is_active and existing.has_usable_password():
        raise ConflictError(
            "Pengguna dengan email ini sudah terdaftar dan aktif; "
            "ubah perannya di daftar pengguna.",
            field="email",
        )
    now = timezone.now()
    Invitation.objects.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        opd_code=opd_code,
        province_code=province_code,
        token_hash=_sha256(raw),
        invited_by_id=str(getattr(invited_by, "pk", "") or ""),
        invited_by_label=str(getattr(invited_by, "email", "") or invited_by or "sistem")[:255],
        expires_at=now + timedelta(hours=settings.INVITATION_TTL_HOURS),
    )
    urlconf = settings.ROOT_URLCONF if _in_region() else settings.PUBLIC_SCHEMA_URLCONF
    path = reverse("invitation-accept", urlconf=urlconf, kwargs={"token": raw})
    invitation.token = raw
    invitation.accept_url = (base_url or site_base_url(tenant=_current_tenant())).rstrip("/") + path
    _audit(
        actor=invited_by,
        action="accounts.invitation_created",
        target=invitation,
        changes={
            "email": email,
            "role": role,
            "opd_code": opd_code,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    tenant = _current_tenant()
    context = {
        "invitation": invitation,
        "accept_url": invitation.accept_url,
        "place": tenant.name if tenant else "Konsol Berbagi",
        "role_label": invitation.role_label,
        "ttl_hours": settings.INVITATION_TTL_HOURS,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


def invitation_get_usable(*, token: str, for_update: bool = False) -> Invitation:
    """The pending, unexpired invitation of `token`, or a refusal saying exactly why not."""
    queryset = Invitation.objects.all()
    if for_update:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=_sha256(token)).first()
    if invitation is None:
        raise InvitationNotFoundError(
            "Tautan undangan tidak dikenal di sini. Periksa kembali tautan di email Anda.",
            field="token",
        )
    if invitation.accepted_at is not None:
        raise InvitationUsedError(
            "Undangan ini sudah dipakai dan tidak dapat dipakai lagi. Silakan masuk dengan "
            "akun Anda.",
            field="token",
        )
    if invitation.revoked_at is not None:
        raise InvitationUsedError(
            "Undangan ini sudah dibatalkan. Minta admin mengirim undangan baru.", field="token"
        )
    if invitation.expires_at <= timezone.now():
        local = timezone.localtime(invitation.expires_at)
        raise InvitationExpiredError(
            f"Undangan ini kedaluwarsa pada {local:%d-%m-%Y %H:%M}. Minta admin mengirim "
            "undangan baru.",
            field="token",
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, full_name: str = "") -> User:
    """Single use: creates (or activates the pre-created, inactive) user with a verified email
    and the invited role, and marks the invitation used."""
    invitation = invitation_get_usable(token=token, for_update=True)
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
    if _in_region():
        RoleAssignment.objects.update_or_create(
            user=user, role=invitation.role, defaults={"opd_code": invitation.opd_code}
        )
    else:
        user.platform_role = invitation.role
        user.province_code = invitation.province_code
        user.save(update_fields=["platform_role", "province_code"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    _audit(
        actor=user,
        action="accounts.invitation_accepted",
        target=invitation,
        changes={
            "email": invitation.email,
            "role": invitation.role,
            "opd_code": invitation.opd_code,
        },
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: Any) -> Invitation:
    if not invitation.is_pending:
        raise ConflictError("Undangan ini sudah dipakai atau dibatalkan.", field="invitation")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _audit(
        actor=revoked_by,
        action="accounts.invitation_revoked",
        target=invitation,
        changes={"email": invitation.email},
    )
    return invitation


def _other_active_admins(user: User) -> bool:
    return (
        RoleAssignment.objects.filter(role=Role.ADMIN, user__is_active=True)
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def user_roles_set(*, user: User, roles: list[str], opd_code: str, changed_by: Any) -> User:
    """Replace a region user's roles. OPD-bound roles take `opd_code`; the region always keeps an
    active admin, and an admin cannot drop their own admin role."""
    wanted = sorted(set(roles))
    for role in wanted:
        if role not in Role.values:
            raise ApplicationError(f"Peran daerah '{role}' tidak dikenal.", field="roles")
    opd_code = opd_code.strip()
    if set(wanted) & OPD_BOUND_ROLES and not opd_code:
        raise ApplicationError("Peran operator/kepala OPD memerlukan kode OPD.", field="opd_code")
    had_admin = RoleAssignment.objects.filter(user=user, role=Role.ADMIN).exists()
    if had_admin and Role.ADMIN not in wanted:
        if getattr(changed_by, "pk", None) == user.pk:
            raise PermissionDeniedError(
                "Anda tidak dapat mencabut peran admin daerah Anda sendiri.", field="roles"
            )
        if not _other_active_admins(user):
            raise ConflictError("Daerah harus tetap memiliki satu admin aktif.", field="roles")
    before = [str(a) for a in RoleAssignment.objects.filter(user=user).order_by("role")]
    RoleAssignment.objects.filter(user=user).delete()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=user, role=role, opd_code=opd_code if role in OPD_BOUND_ROLES else ""
            )
            for role in wanted
        ]
    )
    role_cache_clear(user)
    after = [str(a) for a in RoleAssignment.objects.filter(user=user).order_by("role")]
    _audit(
        actor=changed_by,
        action="accounts.roles_changed",
        target=user,
        changes={"before": before, "after": after},
    )
    return user


@transaction.atomic
def user_deactivate(*, user: User, deactivated_by: Any) -> User:
    """The user can no longer sign in, and their sessions and API tokens stop working."""
    if getattr(deactivated_by, "pk", None) == user.pk:
        raise PermissionDeniedError(
            "Anda tidak dapat menonaktifkan akun Anda sendiri.", field="user"
        )
    if RoleAssignment.objects.filter(
        user=user, role=Role.ADMIN
    ).exists() and not _other_active_admins(user):
        raise ConflictError("Daerah harus tetap memiliki satu admin aktif.", field="user")
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    _audit(
        actor=deactivated_by,
        action="accounts.user_deactivated",
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
        action="accounts.user_reactivated",
        target=user,
        changes={"email": user.email},
    )
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token of `user` for this schema; the raw key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError("Beri nama token agar mudah dikenali.", field="name")
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        key_hash=token_hash(raw),
        schema_name=schema_current(),
    )
    _audit(
        actor=user,
        action="accounts.api_token_created",
        target=token,
        changes={"name": token.name, "prefix": prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit(
            actor=revoked_by,
            action="accounts.api_token_revoked",
            target=token,
            changes={"name": token.name, "prefix": token.prefix},
        )
    return token


@transaction.atomic
def support_grant_open(
    *, tenant: Tenant, support_user: Any, reason: str, duration_minutes: int
) -> SupportGrant:
    """Central support opens read-only access to one region, for at most
    SUPPORT_GRANT_MAX_HOURS; the grant and its audit entry are written in the region's schema."""
    if not is_central_support(support_user):
        raise PermissionDeniedError(
            "Hanya Dukungan pusat yang dapat membuka hibah akses dukungan.", field="role"
        )
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError("Tuliskan alasan akses (minimal 10 karakter).", field="reason")
    max_minutes = settings.SUPPORT_GRANT_MAX_HOURS * 60
    if not 0 < duration_minutes <= max_minutes:
        raise ApplicationError(
            f"Durasi hibah 1 sampai {max_minutes} menit ({settings.SUPPORT_GRANT_MAX_HOURS} jam).",
            field="duration_minutes",
        )
    if tenant.status != Tenant.Status.ACTIVE or tenant.kind == Tenant.Kind.TEMPLATE:
        raise ApplicationError("Daerah ini tidak aktif.", field="tenant")
    now = timezone.now()
    with schema_context(tenant.schema_name):
        grant = SupportGrant.objects.create(
            support_user_id=str(support_user.pk),
            support_email=support_user.email,
            reason=reason,
            opened_at=now,
            expires_at=now + timedelta(minutes=duration_minutes),
        )
        audit_record(
            actor=SupportPrincipal(grant),
            action="support.grant_opened",
            target=grant,
            changes={
                "reason": reason,
                "expires_at": grant.expires_at.isoformat(),
                "support_user_id": grant.support_user_id,
                "support_email": grant.support_email,
            },
        )
    return grant


@transaction.atomic
def support_handoff_issue(*, tenant: Tenant, grant_id: str, support_user: Any) -> str:
    """A signed, single-use token (valid SUPPORT_HANDOFF_MAX_AGE_SECONDS) that opens a support
    session on the region's host; each issue replaces the previous nonce."""
    with schema_context(tenant.schema_name):
        grant = SupportGrant.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None or grant.support_user_id != str(support_user.pk):
            raise SupportGrantError("Hibah akses dukungan tidak ditemukan.", field="grant")
        if not grant.is_active_at(timezone.now()):
            raise SupportGrantError("Hibah akses dukungan sudah berakhir.", field="grant")
        grant.handoff_nonce = secrets.token_hex(16)
        grant.save(update_fields=["handoff_nonce"])
    return signing.dumps(
        {
            "g": str(grant.pk),
            "s": tenant.schema_name,
            "n": grant.handoff_nonce,
            "u": grant.support_user_id,
        },
        salt=HANDOFF_SALT,
    )


@transaction.atomic
def support_handoff_consume(*, token: str) -> SupportGrant:
    """Checks the console's handoff in the region: signature, age, schema, active grant, unused
    nonce. Consumes the nonce and audits the start of the support session."""
    try:
        data = signing.loads(
            token, salt=HANDOFF_SALT, max_age=settings.SUPPORT_HANDOFF_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as exc:
        raise SupportGrantError(
            "Tautan masuk dukungan sudah kedaluwarsa; buka lagi dari konsol.", field="token"
        ) from exc
    except signing.BadSignature as exc:
        raise SupportGrantError("Tautan masuk dukungan tidak valid.", field="token") from exc
    if data.get("s") != schema_current():
        raise SupportGrantError("Tautan masuk dukungan ini untuk daerah lain.", field="token")
    grant = SupportGrant.objects.select_for_update().filter(pk=data.get("g")).first()
    if grant is None:
        raise SupportGrantError("Hibah akses dukungan tidak ditemukan.", field="token")
    if not grant.is_active_at(timezone.now()):
        raise SupportGrantError("Hibah akses dukungan sudah berakhir.", field="token")
    if not grant.handoff_nonce or grant.handoff_nonce != data.get("n"):
        raise SupportGrantError("Tautan masuk dukungan ini sudah dipakai.", field="token")
    grant.handoff_nonce = ""
    grant.save(update_fields=["handoff_nonce"])
    audit_record(
        actor=SupportPrincipal(grant),
        action="support.session_started",
        target=grant,
        changes={"support_user_id": grant.support_user_id, "support_email": grant.support_email},
    )
    return grant


@transaction.atomic
def support_grant_end(*, grant: SupportGrant, ended_by: Any) -> SupportGrant:
    """Ends the grant now; the support session stops at its next request."""
    if grant.ended_at is not None:
        return grant
    grant.ended_at = timezone.now()
    grant.ended_by_label = str(getattr(ended_by, "email", "") or ended_by)[:255]
    grant.save(update_fields=["ended_at", "ended_by_label"])
    audit_record(
        actor=ended_by,
        action="support.grant_ended",
        target=grant,
        changes={"support_email": grant.support_email},
    )
    return grant
