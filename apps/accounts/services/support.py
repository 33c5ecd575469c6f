"""Support grants: central support's time-boxed, read-only access to one region.

The grant lives in the region's schema, each step is audited there, and the console hands the
support user over to the region's host with a signed, single-use token.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.errors import SupportGrantError
from apps.accounts.models import SupportGrant
from apps.accounts.permissions import is_central_support
from apps.accounts.principals import SupportPrincipal
from apps.audit.services import audit_record
from tenants.db import schema_current
from tenants.errors import ApplicationError, PermissionDeniedError
from tenants.models import Tenant

HANDOFF_SALT = "accounts.support-handoff"


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
