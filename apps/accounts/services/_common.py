"""Where a write happens (a region or the console) and its audit entry: the region's chain in a
region, the platform's chain (apps.audit.platform) on the console."""

from typing import Any

from django.conf import settings

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.audit.services import audit_record
from tenants.db import schema_current


def _in_region() -> bool:
    return bool(schema_current() != settings.PUBLIC_SCHEMA_NAME)


def _audit(
    *, actor: Actor, action: AuditAction, target: Any = None, changes: dict[str, Any] | None = None
) -> None:
    if _in_region():
        audit_record(actor=actor, action=action, target=target, changes=changes)
    else:
        platform_audit_record(actor=actor, action=action, target=target, changes=changes)
