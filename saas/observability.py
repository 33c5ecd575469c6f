"""Sentry, only when SENTRY_DSN is set; every event carries the tenant."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from saas.logging import current_tenant_label


def _tag_tenant(event: Any, hint: Any) -> Any:
    event.setdefault("tags", {}).setdefault("tenant", current_tenant_label())
    return event


def sentry_init(*, dsn: str, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=_tag_tenant,
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
