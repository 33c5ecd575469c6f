"""django-allauth hooks: sign-up only by invitation, username mirrors email, redirects stay on
the host, MFA cannot be switched off by platform staff."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Nobody signs up by themselves: people join through an invitation."""
        return False

    def populate_username(self, request: HttpRequest, user: Any) -> None:
        user.username = (user.email or "").lower()

    def is_safe_url(self, url: str) -> bool:
        """`?next=` leads only to the host the person is on: never another region, the console
        from a region (ALLOWED_HOSTS names them all), nor any other site."""
        request = context.request
        return url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Platform staff keep their TOTP: MFA is mandatory for them."""
        if getattr(authenticator.user, "platform_role", ""):
            return authenticator.type not in (
                Authenticator.Type.TOTP,
                Authenticator.Type.RECOVERY_CODES,
            )
        return True
