"""The one way to make a stateless signed token: bound to the schema it is meant for.

Every schema numbers its rows from 1, so a token that signs only a primary key (an email
address, a user) made in one region would be just as valid in another region or on the console.
Two kinds of token exist, and both are bound to a schema:

- stored tokens (invitations, API tokens, email confirmations, sessions) are random keys looked
  up in the current schema's own table: a key of another schema is not there;
- signed tokens (password reset, the console's support handoff, any future one) carry no row, so
  their HMAC salt names the schema: `schema_salt`, `schema_dumps`/`schema_loads` and
  `SchemaBoundPasswordResetTokenGenerator` below. No other module signs anything
  (apps/accounts/tests/test_token_binding.py checks that).
"""

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing

from tenants.db import schema_current


def schema_salt(purpose: str, *, schema_name: str | None = None) -> str:
    """The HMAC salt of `purpose` in `schema_name` (default: the schema of this connection)."""
    return f"berbagi.{purpose}@{schema_name or schema_current()}"


def schema_dumps(obj: Any, *, purpose: str, schema_name: str | None = None) -> str:
    """A signed, timestamped token of `obj` valid only in `schema_name` (default: here)."""
    return signing.dumps(obj, salt=schema_salt(purpose, schema_name=schema_name))


def schema_loads(token: str, *, purpose: str, max_age: int) -> Any:
    """The object of a token made by `schema_dumps` for this connection's schema; raises
    signing.BadSignature (or SignatureExpired) for a token of any other schema."""
    return signing.loads(token, salt=schema_salt(purpose), max_age=max_age)


class SchemaBoundPasswordResetTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens salted with the schema: a reset link made in one region never resets
    the password of a user with the same id in another region or on the console. Like allauth's
    own generator, a token also dies when the user's email addresses change."""

    @property  # type: ignore[override,unused-ignore]
    def key_salt(self) -> str:  # type: ignore[override]
        return schema_salt("password-reset")

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        # Imported here: allauth.account.forms instantiates this class when it is imported.
        from allauth.account.models import EmailAddress
        from allauth.account.utils import user_email

        emails = {user_email(user) or ""} | set(
            EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
        )
        return super()._make_hash_value(user, timestamp) + "|".join(sorted(emails - {""}))
