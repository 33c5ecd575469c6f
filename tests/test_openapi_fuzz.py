"""schemathesis over the console's and a region's OpenAPI (issue 15.2): every operation of
/api/schema/, called in-process through the WSGI application with the side's Host, signed in
with each role there, on a bounded budget (a few examples per operation for the first role it
admits, one for every other role; fixed seeds). No answer may be a 5xx, and every documented
answer must match its schema and media type. Undocumented statuses (400, 401, 403, 404) are
allowed: the schemas document successes. Each test prints its calls and fails listing every
finding."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.core.result import Err

from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
from apps.accounts.services import api_token_create
from saas.wsgi import application
from tenants.models import Tenant

EXAMPLES = 4  # per operation (its lead role), valid and invalid input mixed: the CI budget
SEED = 15
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
PLATFORM_ROLES = ("central_support", "provincial_admin")


@pytest.fixture
def in_process(db: None) -> Iterator[None]:
    """The WSGI handler closes "old" connections at each request, which would end the test's
    transaction; Django's test client detaches the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _region_token(tenant: Tenant, role: str) -> str:
    """An API token of a new user holding `role` in the region (the werkzeug client keeps
    cookies per domain, so a header is the sure way to sign every call in)."""
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email=f"{role}@fuzz.example.org")
        opd = "1.02.0.00.0.00.01.0000" if role in OPD_BOUND_ROLES else ""
        RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
        return api_token_create(user=user, name="fuzz")[1]


def _console_token(role: str) -> str:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        user = User.objects.create_user(
            email=f"{role}@fuzz.example.org",
            platform_role=role,
            province_code="72" if role == "provincial_admin" else "",
        )
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        return api_token_create(user=user, name="fuzz")[1]


def _app(environ: dict[str, Any], start_response: Any) -> Any:
    """The WSGI application, without closing the test's connection: Django's handler closes
    "old" connections at each request (ending the test's transaction), and Django's test
    client, which detaches that receiver too, attaches it again after each of its requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    return application(environ, start_response)


def _host(tenant: Tenant | None) -> str:
    if tenant is None:
        return str(settings.BASE_DOMAIN)
    domain = tenant.get_primary_domain()
    assert domain is not None
    return str(domain.domain)


def _fuzz(host: str, tokens: dict[str, str]) -> tuple[list[int], list[str]]:
    """Runs every operation for every role; returns each call's status and the findings."""
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", _app, headers={"Host": host}
    )
    calls: list[int] = []  # the status of each call
    findings: list[str] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            findings.append(f"invalid operation in the schema: {result.err()}")
            continue
        operation = result.ok()
        lead = True  # the first role the operation admits gets the whole budget
        for role, token in tokens.items():
            headers = {"Host": host, "Authorization": f"Token {token}"}
            label = f"{role} {operation.label}"
            if _operation_run(operation, headers, label, calls, findings, lead):
                lead = False
    return calls, findings


def _operation_run(
    operation: Any,
    headers: dict[str, str],
    label: str,
    calls: list[int],
    findings: list[str],
    lead: bool,
) -> bool:
    """Cases of one operation for one role, each checked; findings are collected, not raised,
    so hypothesis does not spend the budget shrinking them. A role the operation refuses (403
    on its first case: the permission check runs before any input is read) gets no more. Of the
    roles it admits, the lead gets EXAMPLES cases and every other one its first (its own scope,
    an OPD's or a place's, still answers a generated case). True when the role got in."""
    first = _cases(operation, headers, label, calls, findings, examples=1, seed_value=SEED)
    if first == [403]:
        return False
    if lead:
        _cases(
            operation, headers, label, calls, findings, examples=EXAMPLES - 1, seed_value=SEED + 1
        )
    return True


def _cases(
    operation: Any,
    headers: dict[str, str],
    label: str,
    calls: list[int],
    findings: list[str],
    *,
    examples: int,
    seed_value: int,
) -> list[int]:
    """`examples` generated cases (valid and invalid mixed) sent and checked; their statuses."""
    statuses: list[int] = []
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @seed(seed_value)
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(strategy)
        response = case.call(headers=headers)
        calls.append(response.status_code)
        statuses.append(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:  # every finding is collected
            findings.append(f"{label} {case.formatted_path}: {failure}")

    run()
    return statuses


def _report(
    capsys: pytest.CaptureFixture[str], name: str, calls: list[int], findings: list[str]
) -> None:
    statuses = dict(sorted(Counter(calls).items()))
    with capsys.disabled():
        print(f"\nschemathesis: {name}: {len(calls)} calls {statuses}, {len(findings)} findings")
    assert not findings, "\n\n".join(sorted(set(findings))[:20])


def test_a_regions_api_holds_its_schema_for_every_role(
    in_process: None, medan: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = {role: _region_token(medan, role) for role in Role.values}
    calls, findings = _fuzz(_host(medan), tokens)
    _report(capsys, "region", calls, findings)


def test_the_consoles_api_holds_its_schema_for_every_platform_role(
    in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = {role: _console_token(role) for role in PLATFORM_ROLES}
    calls, findings = _fuzz(_host(None), tokens)
    _report(capsys, "console", calls, findings)


def test_the_fuzzer_reaches_every_operation(in_process: None, medan: Tenant) -> None:
    for host in (_host(None), _host(medan)):
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", _app, headers={"Host": host}
        )
        results = list(schema.get_all_operations())
        assert not [r.err() for r in results if isinstance(r, Err)], host
        assert len(results) >= 10, host
