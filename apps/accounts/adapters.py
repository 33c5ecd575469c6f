"""django-allauth hooks: sign-up only by invitation, username mirrors email, MFA cannot be
switched off by platform staff."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up by themselves: people join through an invitation."""
        return False

    def populate_username(self, request: HttpRequest, user: Any) -> None:
        user.username = (user.email or "").lower()


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Platform staff keep their TOTP: MFA is mandatory for them."""
        if getattr(authenticator.user, "platform_role", ""):
            return authenticator.type not in (
                Authenticator.Type.TOTP,
                Authenticator.Type.RECOVERY_CODES,
            )
        return True
