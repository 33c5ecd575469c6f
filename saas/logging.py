"""Structured log lines (one JSON object per line) that carry the tenant."""

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_current_tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "berbagi_tenant", default=None
)


@contextmanager
def tenant_context(schema_name: str) -> Iterator[None]:
    """Tag every log line emitted inside the block with the tenant's schema."""
    token = _current_tenant.set(schema_name)
    try:
        yield
    finally:
        _current_tenant.reset(token)


def current_tenant_label() -> str:
    """The tenant of the running request or task: the tagged one, else the connection's schema."""
    label = _current_tenant.get()
    if label is not None:
        return label
    from django.db import connection

    return getattr(connection, "schema_name", None) or "public"


class TenantContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = current_tenant_label()
        return True


_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "tenant"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "tenant": getattr(record, "tenant", None) or current_tenant_label(),
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                payload[key] = value if isinstance(value, (str, int, float, bool)) else repr(value)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)
