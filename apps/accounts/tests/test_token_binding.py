"""Every token the platform hands out is bound to its schema (issue 8.1).

Each region and the console number their rows from 1, so the test builds "twins": a user with the
same id, email and password hash, and an unverified address with the same id, in Medan, Buol and
on the console. A token of every kind is made for the twin in one place and tried in the others;
only the place that made it accepts it.
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, get_emailconfirmation_model
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import Role, User
from apps.accounts.tests.conftest import CONSOLE, PASSWORD, MakeUser, client_on, host_of
from tenants.models import Tenant

TWIN_ID = 880001
UNVERIFIED_ID = 880002
TWIN_EMAIL = "kembar@example.id"


def _make_twins(schemas: list[str]) -> None:
    password = make_password(PASSWORD)
    for schema in schemas:
        with schema_context(schema):
            user = User.objects.create(
                pk=TWIN_ID, email=TWIN_EMAIL, username=TWIN_EMAIL, password=password
            )
            EmailAddress.objects.create(user=user, email=TWIN_EMAIL, verified=True, primary=True)
            EmailAddress.objects.create(
                pk=UNVERIFIED_ID, user=user, email="kedua@example.id", verified=False
            )


def _twin() -> User:
    return User.objects.get(pk=TWIN_ID)


# Each kind: make(schema) -> token (made inside that schema), and accepted(client, token) -> bool
# (tried on the client's host, inside that host's schema for any database check).
Make = Callable[[str], str]
Accepted = Callable[[Client, str, str], bool]


def _email_confirmation_make(schema: str) -> str:
    address = EmailAddress.objects.get(pk=UNVERIFIED_ID)
    confirmation = get_emailconfirmation_model().create(address)
    if hasattr(confirmation, "sent"):  # a stored confirmation: what send() records
        confirmation.sent = timezone.now()
        confirmation.save()
    return str(confirmation.key)


def _email_confirmation_accepted(client: Client, token: str, schema: str) -> bool:
    client.post(f"/akun/confirm-email/{token}/")
    with schema_context(schema):
        return bool(EmailAddress.objects.get(pk=UNVERIFIED_ID).verified)


def _password_reset_make(schema: str) -> str:
    user = _twin()
    return f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"


def _password_reset_accepted(client: Client, token: str, schema: str) -> bool:
    response = client.get(f"/akun/password/reset/key/{token}/")
    return response.status_code == 302 and "set-password" in response["Location"]


def _invitation_make(schema: str) -> str:
    role = Role.TAPD if schema != "public" else User.PlatformRole.CENTRAL_SUPPORT
    if schema == "public":
        invitation = services.staff_invitation_create(
            email="undangan@example.id", role=role, invited_by="sistem"
        )
    else:
        invitation = services.invitation_create(
            tenant=Tenant.objects.get(schema_name=schema),
            email="undangan@example.id",
            role=role,
            invited_by="sistem",
        )
    return invitation.token


def _invitation_accepted(client: Client, token: str, schema: str) -> bool:
    return client.get(f"/akun/undangan/{token}/").status_code == 200


def _api_token_make(schema: str) -> str:
    _token, raw = services.api_token_create(user=_twin(), name="uji")
    return raw


def _api_token_accepted(client: Client, token: str, schema: str) -> bool:
    response = client.get("/api/akun/saya/", HTTP_AUTHORIZATION=f"Token {token}")
    return response.status_code == 200


def _session_make(schema: str) -> str:
    return ""  # made by signing in on the host, see _token_for


def _session_accepted(client: Client, token: str, schema: str) -> bool:
    client.cookies["sessionid"] = token
    return client.get("/api/akun/saya/").status_code == 200


TOKEN_KINDS: dict[str, tuple[Make, Accepted]] = {
    "email_confirmation": (_email_confirmation_make, _email_confirmation_accepted),
    "password_reset": (_password_reset_make, _password_reset_accepted),
    "invitation": (_invitation_make, _invitation_accepted),
    "api_token": (_api_token_make, _api_token_accepted),
    "session": (_session_make, _session_accepted),
}


def _token_for(kind: str, schema: str, host: str) -> str:
    if kind == "session":
        client = client_on(host)
        response = client.post("/akun/login/", {"login": TWIN_EMAIL, "password": PASSWORD})
        assert response.status_code == 302, response.content[:500]
        return str(client.cookies["sessionid"].value)
    with schema_context(schema):
        return TOKEN_KINDS[kind][0](schema)


@pytest.mark.parametrize("kind", sorted(TOKEN_KINDS))
@pytest.mark.parametrize("origin", ["medan", "console"])
def test_a_token_is_accepted_only_in_the_schema_that_made_it(
    kind: str, origin: str, medan: Tenant, buol: Tenant
) -> None:
    places = {
        "medan": (medan.schema_name, host_of(medan)),
        "buol": (buol.schema_name, host_of(buol)),
        "console": ("public", CONSOLE),
    }
    _make_twins([schema for schema, _host in places.values()])
    accepted = TOKEN_KINDS[kind][1]
    origin_schema, origin_host = places[origin]
    for name, (schema, host) in places.items():
        if name == origin:
            continue
        token = _token_for(kind, origin_schema, origin_host)
        assert not accepted(client_on(host), token, schema), f"{kind} of {origin} took on {name}"
    # the same kind of token works where it was made (the refusals above are not vacuous)
    token = _token_for(kind, origin_schema, origin_host)
    assert accepted(client_on(origin_host), token, origin_schema)


def test_a_support_handoff_opens_only_the_region_it_names(
    make_user: MakeUser, medan: Tenant, buol: Tenant
) -> None:
    support = make_user("cs@berbagi.id", platform_role=User.PlatformRole.CENTRAL_SUPPORT)

    def handoff() -> str:
        grant = services.support_grant_open(
            tenant=medan, support_user=support, reason="Tiket #7: uji tautan", duration_minutes=30
        )
        return services.support_handoff_issue(
            tenant=medan, grant_id=str(grant.pk), support_user=support
        )

    for host in (host_of(buol), CONSOLE):
        response = client_on(host).get("/akun/dukungan/masuk/", {"t": handoff()})
        assert response.status_code in (403, 404), host
    assert (
        client_on(host_of(medan)).get("/akun/dukungan/masuk/", {"t": handoff()}).status_code == 302
    )


SIGNING_PRIMITIVES = re.compile(
    r"signing\.(dumps|loads)|salted_hmac|\bSigner\(|TimestampSigner|\bPasswordResetTokenGenerator"
)


def test_no_module_signs_a_token_outside_the_schema_bound_helpers() -> None:
    """A future token inherits the binding only if it is made with apps/accounts/tokens.py."""
    root = Path(settings.BASE_DIR)
    offenders = []
    for package in ("apps", "saas", "tenants", "provisioning", "operations"):
        for path in (root / package).rglob("*.py"):
            if "tests" in path.parts or path == root / "apps/accounts/tokens.py":
                continue
            if SIGNING_PRIMITIVES.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
    assert settings.ACCOUNT_EMAIL_CONFIRMATION_HMAC is False
    assert settings.ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR.startswith("apps.accounts.tokens.")
