"""Production settings and the Prometheus endpoint.

/metrics answers only on the metrics listener (gunicorn's second port, which no Ingress routes
to; the chart tests check that side) and only with the scrape token.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import sentry_sdk
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from saas.observability import sentry_init
from tenants.models import Tenant
from tests.test_deploy_check import PRODUCTION_ENV
from tests.test_observability import MemoryTransport

TOKEN = "rahasia-pengikis-metrik-0123456789"


class FakeSocket:
    """What gunicorn puts in environ["gunicorn.socket"]: the accepted connection."""

    def __init__(self, port: int) -> None:
        self.port = port

    def getsockname(self) -> tuple[str, int]:
        return ("10.0.0.5", self.port)


@pytest.fixture
def metrics_token(settings: SettingsWrapper) -> str:
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def _scrape(port: int, token: str | None = None, host: str = "10.0.0.5:9100") -> Any:
    extra: dict[str, Any] = {"gunicorn.socket": FakeSocket(port), "HTTP_HOST": host}
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().get("/metrics", **extra)


def test_metrics_answer_on_the_metrics_listener_with_the_token(
    metrics_token: str, medan: Tenant
) -> None:
    Client().get("/", HTTP_HOST="medan.localhost")
    response = _scrape(settings.METRICS_PORT, metrics_token)
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        f'berbagi_http_requests_total{{method="GET",region="{medan.schema_name}",status="2xx"}}'
        in body
    )
    assert f'berbagi_http_request_duration_seconds_count{{region="{medan.schema_name}"}}' in body
    for family in (
        'berbagi_regions{status="active"}',
        'berbagi_provisioning_jobs{status="succeeded"}',
        "berbagi_provisioning_duration_seconds_count",
        'berbagi_rollout_jobs{status="done"}',
        'berbagi_rollout_regions{status="failed"}',
    ):
        assert family in body, family


@pytest.mark.parametrize("token", [None, "", "salah", TOKEN + "x", TOKEN[:-1]])
def test_metrics_refuse_a_missing_or_wrong_token(metrics_token: str, token: str | None) -> None:
    response = _scrape(settings.METRICS_PORT, token)
    assert response.status_code == 401
    assert b"berbagi_" not in response.content


def test_metrics_are_off_without_a_configured_token(settings: SettingsWrapper) -> None:
    settings.METRICS_TOKEN = ""
    for token in (None, ""):
        assert _scrape(settings.METRICS_PORT, token).status_code == 404


@pytest.mark.parametrize("host", ["localhost", "medan.localhost", "10.0.0.5:8000"])
def test_metrics_are_not_served_on_the_web_listener_even_with_the_token(
    metrics_token: str, medan: Tenant, host: str
) -> None:
    environs: list[dict[str, Any]] = [{"gunicorn.socket": FakeSocket(8000)}, {}]
    for environ in environs:
        response = Client().get(
            "/metrics", HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {metrics_token}", **environ
        )
        assert response.status_code in (400, 404), host
        assert b"berbagi_http" not in response.content


def test_responses_carry_the_content_security_and_referrer_policies(
    medan: Tenant, settings: Any
) -> None:
    # the operator's policy from the environment, with each request's nonce added
    settings.CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'"
    for host in (settings.BASE_DOMAIN, "medan.localhost", "tidak-ada.localhost"):
        response = Client().get("/", HTTP_HOST=host)
        assert response["Content-Security-Policy"].startswith("default-src 'self'; "), host
        assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin", host


def _settings_in_subprocess(env: dict[str, str], expression: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **PRODUCTION_ENV, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("configured", "effective"), [("0", "0"), ("300", "300"), ("600", "600"), ("86400", "600")]
)
def test_connection_lifetime_is_capped(configured: str, effective: str) -> None:
    value = _settings_in_subprocess(
        {"DB_CONN_MAX_AGE": configured}, "settings.DATABASES['default']['CONN_MAX_AGE']"
    )
    assert value == effective


def test_old_secret_keys_are_accepted_after_a_rotation() -> None:
    value = _settings_in_subprocess(
        {"SECRET_KEY_FALLBACKS": "lama-satu, lama-dua"}, "settings.SECRET_KEY_FALLBACKS"
    )
    assert value == "['lama-satu', 'lama-dua']"


def test_policies_come_from_the_environment() -> None:
    value = _settings_in_subprocess(
        {"CONTENT_SECURITY_POLICY": "default-src 'none'", "REFERRER_POLICY": "no-referrer"},
        "settings.CONTENT_SECURITY_POLICY + '|' + settings.SECURE_REFERRER_POLICY",
    )
    assert value == "default-src 'none'|no-referrer"


@pytest.fixture
def sentry_with_release() -> Iterator[MemoryTransport]:
    transport = MemoryTransport()
    sentry_init(
        dsn="https://kunci@sentry.invalid/42",
        environment="produksi",
        release="2026.12.1",
        transport=transport,
    )
    try:
        yield transport
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)


def test_sentry_events_carry_release_and_environment(
    sentry_with_release: MemoryTransport,
) -> None:
    sentry_sdk.capture_message("uji rilis")
    sentry_sdk.flush()
    (event,) = [e for e in sentry_with_release.events() if e.get("message") == "uji rilis"]
    assert (event["release"], event["environment"]) == ("2026.12.1", "produksi")


def test_the_migration_hook_migrates_public_and_the_template_but_no_region(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import call_command as real

    from provisioning.management.commands import platform_prepare
    from tenants import services

    migrated: list[dict[str, Any]] = []

    def recording(name: str, *args: Any, **options: Any) -> Any:
        if name == "migrate_schemas":
            migrated.append(options)
        return real(name, *args, **options)

    monkeypatch.setattr(platform_prepare, "call_command", recording)
    monkeypatch.setattr(services, "call_command", recording)
    call_command("platform_prepare", "--skip-regions")
    assert [o.get("shared") or o.get("schema_name") for o in migrated] == [
        True,
        settings.TEMPLATE_SCHEMA_NAME,
    ]
    assert not any(o.get("tenant") for o in migrated)
