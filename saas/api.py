"""One DRF exception handler: every error is JSON with a field (or null) and a message."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import ApplicationError


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        errors: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__") else str(key)
            errors.extend(_flatten(value, f"{field}.{name}" if field and name else name or field))
        return errors
    if isinstance(detail, list):
        return [e for item in detail for e in _flatten(item, field)]
    return [{"field": field, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """ApplicationError -> its status; Django and DRF validation -> 400; each with field+message."""
    if isinstance(exc, ApplicationError):
        return Response(
            {
                "field": exc.field,
                "message": exc.message,
                "errors": [{"field": exc.field, "message": exc.message}],
            },
            status=exc.status_code,
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = _flatten(response.data)
    first = errors[0] if errors else {"field": None, "message": str(exc)}
    response.data = {"field": first["field"], "message": first["message"], "errors": errors}
    return response
