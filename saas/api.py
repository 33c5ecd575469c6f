"""API wiring: the one DRF exception handler (every error is JSON with a field, or null, and a
message), bounded pagination and validated query parameters."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
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
    """ApplicationError -> its status; Django and DRF validation -> 400; the database out of
    reach -> 503; each with field+message."""
    if isinstance(exc, ApplicationError):
        return Response(error_payload(exc.field, exc.message), status=exc.status_code)
    if isinstance(exc, OperationalError | InterfaceError):
        return Response(error_payload(None, database_unavailable_message()), status=503)
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


def error_payload(field: str | None, message: str) -> dict[str, Any]:
    """The JSON body of every API error: the first field and message, and all of them."""
    return {"field": field, "message": message, "errors": [{"field": field, "message": message}]}


def database_unavailable_message() -> str:
    return _("Basis data sementara tidak dapat dihubungi. Silakan coba lagi nanti.")


def null_character_message() -> str:
    return _("Karakter NUL tidak diperbolehkan.")


# --- request values: pagination bounds and validated query parameters ----------------------

MAX_PAGE_SIZE = 200
MAX_OFFSET = 10_000_000


def bounded_int(raw: str, *, field: str, low: int, high: int) -> int:
    """`raw` as an integer in [low, high], else a 400 naming `field`."""
    if raw.isascii() and raw.isdigit() and len(raw) <= len(str(high)) and low <= int(raw) <= high:
        return int(raw)
    message = _("Harus bilangan bulat dari %(low)d sampai %(high)d.") % {"low": low, "high": high}
    raise exceptions.ValidationError({field: [message]})


class Pagination(LimitOffsetPagination):
    """`?limit=` (1 to MAX_PAGE_SIZE) and `?offset=`; anything else is a 400 naming it."""

    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request: Request) -> int | None:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None or raw == "":
            return self.default_limit
        return bounded_int(raw, field=self.limit_query_param, low=1, high=MAX_PAGE_SIZE)

    def get_offset(self, request: Request) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None or raw == "":
            return 0
        return bounded_int(raw, field=self.offset_query_param, low=0, high=MAX_OFFSET)


class QueryParams(serializers.Serializer[Any]):
    """Base of a view's `query_serializer`: declare each query parameter the view reads as an
    optional field with bounds (CharFields refuse NUL bytes and take a max_length)."""


class ValidatedQueryMixin(APIView):
    """For API views that read query parameters: `self.query()` is `query_serializer` validated
    against the query string (a 400 naming the field otherwise)."""

    query_serializer: type[QueryParams] = QueryParams

    def query(self) -> dict[str, Any]:
        cached: dict[str, Any] | None = getattr(self, "_validated_query", None)
        if cached is None:
            serializer = self.query_serializer(data=self.request.query_params)
            serializer.is_valid(raise_exception=True)
            cached = dict(serializer.validated_data)
            self._validated_query = cached
        return cached
