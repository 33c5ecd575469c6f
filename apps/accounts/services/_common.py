"""Where a write happens (a region or the console) and its audit entry, written only in a region
(the public schema has no audit log)."""

from typing import Any

from django.conf import settings

from apps.audit.services import audit_record
from tenants.db import schema_current


def _in_region() -> bool:
    return bool(schema_current() != settings.PUBLIC_SCHEMA_NAME)


def _audit(
    *, actor: Any, action: str, target: Any = None, changes: dict[str, Any] | None = None
) -> None:
    if _in_region():
        audit_record(actor=actor, action=action, target=target, changes=changes)
