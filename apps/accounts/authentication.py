"""DRF authentication by per-user API token: `Authorization: Token bbg_<prefix>_<secret>`.

A token is looked up by prefix in the current schema's table and compared by SHA-256; a token of
another region is not in this schema's table, and its recorded schema must match besides.
"""

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from apps.accounts.models import ApiToken
from tenants.db import schema_current

TOKEN_PREFIX = "bbg"
KEYWORDS = (b"token", b"bearer")


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_prefix_of(raw: str) -> str | None:
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


# A token's last use is written at most this often: to the minute, a platform with 1,000 regions
# whose tokens each call every few minutes paid an UPDATE (and its commit) on nearly every API
# request (bench/scale.py counts statements per request). The token page shows it to the hour.
LAST_USED_EVERY = timedelta(hours=1)


class ApiTokenAuthentication(BaseAuthentication):
    """Accepts only an unrevoked token of an active user, issued in this very schema."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Format header Authorization tidak valid."))
        raw = header[1].decode("utf-8", errors="replace")
        prefix = token_prefix_of(raw)
        if prefix is None:
            raise exceptions.AuthenticationFailed(_("Token API tidak valid."))
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if (
            token is None
            or not hmac.compare_digest(token.key_hash, token_hash(raw))
            or token.schema_name != schema_current()
        ):
            raise exceptions.AuthenticationFailed(_("Token API tidak valid untuk daerah ini."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Token API ini sudah dicabut."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Akun pemilik token ini tidak aktif."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
