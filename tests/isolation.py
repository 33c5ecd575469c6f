"""The isolation suite's machinery (tests only): a victim region with marked data, attackers
holding another region's (or a dead support grant's) credentials, and every request to try,
generated from both URLconfs and both OpenAPI schemas, so a new endpoint is attacked without
anyone writing a case.

A leak is any answer that shows the victim's marker, or a success (2xx) where an anonymous
caller is refused: a foreign credential that is honoured.
"""

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.urls import resolve
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.access.tests.urlwalk import URLCONFS, routes
from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
from apps.accounts.services import api_token_create, invitation_create, support_grant_open
from apps.accounts.services.support import support_handoff_issue
from apps.files.services import file_store
from tenants.models import Tenant

MARK = "rahasia-medan-7f3a9c"
PASSWORD = "Rahasia-yang-panjang-123"
PDF = b"%PDF-1.4\n" + MARK.encode() + b"\n%%EOF\n"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# Values a filter or field could carry towards SQL: schema names, qualified tables, injections.
SQL_PAYLOADS = (
    "daerah_12_71",
    "daerah_12_71.accounts_user",
    "public",
    "template_master",
    "'; SET search_path TO daerah_12_71; --",
    "x' OR '1'='1",
    "1 OR 1=1",
    "x' UNION SELECT email FROM daerah_12_71.accounts_user --",
    '"daerah_12_71"."audit_auditentry"',
    "%' --",
)


@dataclass
class Victim:
    """The first region, with rows and a file carrying MARK, and their ids."""

    tenant: Tenant
    host: str
    admin: User
    session: str  # the admin's real session cookie in this region
    ints: list[str] = field(default_factory=list)
    uuids: list[str] = field(default_factory=list)
    strs: list[str] = field(default_factory=list)
    file_id: str = ""


@dataclass
class Attempt:
    method: str
    path: str
    route: str  # the URL pattern (or OpenAPI path) it came from


@dataclass
class Tally:
    """Attempts made and leaks found, per attack, printed by the tests."""

    attempts: int = 0
    leaks: list[str] = field(default_factory=list)

    def check(self, what: str, response: HttpResponseBase, refused_anonymously: bool) -> None:
        self.attempts += 1
        body = content_of(response)
        if MARK in body.lower():
            self.leaks.append(f"{what}: {response.status_code} shows the victim's data")
        elif 200 <= response.status_code < 300 and refused_anonymously:
            self.leaks.append(f"{what}: {response.status_code} where anonymous is refused")


