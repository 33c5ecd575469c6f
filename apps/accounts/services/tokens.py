"""Personal API tokens, bound to the schema they were made in; only a hash of the key is kept."""

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.authentication import TOKEN_PREFIX, token_hash
from apps.accounts.models import ApiToken, User
from apps.accounts.services._common import _audit
from apps.audit.actions import AuditAction
from apps.core.errors import ApplicationError
from tenants.db import schema_current


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token of `user` for this schema; the raw key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Beri nama token agar mudah dikenali."), field="name")
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
        action=AuditAction.API_TOKEN_CREATED,
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
            action=AuditAction.API_TOKEN_REVOKED,
            target=token,
            changes={"name": token.name, "prefix": token.prefix},
        )
    return token
