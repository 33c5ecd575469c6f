"""Sentry, only when SENTRY_DSN is set; every event carries the tenant."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

from saas.logging import current_tenant_label


def _tag_tenant(event: Any, hint: Any) -> Any:
    """The tenant at the moment of the event wins over any tag left on a reused scope."""
    event.setdefault("tags", {})["tenant"] = current_tenant_label()
    return event


def sentry_init(
    *, dsn: str, environment: str, release: str | None = None, transport: Transport | None = None
) -> None:
    """Called from settings only when SENTRY_DSN is set; `transport` replaces HTTP (tests)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_tenant,
        # No personal data (IPs, cookies, user emails) leaves the region: sentry's default.
        traces_sample_rate=0.0,
        transport=transport,
    )