def content_of(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        data = response.content  # type: ignore[attr-defined]
    return data.decode("utf-8", errors="replace")


def host_of(tenant: Tenant) -> str:
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def region_user(tenant: Tenant, email: str) -> User:
    """A user holding every region role, made in the tenant's schema."""
    from allauth.account.models import EmailAddress

    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        for role in Role.values:
            opd = "1.02.0.00.0.00.01.0000" if role in OPD_BOUND_ROLES else ""
            RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
    return user


def session_cookie(host: str, user: User) -> str:
    client = Client(HTTP_HOST=host)
    response = client.post("/akun/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def victim_make(tenant: Tenant) -> Victim:
    """Plants MARK in the region's users, audit log, tokens, invitations and files."""
    admin = region_user(tenant, f"{MARK}@medan.go.id")
    host = host_of(tenant)
    victim = Victim(tenant=tenant, host=host, admin=admin, session=session_cookie(host, admin))
    with schema_context(tenant.schema_name):
        token, _raw = api_token_create(user=admin, name=MARK)
        upload = SimpleUploadedFile(f"{MARK}.pdf", PDF, content_type="application/pdf")
        stored = file_store(upload=upload, owner_app="umum", actor=admin)
        invitation = invitation_create(
            tenant=tenant, email=f"undangan-{MARK}@medan.go.id", role=Role.TAPD, invited_by=admin
        )
        victim.ints = [str(admin.pk), str(token.pk), str(invitation.pk)]
        victim.file_id = str(stored.pk)
        victim.uuids = [str(stored.pk)]
        victim.strs = ["x", str(stored.pk)]  # never MARK: a 404 page may echo its path
    return victim


def support_session(tenant: Tenant, support: User, *, end: str) -> str:
    """A support session cookie in `tenant` whose grant then `end`s: "ended" or "expired"."""
    from apps.accounts.models import SupportGrant
    from apps.accounts.services import support_grant_end

    grant = support_grant_open(
        tenant=tenant,
        support_user=support,
        reason="Uji isolasi: hibah berakhir",
        duration_minutes=5,
    )
    token = support_handoff_issue(tenant=tenant, grant_id=str(grant.pk), support_user=support)
    client = Client(HTTP_HOST=host_of(tenant))
    assert client.get("/akun/dukungan/masuk/", {"t": token}).status_code == 302
    with schema_context(tenant.schema_name):
        grant = SupportGrant.objects.get(pk=grant.pk)
        if end == "ended":
            support_grant_end(grant=grant, ended_by="uji")
        else:
            SupportGrant.objects.filter(pk=grant.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


# --- what to try -----------------------------------------------------------------------------


def _openapi_methods(client: Client) -> dict[str, list[str]]:
    """OpenAPI path template ({id} style) -> its methods, from the live schema endpoint."""
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return {
        path: [m.upper() for m in ops if m.upper() in ("GET", *WRITE_METHODS)]
        for path, ops in response.json()["paths"].items()
    }


def _fill(template: str, victim: Victim) -> Iterator[str]:
    """Every way to put one of the victim's ids into each placeholder of a path."""
    slots = re.findall(r"<(?:(\w+):)?\w+>|\{\w+\}", template)
    if not slots:
        yield "/" + template.lstrip("/")
        return
    pools = [
        {"int": victim.ints, "uuid": victim.uuids}.get(kind, victim.strs + victim.ints)
        for kind in slots
    ]
    for values in itertools.product(*pools):
        path = template
        for value in values:
            path = re.sub(r"<(?:(\w+):)?\w+>|\{\w+\}", value, path, count=1)
        yield "/" + path.lstrip("/")


def attempts(side: str, victim: Victim, client: Client) -> list[Attempt]:
    """Every endpoint and page of one URLconf with the victim's ids in its path: GET on every
    route, POST on pages, and each API's methods as its OpenAPI schema declares them."""
    api_methods = _openapi_methods(client)
    seen: set[tuple[str, str]] = set()
    found: list[Attempt] = []
    for route in routes(side):
        template = resolve(route.path, urlconf=URLCONFS[side]).route
        schema_path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", template)
        methods = api_methods.get(schema_path) or (
            ["GET"] if route.path.startswith("/api/") else ["GET", "POST"]
        )
        for method in dict.fromkeys(["GET", *methods]):
            for path in _fill(template, victim):
                if (method, path) not in seen:
                    seen.add((method, path))
                    found.append(Attempt(method, path, template))
    return found


def send(
    attempt: Attempt, host: str, *, cookies: dict[str, str] | None = None, **extra: Any
) -> HttpResponseBase:
    """One request from a fresh client (so no answer can change the next request's cookies)."""
    client = Client(HTTP_HOST=host, enforce_csrf_checks=True, raise_request_exception=False)
    for name, value in (cookies or {}).items():
        client.cookies[name] = value
    body: dict[str, Any] = {"email": f"x@{MARK}.id", "name": "x", "role": Role.TAPD}
    call: Callable[..., HttpResponseBase] = getattr(client, attempt.method.lower())
    if attempt.method == "GET":
        return call(attempt.path, **extra)
    return call(attempt.path, body, content_type="application/json", **extra)


def anonymous_refusals(attempts_: list[Attempt], host: str) -> dict[tuple[str, str], bool]:
    """Whether an anonymous caller is refused each attempt (not a 2xx)."""
    refused = {}
    for attempt in attempts_:
        status = send(attempt, host).status_code
        refused[(attempt.method, attempt.path)] = not 200 <= status < 300
    return refused
