"""Structured logs and Sentry events carry the tenant; Sentry starts only with SENTRY_DSN."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path
from django_tenants.utils import schema_context
from pytest_django.fixtures import Settings
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from saas.logging import JsonFormatter, TenantContextFilter, tenant_context
from saas.observability import sentry_init
from tenants.db import schema_activate_public
from tenants.models import Tenant
from tests.processes import django_snippet_json

logger = logging.getLogger("berbagi.uji")


# --- a tiny region URLconf for these tests --------------------------------------------------


def _view_logs(request: HttpRequest) -> HttpResponse:
    logger.warning("izin diproses", extra={"nomor": "IZN-7", "jumlah": 3})
    return HttpResponse("ok")


def _view_fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("gagal menghitung pagu")


urlpatterns = [path("uji/log/", _view_logs), path("uji/gagal/", _view_fails)]


@pytest.fixture
def region_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = __name__


# --- structured logs ------------------------------------------------------------------------


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """A handler built the way settings.LOGGING builds the console one, writing to a buffer."""
    config: dict[str, Any] = settings.LOGGING
    console = config["handlers"]["console"]
    assert config["formatters"][console["formatter"]]["()"] == "saas.logging.JsonFormatter"
    assert [config["filters"][f]["()"] for f in console["filters"]] == [
        "saas.logging.TenantContextFilter"
    ]
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(TenantContextFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield buffer
    finally:
        logger.removeHandler(handler)


def _records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line]


def test_log_lines_in_a_region_request_are_json_with_the_tenant(
    region_urls: None, log_lines: io.StringIO, medan: Tenant
) -> None:
    response = Client().get("/uji/log/", HTTP_HOST="medan.localhost")
    assert response.status_code == 200
    (record,) = _records(log_lines)
    assert record["tenant"] == medan.schema_name
    assert record["message"] == "izin diproses"
    assert record["level"] == "WARNING"
    assert record["logger"] == "berbagi.uji"
    assert record["nomor"] == "IZN-7"
    assert record["jumlah"] == 3
    assert record["time"].endswith("+00:00")


def test_log_lines_on_the_console_carry_public(log_lines: io.StringIO, db: None) -> None:
    with tenant_context("public"):
        logger.info("konsol")
    assert _records(log_lines)[0]["tenant"] == "public"


def test_log_lines_outside_a_request_follow_the_schema_context(
    log_lines: io.StringIO, buol: Tenant
) -> None:
    with schema_context(buol.schema_name):
        logger.info("tugas latar")
    logger.info("kembali")
    first, second = _records(log_lines)
    assert first["tenant"] == buol.schema_name
    assert second["tenant"] == "public"


def test_exceptions_are_logged_on_one_line(log_lines: io.StringIO, db: None) -> None:
    try:
        raise ValueError("pagu terlampaui")
    except ValueError:
        logger.exception("gagal")
    assert len(log_lines.getvalue().splitlines()) == 1
    (record,) = _records(log_lines)
    assert "ValueError: pagu terlampaui" in record["exc"]


# --- Sentry ---------------------------------------------------------------------------------


def _sentry_state_in_a_fresh_process(extra_env: dict[str, str]) -> dict[str, Any]:
    state: dict[str, Any] = django_snippet_json(
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(json.dumps({'active': c.is_active(), 'dsn': c.options.get('dsn'), "
        "'environment': c.options.get('environment'), "
        "'before_send': getattr(c.options.get('before_send'), '__qualname__', None)}))",
        extra_env,
        unset=("SENTRY_DSN",),
    )
    return state


def test_sentry_stays_off_without_sentry_dsn() -> None:
    assert _sentry_state_in_a_fresh_process({})["active"] is False


def test_sentry_starts_with_sentry_dsn() -> None:
    state = _sentry_state_in_a_fresh_process(
        {"SENTRY_DSN": "https://kunci@sentry.invalid/42", "SENTRY_ENVIRONMENT": "uji"}
    )
    assert state == {
        "active": True,
        "dsn": "https://kunci@sentry.invalid/42",
        "environment": "uji",
        "before_send": "_tag_tenant",
    }


class MemoryTransport(Transport):
    """Keeps every envelope in memory: no network."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list[Envelope] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for envelope in self.envelopes:
            event = envelope.get_event()
            if event is not None:
                found.append(dict(event))
        return found


@pytest.fixture
def sentry_events() -> Iterator[MemoryTransport]:
    transport = MemoryTransport()
    sentry_init(dsn="https://kunci@sentry.invalid/42", environment="uji", transport=transport)
    try:
        yield transport
    finally:
        client = sentry_sdk.get_client()
        client.close()
        sentry_sdk.get_global_scope().set_client(None)
        sentry_sdk.get_isolation_scope().clear()
        sentry_sdk.get_current_scope().clear()


def test_an_error_in_a_region_request_reaches_sentry_tagged_with_the_tenant(
    region_urls: None, sentry_events: MemoryTransport, medan: Tenant
) -> None:
    response = Client(raise_request_exception=False).get("/uji/gagal/", HTTP_HOST="medan.localhost")
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = [
        e
        for e in sentry_events.events()
        if any(
            x.get("value") == "gagal menghitung pagu"
            for x in e.get("exception", {}).get("values", [])
        )
    ]
    assert event["tags"]["tenant"] == medan.schema_name
    assert event["environment"] == "uji"


def test_events_outside_requests_are_tagged_with_the_schema_in_use(
    region_urls: None, sentry_events: MemoryTransport, medan: Tenant, buol: Tenant
) -> None:
    # a request to Medan leaves a tenant tag on the scope...
    Client().get("/uji/log/", HTTP_HOST="medan.localhost")
    # ...yet a later event from Buol's background work says Buol, and the console's says public
    with schema_context(buol.schema_name):
        sentry_sdk.capture_message("tugas latar Buol")
    schema_activate_public()
    sentry_sdk.capture_message("tugas latar konsol")
    sentry_sdk.flush()
    tags = {e.get("message"): e["tags"]["tenant"] for e in sentry_events.events()}
    assert tags["tugas latar Buol"] == buol.schema_name
    assert tags["tugas latar konsol"] == "public"
