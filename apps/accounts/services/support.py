"""Support grants: central support's time-boxed, read-only access to one region.

The grant lives in the region's schema, each step is audited there, and the console hands the
support user over to the region's host with a signed, single-use token.

Why this module crosses schemas: a grant belongs to the region (its admin sees and ends it there),
but the support person works on the console and must see the grants they opened, so each grant
also has a SupportGrantRecord in the public schema. The two rows are written, and ended, by the
same service call on one connection, hence in one transaction: `schema_context` only switches the
search_path, so either both rows change or neither does. No other module reads one schema's
support rows from another's context.
"""

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.access.roles import is_central_support, is_support_session
from apps.accounts.errors import SupportGrantError
from apps.accounts.models import SupportGrant
from apps.accounts.principals import SupportPrincipal
from apps.accounts.tokens import schema_dumps, schema_loads
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.platform.models import SupportGrantRecord
from tenants.db import schema_current
from tenants.models import Tenant

HANDOFF_PURPOSE = "support-handoff"


@transaction.atomic
def support_grant_open(
    *, tenant: Tenant, support_user: Any, reason: str, duration_minutes: int
) -> SupportGrant:
    """Central support opens read-only access to one region, for at most
    SUPPORT_GRANT_MAX_HOURS; the grant and its audit entry are written in the region's schema,
    its console record in public, in one transaction."""
    if not is_central_support(support_user):
        raise PermissionDeniedError(
            _("Hanya Dukungan pusat yang dapat membuka hibah akses dukungan."), field="role"
        )
    reason = reason.strip()
    if len(reason) < 10:
        raise ApplicationError(_("Tuliskan alasan akses (minimal 10 karakter)."), field="reason")
    max_minutes = settings.SUPPORT_GRANT_MAX_HOURS * 60
    if not 0 < duration_minutes <= max_minutes:
        raise ApplicationError(
            _("Durasi hibah 1 sampai %(minutes)s menit (%(hours)s jam).")
            % {"minutes": max_minutes, "hours": settings.SUPPORT_GRANT_MAX_HOURS},
            field="duration_minutes",
        )
    if tenant.status != Tenant.Status.ACTIVE or tenant.kind == Tenant.Kind.TEMPLATE:
        raise ApplicationError(_("Daerah ini tidak aktif."), field="tenant")
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
            action=AuditAction.SUPPORT_GRANT_OPENED,
            target=grant,
            changes={
                "reason": reason,
                "expires_at": grant.expires_at.isoformat(),
                "support_user_id": grant.support_user_id,
                "support_email": grant.support_email,
            },
        )
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        SupportGrantRecord.objects.create(
            grant_id=grant.pk,
            schema_name=tenant.schema_name,
            region_name=tenant.name,
            support_user_id=grant.support_user_id,
            support_email=grant.support_email,
            reason=reason,
            opened_at=grant.opened_at,
            expires_at=grant.expires_at,
        )
    platform_audit_record(
        actor=support_user,
        action=AuditAction.SUPPORT_GRANT_OPENED,
        target=tenant,
        changes={
            "grant": str(grant.pk),
            "reason": reason,
            "expires_at": grant.expires_at.isoformat(),
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
            raise SupportGrantError(_("Hibah akses dukungan tidak ditemukan."), field="grant")
        if not grant.is_active_at(timezone.now()):
            raise SupportGrantError(_("Hibah akses dukungan sudah berakhir."), field="grant")
        grant.handoff_nonce = secrets.token_hex(16)
        grant.save(update_fields=["handoff_nonce"])
    return schema_dumps(
        {
            "g": str(grant.pk),
            "s": tenant.schema_name,
            "n": grant.handoff_nonce,
            "u": grant.support_user_id,
        },
        purpose=HANDOFF_PURPOSE,
        schema_name=tenant.schema_name,
    )


@transaction.atomic
def support_handoff_consume(*, token: str) -> SupportGrant:
    """Checks the console's handoff in the region: signature, age, schema, active grant, unused
    nonce. Consumes the nonce and audits the start of the support session."""
    try:
        data = schema_loads(
            token, purpose=HANDOFF_PURPOSE, max_age=settings.SUPPORT_HANDOFF_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as exc:
        raise SupportGrantError(
            _("Tautan masuk dukungan sudah kedaluwarsa; buka lagi dari konsol."), field="token"
        ) from exc
    except signing.BadSignature as exc:
        raise SupportGrantError(
            _("Tautan masuk dukungan tidak valid atau untuk daerah lain."), field="token"
        ) from exc
    if data.get("s") != schema_current():
        raise SupportGrantError(_("Tautan masuk dukungan ini untuk daerah lain."), field="token")
    grant = SupportGrant.objects.select_for_update().filter(pk=data.get("g")).first()
    if grant is None:
        raise SupportGrantError(_("Hibah akses dukungan tidak ditemukan."), field="token")
    if not grant.is_active_at(timezone.now()):
        raise SupportGrantError(_("Hibah akses dukungan sudah berakhir."), field="token")
    if not grant.handoff_nonce or grant.handoff_nonce != data.get("n"):
        raise SupportGrantError(_("Tautan masuk dukungan ini sudah dipakai."), field="token")
    grant.handoff_nonce = ""
    grant.save(update_fields=["handoff_nonce"])
    audit_record(
        actor=SupportPrincipal(grant),
        action=AuditAction.SUPPORT_SESSION_STARTED,
        target=grant,
        changes={"support_user_id": grant.support_user_id, "support_email": grant.support_email},
    )
    return grant


@transaction.atomic
def support_grant_end(*, grant: SupportGrant, ended_by: Any) -> SupportGrant:
    """Ends the grant now (run in the grant's region); the support session stops at its next
    request. `ended_by` is the region admin, or the grant's SupportPrincipal when support ends
    it themselves. The console record learns of the end in the same transaction."""
    if grant.ended_at is not None:
        return grant
    by_support = is_support_session(ended_by)
    grant.ended_at = timezone.now()
    grant.ended_by_label = str(getattr(ended_by, "email", "") or ended_by)[:255]
    grant.save(update_fields=["ended_at", "ended_by_label"])
    ended_kind = (
        SupportGrantRecord.EndedBy.SUPPORT
        if by_support
        else SupportGrantRecord.EndedBy.REGION_ADMIN
    )
    audit_record(
        actor=ended_by,
        action=AuditAction.SUPPORT_GRANT_ENDED,
        target=grant,
        changes={
            "support_email": grant.support_email,
            "support_user_id": grant.support_user_id,
            "ended_by": ended_kind.value,
        },
    )
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        SupportGrantRecord.objects.filter(pk=grant.pk).update(
            ended_at=grant.ended_at, ended_by=ended_kind, ended_by_label=grant.ended_by_label
        )
    return grant


@transaction.atomic
def support_grant_end_own(*, grant_id: str, support_user: Any) -> SupportGrantRecord:
    """Central support ends one of their own active grants early, from the console: the region's
    grant ends (audited there with both identities) and so does the console record."""
    if not is_central_support(support_user):
        raise PermissionDeniedError(
            _("Hanya Dukungan pusat yang dapat mengakhiri hibah akses dukungan."), field="role"
        )
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        record = (
            SupportGrantRecord.objects.select_for_update()
            .filter(pk=grant_id, support_user_id=str(support_user.pk))
            .first()
        )
        if record is None:
            raise SupportGrantError(_("Hibah akses dukungan tidak ditemukan."), field="grant")
        if record.ended_at is not None:
            raise ConflictError(_("Hibah akses dukungan ini sudah diakhiri."), field="grant")
        if record.expires_at <= timezone.now():
            raise ConflictError(_("Hibah akses dukungan ini sudah kedaluwarsa."), field="grant")
        if not Tenant.objects.filter(schema_name=record.schema_name).exists():
            raise SupportGrantError(_("Daerah hibah ini tidak ada lagi."), field="grant")
    with schema_context(record.schema_name):
        grant = SupportGrant.objects.select_for_update().filter(pk=record.pk).first()
        if grant is None:
            raise SupportGrantError(_("Hibah akses dukungan tidak ditemukan."), field="grant")
        support_grant_end(grant=grant, ended_by=SupportPrincipal(grant))
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        record.refresh_from_db()
    platform_audit_record(
        actor=support_user,
        action=AuditAction.SUPPORT_GRANT_ENDED,
        target=record,
        changes={"grant": str(record.pk), "region": record.schema_name},
    )
    return record
