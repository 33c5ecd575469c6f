"""Applicants sign up on the region's host: an account with no role at all, usable once its
email is verified (allauth's mandatory verification)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.licensing.errors import LicensingError


@transaction.atomic
def applicant_register(*, email: str, full_name: str, password: str, request: Any) -> User | None:
    """A new applicant, or None when the email is taken (said the same way to the visitor, so
    the form reveals no accounts). The verification mail goes after commit."""
    email = email.strip().lower()
    full_name = full_name.strip()
    if not full_name or len(full_name) > 200:
        raise LicensingError(
            _("Nama lengkap harus diisi (paling panjang 200 huruf)."), field="full_name"
        )
    if User.objects.filter(email__iexact=email).exists():
        return None
    try:
        validate_password(password)
    except ValidationError as error:
        raise LicensingError(" ".join(error.messages), field="password") from error
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    audit_record(
        actor=user,
        action=AuditAction.LICENSING_APPLICANT_REGISTERED,
        target=user,
        changes={"email": email},
    )
    transaction.on_commit(lambda: _send_confirmation(address, request))
    return user


def _send_confirmation(address: EmailAddress, request: Any) -> None:
    # allauth reads the request from its own context; after commit we may be outside it.
    with context.request_context(request):
        address.send_confirmation(request, signup=True)
